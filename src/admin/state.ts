// The admin state of one running proxy: live traffic counters plus status/metrics/reset over the runtime's pieces.
import type { ConfigSource } from "../config/watch";
import type { Balancer } from "../lb/balancer";
import { upstreamKey } from "../lb/upstream-key";
import type { RequestRecord } from "../log/record";
import type { RequestLog } from "../log/request-log";
import type { PoolSnapshot, ProxyDeps } from "../proxy/forward";
import { version } from "../version";
import { renderMetrics } from "./prometheus";
import { buildStatus, displayUrl, resolveResetTarget, type StatusSnapshot, type UpstreamStatus } from "./status";
import { Traffic } from "./traffic";

/** What startProxy's `admin` hook receives. */
export interface AdminSources {
  service: ProxyDeps["service"];
  config: ConfigSource;
  balancer: Balancer;
  log: RequestLog;
  pool: () => PoolSnapshot;
  deps: ProxyDeps;
}

export interface AdminStateOptions {
  /** Usage providers' status snapshot (issue 5's poller); can also be attached later with setUsageSource. */
  usageProviders?: () => unknown;
  startedAt?: number;
  pid?: number;
}

export type ResetResult = { ok: true; upstreams: UpstreamStatus[] } | { ok: false; message: string };

export interface AdminState {
  /** One consistent snapshot: the status endpoint, `status`, metrics and the dashboard all read this. */
  status(): StatusSnapshot;
  metrics(): string;
  /** Clears the cooldown of the upstream(s) named by index (active pool), key or base URL. */
  reset(id: string): ResetResult;
  /** The newest request records, newest last. */
  recent(): RequestRecord[];
  /** Live records as they are logged (the dashboard's feed). */
  subscribe(listener: (record: RequestRecord) => void): () => void;
  setUsageSource(source: (() => unknown) | undefined): void;
  close(): void;
}

export function createAdminState(sources: AdminSources, options: AdminStateOptions = {}): AdminState {
  const traffic = new Traffic();
  const unsubscribe = sources.log.subscribe((record) => traffic.observe(record));
  const startedAt = options.startedAt ?? sources.deps.now();
  let usageSource = options.usageProviders;
  const now = () => sources.deps.now();

  const status = (): StatusSnapshot => {
    let usageProviders: unknown = null;
    try {
      usageProviders = usageSource?.() ?? null;
    } catch (error) {
      usageProviders = { error: error instanceof Error ? error.message : String(error) };
    }
    return buildStatus({
      service: sources.service,
      version,
      pid: options.pid ?? process.pid,
      startedAt,
      now: now(),
      config: sources.config.current(),
      activeConfig: sources.pool().configName,
      // Peek without creating: an upstream never seen has no state yet.
      health: (key) => sources.balancer.peek(key),
      keyOf: upstreamKey,
      traffic: traffic.snapshot(),
      usageProviders,
    });
  };

  return {
    status,
    metrics: () => renderMetrics(status()),
    reset(id) {
      const snapshot = status();
      const target = resolveResetTarget(snapshot, id);
      if (!target.ok) return target;
      const wanted = new Set(target.keys);
      const rawKeys = new Set<string>();
      for (const pool of Object.values(sources.config.current()[sources.service].configs)) {
        for (const upstream of pool.upstreams) {
          const key = upstreamKey(upstream);
          if (wanted.has(displayUrl(key))) rawKeys.add(key);
        }
      }
      for (const key of rawKeys) sources.balancer.resetCooldown(key);
      const after = status();
      const upstreams = after.configs.flatMap((c) => c.upstreams).filter((u) => wanted.has(u.key));
      return { ok: true, upstreams: [...new Map(upstreams.map((u) => [u.key, u])).values()] };
    },
    recent: () => traffic.recentRecords(),
    subscribe: (listener) => sources.log.subscribe(listener),
    setUsageSource(source) {
      usageSource = source;
    },
    close: unsubscribe,
  };
}
