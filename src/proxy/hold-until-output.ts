// Reads a Responses stream's preamble off the upstream and holds it until the first output event (or a failure).
import { gateVerdict } from "./commit-gate";
import { SseParser } from "./sse";

export type HoldResult =
  | { kind: "commit"; held: Uint8Array[]; reader: ReadableStreamDefaultReader<Uint8Array> }
  | { kind: "fail"; reason: string }
  | { kind: "client_abort" };

/**
 * Only the lifecycle events are held: the first chunk that carries output (with everything before it) goes to the
 * client at once. Silence longer than `idleMs` before any output is a failure of this upstream.
 */
export async function holdUntilOutput(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  clientSignal: AbortSignal,
): Promise<HoldResult> {
  const reader = body.getReader();
  const held: Uint8Array[] = [];
  let verdict: ReturnType<typeof gateVerdict> | undefined;
  const parser = new SseParser((message) => {
    if (verdict !== undefined && verdict.kind !== "hold") return;
    verdict = gateVerdict(message);
  });
  const fail = (reason: string): HoldResult => {
    reader.cancel(new Error(reason)).catch(() => {});
    return { kind: "fail", reason };
  };
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = new Promise<"idle">((resolve) => {
      timer = setTimeout(() => resolve("idle"), idleMs);
    });
    let result: Awaited<ReturnType<typeof reader.read>> | "idle";
    try {
      result = await Promise.race([reader.read(), idle]);
    } catch (error) {
      if (clientSignal.aborted) return { kind: "client_abort" };
      return fail(`stream: ${(error as Error)?.message ?? String(error)}`);
    } finally {
      clearTimeout(timer);
    }
    if (clientSignal.aborted) {
      reader.cancel().catch(() => {});
      return { kind: "client_abort" };
    }
    if (result === "idle") return fail(`idle: no output for ${idleMs} ms`);
    if (result.done) return fail("stream ended before any output");
    held.push(result.value);
    parser.push(result.value);
    const current = verdict as ReturnType<typeof gateVerdict> | undefined;
    if (current?.kind === "commit") return { kind: "commit", held, reader };
    if (current?.kind === "fail") return fail(current.reason);
  }
}
