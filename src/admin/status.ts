// The admin state as one pure snapshot (status endpoint, `status` command, metrics and dashboard all read this).
import type { ConfigFile, Pool, Service, Upstream } from "../config/schema";
import type { UpstreamHealth } from "../lb/balancer";
import { maskSecret } from "../mask";
import type { TrafficSnapshot } from "./traffic";

export type UpstreamState = "healthy" | "cooling_down" | "exhausted";

export interface UpstreamStatus {
  /** Position in its pool (0-based, as in config.json); `reset` accepts it. */
  index: number;
  /** Balancer identity (base URL + credential fingerprint); never contains a secret. */
  key: string;
  base_url: string;
  /** Credentials masked to their last 4 characters. */
  auth: { auth_token?: string; api_key?: string };
  state: UpstreamState;
  /** Epoch ms the cooldown ends (only while cooling down). */
  cooldown_until: number | null;
  cooldown_remaining_ms: number | null;
  cooldown_reason: string | null;
  consecutive_failures: number;
  exhausted: boolean;
  last_error: string | null;
  last_error_at: number | null;
  requests: number;
  errors: number;
  last_latency_ms: number | null;
  last_success_at: number | null;
}

export interface ConfigStatus {
  name: string;
  alias: string | null;
  active: boolean;
  upstreams: UpstreamStatus[];
}

export interface StatusSnapshot {
  service: Service;
  version: string;
  pid: number;
  started_at: number;
  now: number;
  /** The pool requests go to now (after hot reloads). */
  active_config: string | null;
  /** Every config of the served service, the active one first. */
  configs: ConfigStatus[];
  /** Counters since start, from the request log's live records. */
  traffic: TrafficSnapshot;
  /** Usage providers' state (issue 5) when a poller runs; null otherwise. */
  usage_providers: unknown;
}

export interface StatusInputs {
  service: Service;
  version: string;
  pid: number;
  startedAt: number;
  now: number;
  config: ConfigFile;
  /** The name of the pool in force (from the pool snapshot the proxy uses). */
  activeConfig: string | null;
  /** Live balancer state of an upstream key; undefined when never seen. */
  health: (key: string) => UpstreamHealth | undefined;
  keyOf: (upstream: Upstream) => string;
  traffic: TrafficSnapshot;
  usageProviders?: unknown;
}

/** `https://user:pass@host/v1` would leak a secret in a URL: keep only the scheme, host and path. */
export function displayUrl(url: string): string {
  return url.replace(/^(https?:\/\/)[^/@]*@/i, "$1");
}

export function upstreamStatus(
  upstream: Upstream,
  index: number,
  key: string,
  health: UpstreamHealth | undefined,
  now: number,
): UpstreamStatus {
  const coolingDown = health !== undefined && health.cooldownUntil > now;
  const exhausted = health?.exhausted ?? false;
  const auth: UpstreamStatus["auth"] = {};
  if (upstream.auth.auth_token) auth.auth_token = maskSecret(upstream.auth.auth_token);
  if (upstream.auth.api_key) auth.api_key = maskSecret(upstream.auth.api_key);
  return {
    index,
    key: displayUrl(key),
    base_url: displayUrl(upstream.base_url),
    auth,
    state: coolingDown ? "cooling_down" : exhausted ? "exhausted" : "healthy",
    cooldown_until: coolingDown ? health.cooldownUntil : null,
    cooldown_remaining_ms: coolingDown ? health.cooldownUntil - now : null,
    cooldown_reason: coolingDown ? (health.cooldownReason ?? null) : null,
    consecutive_failures: health?.consecutiveFailures ?? 0,
    exhausted,
    last_error: health?.lastError ?? null,
    last_error_at: health?.lastErrorAt ?? null,
    requests: health?.requests ?? 0,
    errors: health?.errors ?? 0,
    last_latency_ms: health?.lastLatencyMs ?? null,
    last_success_at: health?.lastSuccessAt ?? null,
  };
}

function configStatus(pool: Pool, name: string, active: boolean, inputs: StatusInputs): ConfigStatus {
  return {
    name,
    alias: pool.alias ?? null,
    active,
    upstreams: pool.upstreams.map((u, i) => {
      const key = inputs.keyOf(u);
      return upstreamStatus(u, i, key, inputs.health(key), inputs.now);
    }),
  };
}

export function buildStatus(inputs: StatusInputs): StatusSnapshot {
  const section = inputs.config[inputs.service];
  const names = Object.keys(section.configs);
  const ordered =
    inputs.activeConfig && names.includes(inputs.activeConfig)
      ? [inputs.activeConfig, ...names.filter((n) => n !== inputs.activeConfig)]
      : names;
  return {
    service: inputs.service,
    version: inputs.version,
    pid: inputs.pid,
    started_at: inputs.startedAt,
    now: inputs.now,
    active_config: inputs.activeConfig,
    configs: ordered.map((name) => configStatus(section.configs[name]!, name, name === inputs.activeConfig, inputs)),
    traffic: inputs.traffic,
    usage_providers: inputs.usageProviders ?? null,
  };
}

/** The active pool's upstreams (what `status` shows first and `reset` resolves against). */
export function activeUpstreams(status: StatusSnapshot): UpstreamStatus[] {
  return status.configs.find((c) => c.active)?.upstreams ?? [];
}

export type ResetTarget = { ok: true; keys: string[] } | { ok: false; message: string };

/**
 * Which upstream keys `reset ID` means: an index into the active pool, a key, or a base URL (every upstream of the
 * served service with that URL, since the same relay may appear in several pools).
 */
export function resolveResetTarget(status: StatusSnapshot, id: string): ResetTarget {
  const active = activeUpstreams(status);
  if (/^\d+$/.test(id)) {
    const hit = active[Number(id)];
    if (hit) return { ok: true, keys: [hit.key] };
    return {
      ok: false,
      message: `no upstream #${id} in config "${status.active_config ?? "none"}" (it has ${active.length})`,
    };
  }
  const all = status.configs.flatMap((c) => c.upstreams);
  const byKey = all.filter((u) => u.key === id);
  if (byKey.length > 0) return { ok: true, keys: [id] };
  const trimmed = id.replace(/\/+$/, "");
  const byUrl = [...new Set(all.filter((u) => u.base_url.replace(/\/+$/, "") === trimmed).map((u) => u.key))];
  if (byUrl.length > 0) return { ok: true, keys: byUrl };
  return { ok: false, message: `no upstream "${id}" (give its #, base URL or key as shown by codex-helper status)` };
}
