// BUN.md trap 2: Bun.serve closes a connection idle for 10 s; a reasoning model can be silent for minutes.
import { expect, test } from "bun:test";
import { responsesEvents, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

test("an upstream silent for 12 s mid-stream still reaches the client (the listener's idle timeout is lifted)", async () => {
  using _home = tempHome();
  const events = responsesEvents("thought for a long time", { input_tokens: 1, output_tokens: 1 }, 2);
  // Output starts, then 12 s of silence (a model reasoning), then the rest.
  await using up = startFakeUpstream(() => {
    const encoder = new TextEncoder();
    let i = 0;
    return new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (i >= events.length) return controller.close();
          if (i === 3) await Bun.sleep(12_000);
          const e = events[i++]!;
          controller.enqueue(encoder.encode(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`));
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    );
  });
  await using proxy = startTestProxy({ upstreams: [upstream(up.url)] });
  const res = await fetch(`${proxy.url}/responses`, { method: "POST", body: "{}" });
  const text = await res.text();
  expect(text).toContain("response.completed");
  await until(() => proxy.records().length === 1);
  expect(proxy.records()[0]?.error).toBeUndefined();
  expect(proxy.records()[0]?.duration_ms).toBeGreaterThan(12_000);
}, 30_000);
