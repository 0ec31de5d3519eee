// Asks a port whether a proxy answers there now: GET /_codex-helper/health with a 1 s limit.

export type ProbeResult = "answering" | "not running" | "no answer";

/** Any HTTP answer counts (an older or foreign server still holds the port); a refused connection means nothing runs. */
export async function probeProxy(
  port: number,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 1000,
): Promise<ProbeResult> {
  try {
    const res = await fetchImpl(`http://127.0.0.1:${port}/_codex-helper/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return "answering";
  } catch (error) {
    const name = (error as Error).name;
    return name === "TimeoutError" || name === "AbortError" ? "no answer" : "not running";
  }
}
