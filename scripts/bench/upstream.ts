// Benchmark fake upstream, run as its own process: streams Responses-API answers and answers small JSON, cheaply.
//
// POST /v1/responses?events=N&bytes=B&gap=MS  → an SSE answer of N events (created, N-2 text deltas padded to about
// B bytes each, completed with usage), MS milliseconds apart (0: as fast as the reader takes them).
// Anything else → a small non-streamed Responses JSON object (~200 bytes). Request bodies are always read in full.
// Prints {"port": N} on stdout once listening.

const encoder = new TextEncoder();

const SMALL = JSON.stringify({
  id: "resp_bench",
  object: "response",
  status: "completed",
  model: "bench-model",
  output: [],
  usage: { input_tokens: 12, output_tokens: 3, total_tokens: 15 },
});

function frame(type: string, data: Record<string, unknown>): Uint8Array {
  return encoder.encode(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

function sseAnswer(events: number, bytes: number, gapMs: number, signal: AbortSignal): ReadableStream<Uint8Array> {
  const id = `resp_${Math.random().toString(36).slice(2)}`;
  // Padding so one delta event is about `bytes` long on the wire (the frame itself takes ~150 bytes).
  const text = "x".repeat(Math.max(1, bytes - 150));
  let sent = 0;
  const next = (): Uint8Array => {
    const seq = sent++;
    if (seq === 0) {
      return frame("response.created", {
        sequence_number: seq,
        response: { id, object: "response", status: "in_progress", model: "bench-model" },
      });
    }
    if (seq === events - 1) {
      return frame("response.completed", {
        sequence_number: seq,
        response: {
          id,
          object: "response",
          status: "completed",
          model: "bench-model",
          usage: { input_tokens: 100, output_tokens: events - 2, total_tokens: 98 + events },
        },
      });
    }
    return frame("response.output_text.delta", {
      sequence_number: seq,
      item_id: "msg_bench",
      output_index: 0,
      content_index: 0,
      delta: text,
    });
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (signal.aborted) return;
        if (sent > 0 && gapMs > 0) await Bun.sleep(gapMs);
        if (signal.aborted) return;
        controller.enqueue(next());
        if (sent >= events) controller.close();
      },
      cancel() {
        sent = events;
      },
    },
    { highWaterMark: 0 },
  );
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.BENCH_UPSTREAM_PORT ?? 0),
  idleTimeout: 0,
  maxRequestBodySize: 256 * 1024 * 1024,
  async fetch(req) {
    const url = new URL(req.url);
    if (req.body) await req.arrayBuffer();
    if (url.pathname.endsWith("/responses") && req.method === "POST") {
      const events = Math.max(2, Number(url.searchParams.get("events") ?? 20));
      const bytes = Number(url.searchParams.get("bytes") ?? 300);
      const gap = Number(url.searchParams.get("gap") ?? 0);
      return new Response(sseAnswer(events, bytes, gap, req.signal), {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      });
    }
    return new Response(SMALL, { headers: { "content-type": "application/json" } });
  },
});

process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.on("SIGTERM", () => {
  void server.stop(true).then(() => process.exit(0));
});
