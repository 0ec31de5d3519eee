// Cooldown policy (pure): how long an upstream rests after a failure, and Retry-After parsing.

export interface CooldownPolicy {
  /** Rest after the first failure. */
  baseMs: number;
  /** Ceiling of the doubling backoff. */
  maxMs: number;
  /** Ceiling of an upstream's own Retry-After. */
  maxRetryAfterMs: number;
  /** Rest after 401/403: a bad key does not heal in seconds. */
  authFailureMs: number;
}

export const DEFAULT_COOLDOWN: CooldownPolicy = {
  baseMs: 30_000,
  maxMs: 10 * 60_000,
  maxRetryAfterMs: 60 * 60_000,
  authFailureMs: 10 * 60_000,
};

export interface FailureFacts {
  /** HTTP status when the upstream answered; absent for connection errors and timeouts. */
  status?: number;
  /** The upstream's own Retry-After, already in ms. */
  retryAfterMs?: number;
}

/** Rest for the `consecutiveFailures`-th failure in a row (1-based). */
export function cooldownMs(
  consecutiveFailures: number,
  facts: FailureFacts,
  policy: CooldownPolicy = DEFAULT_COOLDOWN,
) {
  if (facts.retryAfterMs !== undefined && facts.retryAfterMs >= 0) {
    return Math.min(facts.retryAfterMs, policy.maxRetryAfterMs);
  }
  if (facts.status === 401 || facts.status === 403) return policy.authFailureMs;
  const doublings = Math.max(0, Math.min(consecutiveFailures - 1, 30));
  return Math.min(policy.baseMs * 2 ** doublings, policy.maxMs);
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number.parseFloat(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
