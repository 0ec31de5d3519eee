// Assembles one running proxy service: config snapshot, balancer, filter, request log, app and listener.

import type { Hono } from "hono";
import { activePool, type ConfigFile, type Service } from "../config/schema";
import { type ConfigSource, watchConfig } from "../config/watch";
import { loadFilterSource } from "../filter/reload";
import { Balancer } from "../lb/balancer";
import { upstreamKey } from "../lb/upstream-key";
import { RequestLog } from "../log/request-log";
import { paths } from "../paths";
import { createApp } from "./app";
import { DEFAULT_LIMITS, type PoolSnapshot, type ProxyDeps, type UpstreamFetch } from "./forward";
import { isLoopbackHostName } from "./guard";
import { type RunningServer, startServer } from "./server";

export interface ProxyRuntimeOptions {
  service: Service;
  hostname: string;
  port: number;
  /** Parsed config.json at start (already bootstrapped when needed). */
  config: ConfigFile;
  /** From --token / CODEX_HELPER_TOKEN; the config's settings.access_token otherwise. */
  accessToken?: string;
  fetch?: UpstreamFetch;
  now?: () => number;
  env?: Record<string, string | undefined>;
  /** Poll interval of config.json and filter.json (ms). */
  watchIntervalMs?: number;
  report?: { warn(message: string): void; info(message: string): void };
  /** An upstream failed (usage providers refresh on quota-style answers). */
  onUpstreamFailure?: (key: string, status: number | undefined) => void;
  /** Called with the deps before the app is built: usage monitors and admin routes hook in here. */
  admin?: (runtime: Omit<ProxyRuntime, "server" | "stop">) => Hono | undefined;
}

export interface ProxyRuntime {
  service: Service;
  config: ConfigSource;
  balancer: Balancer;
  log: RequestLog;
  pool: () => PoolSnapshot;
  deps: ProxyDeps;
  server: RunningServer;
  stop(force?: boolean): Promise<void>;
}

/** Pool snapshots are rebuilt only when the config object changes (a reload swaps it). */
function poolSnapshotter(config: ConfigSource, service: Service): () => PoolSnapshot {
  let seen: ConfigFile | undefined;
  let snapshot: PoolSnapshot = { configName: null, entries: [] };
  return () => {
    const current = config.current();
    if (current !== seen) {
      seen = current;
      const pool = activePool(current, service);
      snapshot = {
        configName: pool?.name ?? null,
        entries: (pool?.upstreams ?? []).map((upstream) => ({ key: upstreamKey(upstream), upstream })),
      };
    }
    return snapshot;
  };
}

export function startProxy(options: ProxyRuntimeOptions): ProxyRuntime {
  const env = options.env ?? process.env;
  const p = paths(env);
  const report = options.report ?? { warn: () => {}, info: () => {} };
  const settings = options.config.settings ?? {};
  const config = watchConfig(p.config, options.config, {
    intervalMs: options.watchIntervalMs,
    onError: report.warn,
    onReload: (next) => {
      const pool = activePool(next, options.service);
      report.info(
        `config reloaded: ${options.service} config "${pool?.name ?? "none"}", ${pool?.upstreams.length ?? 0} upstream(s)`,
      );
    },
  });
  const filter = loadFilterSource(p.filter, { intervalMs: options.watchIntervalMs, onError: report.warn });
  const log = new RequestLog(p.requestLog, {
    maxBytes: settings.log_max_bytes,
    keep: settings.log_keep,
    onError: report.warn,
  });
  const balancer = new Balancer();
  const pool = poolSnapshotter(config, options.service);
  const deps: ProxyDeps = {
    service: options.service,
    pool,
    balancer,
    fetch: options.fetch ?? (fetch as UpstreamFetch),
    now: options.now ?? Date.now,
    filter: filter.current,
    log: (record) => log.write(record),
    onUpstreamFailure: options.onUpstreamFailure,
    limits: {
      ...DEFAULT_LIMITS,
      ...(settings.max_body_bytes ? { maxBodyBytes: settings.max_body_bytes } : {}),
      ...(settings.first_byte_timeout_ms ? { firstByteTimeoutMs: settings.first_byte_timeout_ms } : {}),
      ...(settings.idle_timeout_ms ? { idleTimeoutMs: settings.idle_timeout_ms } : {}),
    },
  };
  const partial = { service: options.service, config, balancer, log, pool, deps };
  const admin = options.admin?.(partial);
  const app = createApp({
    ...deps,
    guard: {
      loopbackOnly: isLoopbackHostName(options.hostname),
      accessToken: options.accessToken ?? settings.access_token,
    },
    admin,
    onBug: (error) =>
      report.warn(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  const server = startServer(app, { hostname: options.hostname, port: options.port });
  return {
    ...partial,
    server,
    async stop(force = false) {
      config.stop();
      filter.stop();
      await server.stop(force);
      log.flush();
      log.close();
    },
  };
}
