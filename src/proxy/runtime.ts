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
import { pointsAtSelf } from "./self-loop";
import { type RunningServer, startServer } from "./server";
import type { ReachabilityProbe } from "./tcp-probe";

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
  /** Reachability check behind the connect timeout (tests inject one). */
  probe?: ReachabilityProbe;
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

/**
 * Pool snapshots are rebuilt only when the config object changes (a reload swaps it). An upstream that points back at
 * our own listener is left out with a warning: forwarding to ourselves would loop until something breaks.
 */
function poolSnapshotter(
  config: ConfigSource,
  service: Service,
  self: () => { host: string; port: number } | undefined,
  warn: (message: string) => void,
): () => PoolSnapshot {
  let seen: ConfigFile | undefined;
  let seenListener: { host: string; port: number } | undefined;
  let snapshot: PoolSnapshot = { configName: null, entries: [] };
  return () => {
    const current = config.current();
    const listener = self();
    if (current !== seen || listener !== seenListener) {
      seen = current;
      seenListener = listener;
      const pool = activePool(current, service);
      const upstreams = (pool?.upstreams ?? []).filter((upstream) => {
        if (!listener || !pointsAtSelf(upstream.base_url, listener.host, listener.port)) return true;
        warn(`upstream ${upstream.base_url} of config "${pool?.name}" points at this proxy itself; skipped`);
        return false;
      });
      snapshot = {
        configName: pool?.name ?? null,
        entries: upstreams.map((upstream) => ({ key: upstreamKey(upstream), upstream })),
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
  let listener: { host: string; port: number } | undefined;
  const pool = poolSnapshotter(config, options.service, () => listener, report.warn);
  const deps: ProxyDeps = {
    service: options.service,
    pool,
    balancer,
    fetch: options.fetch ?? (fetch as UpstreamFetch),
    now: options.now ?? Date.now,
    filter: filter.current,
    log: (record) => log.write(record),
    onUpstreamFailure: options.onUpstreamFailure,
    probe: options.probe,
    limits: {
      ...DEFAULT_LIMITS,
      ...(settings.max_body_bytes ? { maxBodyBytes: settings.max_body_bytes } : {}),
      ...(settings.first_byte_timeout_ms ? { firstByteTimeoutMs: settings.first_byte_timeout_ms } : {}),
      ...(settings.connect_timeout_ms ? { connectTimeoutMs: settings.connect_timeout_ms } : {}),
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
  listener = { host: options.hostname, port: server.server.port as number };
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
