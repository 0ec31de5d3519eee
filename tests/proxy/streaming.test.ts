import { describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import OpenAI from "openai";
import { jsonResponse, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

describe("streaming through the proxy", () => {
  test("the openai client receives Responses events one by one, the first long before the last", async () => {
    using _home = tempHome();
    const events = responsesEvents("one two three four five six", { input_tokens: 11, output_tokens: 6 }, 6);
    await using up = startFakeUpstream(() => sseResponse(events, { gapMs: 120 }));
    await using proxy = startTestProxy({ upstreams: [upstream(`${up.url}/v1`)] });
    const client = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: "client-dummy", maxRetries: 0 });
    const t0 = performance.now();
    const stream = await client.responses.create({ model: "gpt-test", input: "hi", stream: true });
    const arrivals: { type: string; at: number }[] = [];
    for await (const event of stream) arrivals.push({ type: event.type, at: performance.now() - t0 });
    expect(arrivals.map((a) => a.type)).toEqual(events.map((e) => (e.data as { type: string }).type));
    const first = arrivals[0]!.at;
    const last = arrivals.at(-1)!.at;
    // The fake spaces 10 events 120 ms apart: a buffering proxy would deliver them all at once.
    expect(last - first).toBeGreaterThan(800);
    const text = arrivals.length;
    expect(text).toBe(10);
    await until(() => proxy.records().length === 1);
    expect(proxy.records()[0]?.usage).toMatchObject({ input_tokens: 11, output_tokens: 6 });
  });

  test("a client that hangs up mid-stream closes the upstream connection within a second", async () => {
    using _home = tempHome();
    let cancelledAt = 0;
    const events = responsesEvents("x".repeat(200), { input_tokens: 1, output_tokens: 1 }, 100);
    await using up = startFakeUpstream(() =>
      sseResponse(events, {
        gapMs: 50,
        onCancel: () => {
          cancelledAt = Date.now();
        },
      }),
    );
    await using proxy = startTestProxy({ upstreams: [upstream(up.url)] });
    const controller = new AbortController();
    const res = await fetch(`${proxy.url}/responses`, { method: "POST", body: "{}", signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    const abortedAt = Date.now();
    controller.abort();
    await until(() => cancelledAt > 0, 1000);
    expect(cancelledAt - abortedAt).toBeLessThan(1000);
    await until(() => proxy.records().length === 1);
    expect(proxy.records()[0]).toMatchObject({ client_aborted: true, status_code: 200 });
  });

  test("a gzip-compressed upstream answer arrives decodable, with its encoding header intact", async () => {
    using _home = tempHome();
    const payload = JSON.stringify({ object: "list", data: [{ id: "gpt-test" }], pad: "z".repeat(5000) });
    const compressed = gzipSync(payload);
    await using up = startFakeUpstream(
      () =>
        new Response(compressed, {
          headers: {
            "content-type": "application/json",
            "content-encoding": "gzip",
            "content-length": String(compressed.length),
          },
        }),
    );
    await using proxy = startTestProxy({ upstreams: [upstream(up.url)] });
    const res = await fetch(`${proxy.url}/v1/models`);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(await res.json()).toEqual(JSON.parse(payload));
    // And with curl, which decodes only when asked and fails (error 61) on a stale encoding header.
    const curl = Bun.spawn(["curl", "-sS", "--compressed", `${proxy.url}/v1/models`], { stdout: "pipe" });
    const out = await new Response(curl.stdout).text();
    expect(await curl.exited).toBe(0);
    expect(JSON.parse(out)).toEqual(JSON.parse(payload));
  });

  test("a WebSocket upgrade gets 426 so Codex falls back to HTTP at once", async () => {
    using _home = tempHome();
    await using up = startFakeUpstream(() => jsonResponse({}));
    await using proxy = startTestProxy({ upstreams: [upstream(up.url)] });
    const res = await fetch(`${proxy.url}/responses`, { headers: { upgrade: "websocket", connection: "Upgrade" } });
    expect(res.status).toBe(426);
    expect(up.hits).toHaveLength(0);
  });

  test("a body over the limit gets 413 without reaching an upstream", async () => {
    using _home = tempHome();
    await using up = startFakeUpstream(() => jsonResponse({}));
    await using proxy = startTestProxy({ upstreams: [upstream(up.url)], settings: { max_body_bytes: 1000 } });
    const res = await fetch(`${proxy.url}/responses`, { method: "POST", body: "x".repeat(1001) });
    expect(res.status).toBe(413);
    expect(up.hits).toHaveLength(0);
  });

  test("a mid-stream failure ends the client's stream with a response.failed event and counts against the upstream", async () => {
    using _home = tempHome();
    const events = responsesEvents("partial answer", { input_tokens: 1, output_tokens: 1 }, 4);
    await using up = startFakeUpstream(() => sseResponse(events, { cutAfter: 4, gapMs: 20 }));
    await using proxy = startTestProxy({ upstreams: [upstream(up.url)] });
    const res = await fetch(`${proxy.url}/responses`, { method: "POST", body: "{}" });
    const text = await res.text();
    expect(text).toContain("response.output_text.delta");
    expect(text.trimEnd().split("\n\n").at(-1)).toContain('"type":"response.failed"');
    await until(() => proxy.records().length === 1);
    expect(proxy.records()[0]).toMatchObject({ phase: "during_output" });
    expect(proxy.runtime.balancer.health(proxy.runtime.pool().entries[0]!.key).consecutiveFailures).toBe(1);
  });
});
