// Pure: what one upstream attempt's outcome means — serve it, or count a failure and try the next upstream.

export type AttemptOutcome =
  | { kind: "serve" }
  | { kind: "retry"; reason: string; status?: number; retryAfterMs?: number };

/** Statuses another upstream might answer differently: overload, rate limits, server faults, a key the upstream refuses. */
export function isRetryableStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 408 || status === 429 || status >= 500;
}

/** Classify an HTTP answer received before anything went to the client. */
export function classifyStatus(status: number, retryAfterMs: number | undefined): AttemptOutcome {
  if (!isRetryableStatus(status)) return { kind: "serve" };
  return { kind: "retry", reason: `status ${status}`, status, retryAfterMs };
}

/** A thrown fetch error as a one-line reason; never includes a URL's credentials (ours carry none anyway). */
export function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    if (error.name === "TimeoutError") return "timeout";
    if (code) return `connect: ${code}`;
    return `connect: ${error.message.split("\n")[0]}`;
  }
  return `connect: ${String(error)}`;
}
