// The load balancer (pure state machine): priority order, failure cooldown, usage exhaustion, last-resort fallback.
import { type CooldownPolicy, cooldownMs, DEFAULT_COOLDOWN, type FailureFacts } from "./cooldown";

export interface UpstreamHealth {
  consecutiveFailures: number;
  /** Epoch ms until which the upstream rests; 0 when it is not cooling down. */
  cooldownUntil: number;
  cooldownReason?: string;
  /** Set by usage providers: the upstream's quota is spent. */
  exhausted: boolean;
  lastError?: string;
  lastErrorAt?: number;
  requests: number;
  errors: number;
  lastLatencyMs?: number;
  lastSuccessAt?: number;
}

/** Why the candidates are what they are: `fallback` ignores exhaustion, `last-resort` ignores a cooldown. */
export type CandidateMode = "normal" | "fallback" | "last-resort";

export interface Candidates<T> {
  list: T[];
  mode: CandidateMode;
}

export interface FailureReport extends FailureFacts {
  reason: string;
}

function freshHealth(): UpstreamHealth {
  return { consecutiveFailures: 0, cooldownUntil: 0, exhausted: false, requests: 0, errors: 0 };
}

export class Balancer {
  private readonly states = new Map<string, UpstreamHealth>();

  constructor(private readonly policy: CooldownPolicy = DEFAULT_COOLDOWN) {}

  /** Live health record of an upstream (created on first sight). */
  health(key: string): UpstreamHealth {
    let state = this.states.get(key);
    if (state === undefined) {
      state = freshHealth();
      this.states.set(key, state);
    }
    return state;
  }

  /** The health record of an upstream, or undefined when it was never seen (read-only callers such as status). */
  peek(key: string): UpstreamHealth | undefined {
    return this.states.get(key);
  }

  isCoolingDown(key: string, now: number): boolean {
    return this.health(key).cooldownUntil > now;
  }

  /**
   * Upstreams to try, in order. Healthy ones in priority order; if none, those not cooling down even though their
   * quota is spent; if every one is cooling down, the one that recovers first — so a request always gets a try.
   */
  candidates<T extends { key: string }>(pool: readonly T[], now: number): Candidates<T> {
    const healthy = pool.filter((u) => !this.isCoolingDown(u.key, now) && !this.health(u.key).exhausted);
    if (healthy.length > 0) return { list: healthy, mode: "normal" };
    const resting = pool.filter((u) => !this.isCoolingDown(u.key, now));
    if (resting.length > 0) return { list: resting, mode: "fallback" };
    let soonest: T | undefined;
    for (const u of pool) {
      if (soonest === undefined || this.health(u.key).cooldownUntil < this.health(soonest.key).cooldownUntil)
        soonest = u;
    }
    return { list: soonest === undefined ? [] : [soonest], mode: "last-resort" };
  }

  recordSuccess(key: string, now: number, latencyMs?: number): void {
    const state = this.health(key);
    state.requests++;
    state.consecutiveFailures = 0;
    state.cooldownUntil = 0;
    state.cooldownReason = undefined;
    state.lastSuccessAt = now;
    if (latencyMs !== undefined) state.lastLatencyMs = latencyMs;
  }

  /** Counts a failure and starts (or extends) the cooldown; returns the epoch ms it ends. */
  recordFailure(key: string, now: number, report: FailureReport): number {
    const state = this.health(key);
    state.requests++;
    state.errors++;
    state.consecutiveFailures++;
    state.lastError = report.reason;
    state.lastErrorAt = now;
    const until = now + cooldownMs(state.consecutiveFailures, report, this.policy);
    state.cooldownUntil = Math.max(state.cooldownUntil, until);
    state.cooldownReason = report.reason;
    return state.cooldownUntil;
  }

  /** A request the upstream answered with a client error: it is alive, but nothing to learn about its health. */
  recordNeutral(key: string): void {
    this.health(key).requests++;
  }

  setExhausted(key: string, exhausted: boolean): void {
    this.health(key).exhausted = exhausted;
  }

  resetCooldown(key: string): void {
    const state = this.health(key);
    state.cooldownUntil = 0;
    state.consecutiveFailures = 0;
    state.cooldownReason = undefined;
  }

  /** Ms until the first upstream of the pool can be tried again (0 when one already can). */
  msUntilRecovery(keys: readonly string[], now: number): number {
    let soonest = Number.POSITIVE_INFINITY;
    for (const key of keys) soonest = Math.min(soonest, Math.max(0, this.health(key).cooldownUntil - now));
    return Number.isFinite(soonest) ? soonest : 0;
  }
}
