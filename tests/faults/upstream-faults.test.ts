// Malformed streams, more failure statuses, and a client that gives up before the upstream answered.
import { describe, expect, test } from "bun:test";
import { jsonResponse, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const post = (url: string, signal?: AbortSignal) => fetch(`${url}/responses`, { method: "POST", body: "{}", signal });
const ok = () => sseResponse(responsesEvents("fine", { input_tokens: 1, output_tokens: 1 }));

describe("upstream faults", () => {
  for (const status of [500, 502, 503, 529]) {
    test(`${status} before the first byte fails over and cools the upstream down`, async () => {
      using _home = tempHome();
      await using bad = startFakeUpstream(() => jsonResponse({ error: { message: "x" } }, status));
      await using good = startFakeUpstream(ok);
      await using proxy = startTestProxy({ upstreams: [upstream(bad.url), upstream(good.url)] });
      expect(await (await post(proxy.url)).text()).toContain("fine");
      expect(proxy.records()[0]?.attempts.map((a) => a.status_code)).toEqual([status, 200]);
      expect(proxy.runtime.balancer.isCoolingDown(proxy.runtime.pool().entries[0]!.key, Date.now())).toBe(true);
    });
  }

  test("malformed SSE (no blank lines, invalid JSON, a 2 MB line) passes through byte for byte and never crashes the tap", async () => {
    using _home = tempHome();
    const huge = `data: {"type":"response.output_text.delta","delta":"${"x".repeat(2 * 1024 * 1024)}"}\n\n`;
    const body = `event: response.output_item.added\ndata: {"type":"response.output_item.added"}\n\ndata: {not json}\n\ndata: no blank line after this\n${huge}data: {"type":"response.completed","response":{"usage":{"input_tokens":3,"output_tokens":2}}}\n\n`;
    await using up = startFakeUpstream(() => new Response(body, { headers: { "content-type": "text/event-stream" } }));
    await using proxy = startTestProxy({ upstreams: [upstream(up.url)] });
    const text = await (await post(proxy.url)).text();
    expect(text).toBe(body);
    await until(() => proxy.records().length === 1);
    expect(proxy.records()[0]?.usage).toMatchObject({ input_tokens: 3, output_tokens: 2 });
  });

  test("a client that gives up before the upstream answered: the upstream request is cancelled and logged as an abort", async () => {
    using _home = tempHome();
    let cancelled = false;
    await using slow = startFakeUpstream(async (req) => {
      await new Promise<void>((resolve) => {
        req.signal.addEventListener("abort", () => {
          cancelled = true;
          resolve();
        });
        setTimeout(resolve, 3000);
      });
      return ok();
    });
    await using proxy = startTestProxy({ upstreams: [upstream(slow.url)] });
    const controller = new AbortController();
    const pending = post(proxy.url, controller.signal).catch(() => undefined);
    await until(() => slow.hits.length === 1);
    controller.abort();
    await pending;
    await until(() => cancelled, 1000);
    await until(() => proxy.records().length === 1);
    expect(proxy.records()[0]).toMatchObject({ client_aborted: true });
    expect(proxy.runtime.balancer.isCoolingDown(proxy.runtime.pool().entries[0]!.key, Date.now())).toBe(false);
  });
});
