// Pass-through of an upstream body to the client that feeds the usage observer on the side and polices idle gaps.
import type { AnswerObserver } from "../usage/tokens";
import { SseParser } from "./sse";

export type TapEnd =
  | { kind: "eof" }
  | { kind: "upstream_error"; message: string }
  | { kind: "idle_timeout"; message: string }
  | { kind: "client_abort" };

export interface TapOptions {
  /** The upstream body, or a reader already part-read (see `prefix`). */
  body: ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array>;
  /** Chunks already read off `body` (a held-back preamble) that go to the client first. */
  prefix?: Uint8Array[];
  /** How to read the bytes on the side: as SSE events, as one JSON document, or not at all. */
  format: "sse" | "json" | "none";
  observer: AnswerObserver;
  /** Longest silence between two chunks before the upstream counts as dead; 0 disables. */
  idleTimeoutMs: number;
  /** Bytes to send the client when the upstream fails mid-stream (a well-formed failure event), if the protocol has one. */
  failureTrailer: (message: string) => string | undefined;
  onFirstByte: () => void;
  /** Called exactly once, when the body ended for whatever reason. */
  onEnd: (end: TapEnd) => void;
  /** JSON bodies larger than this are forwarded but not parsed for usage. */
  maxJsonBytes?: number;
}

const encoder = new TextEncoder();

/**
 * A pull-driven stream (high-water mark 0): a chunk is read from the upstream only when the client wants one,
 * so backpressure passes through and nothing is buffered here.
 */
export function tapStream(options: TapOptions): ReadableStream<Uint8Array> {
  const reader = options.body instanceof ReadableStream ? options.body.getReader() : options.body;
  const prefix = options.prefix ? [...options.prefix] : [];
  const parser = options.format === "sse" ? new SseParser((m) => options.observer.onSse(m)) : undefined;
  const jsonChunks: Uint8Array[] = [];
  let jsonBytes = 0;
  const maxJson = options.maxJsonBytes ?? 4 * 1024 * 1024;
  let first = true;
  let ended = false;
  let idleFired = false;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const end = (how: TapEnd) => {
    if (ended) return;
    ended = true;
    if (idleTimer) clearTimeout(idleTimer);
    if (how.kind === "eof") {
      parser?.end();
      if (options.format === "json" && jsonBytes > 0 && jsonBytes <= maxJson) {
        options.observer.onJsonBody(Buffer.concat(jsonChunks).toString("utf8"));
      }
    }
    options.onEnd(how);
  };

  const failWith = (controller: ReadableStreamDefaultController<Uint8Array>, how: TapEnd & { message: string }) => {
    end(how);
    const trailer = options.failureTrailer(how.message);
    if (trailer !== undefined) {
      controller.enqueue(encoder.encode(trailer));
      controller.close();
    } else {
      controller.error(new Error(how.message));
    }
  };

  return new ReadableStream<Uint8Array>(
    {
      start() {
        if (options.idleTimeoutMs > 0) {
          idleTimer = setTimeout(() => {
            idleFired = true;
            reader.cancel(new Error("idle timeout")).catch(() => {});
          }, options.idleTimeoutMs);
        }
      },
      async pull(controller) {
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          const held = prefix.shift();
          result = held !== undefined ? { done: false, value: held } : await reader.read();
        } catch (error) {
          if (ended) return;
          const message = idleFired
            ? `idle: no data for ${options.idleTimeoutMs} ms`
            : `stream: ${(error as Error)?.message ?? String(error)}`;
          failWith(controller, { kind: idleFired ? "idle_timeout" : "upstream_error", message });
          return;
        }
        if (ended) return;
        if (result.done) {
          if (idleFired) {
            failWith(controller, { kind: "idle_timeout", message: `idle: no data for ${options.idleTimeoutMs} ms` });
            return;
          }
          end({ kind: "eof" });
          controller.close();
          return;
        }
        const chunk = result.value;
        if (first) {
          first = false;
          options.onFirstByte();
        }
        idleTimer?.refresh();
        if (parser) parser.push(chunk);
        else if (options.format === "json" && jsonBytes <= maxJson) {
          jsonBytes += chunk.byteLength;
          if (jsonBytes <= maxJson) jsonChunks.push(chunk);
        }
        controller.enqueue(chunk);
      },
      cancel(reason) {
        // The client went away: stop the upstream at once (its fetch is aborted by the client's signal too).
        end({ kind: "client_abort" });
        reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}
