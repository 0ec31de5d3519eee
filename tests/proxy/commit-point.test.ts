import { describe, expect, test } from "bun:test";
import { gateVerdict } from "../../src/proxy/commit-gate";
import { responsesEvents, type SseEvent, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const created: SseEvent = { event: "response.created", data: { type: "response.created", response: { id: "r_bad" } } };
const inProgress: SseEvent = {
  event: "response.in_progress",
  data: { type: "response.in_progress", response: { id: "r_bad" } },
};
const failed: SseEvent = {
  event: "response.failed",
  data: {
    type: "response.failed",
    response: { id: "r_bad", status: "failed", error: { code: "server_is_overloaded", message: "busy" } },
  },
};
const good = () => sseResponse(responsesEvents("from the healthy upstream", { input_tokens: 3, output_tokens: 4 }));
const post = (url: string) =>
  fetch(`${url}/responses`, { method: "POST", body: "{}" }).then(async (r) => ({
    status: r.status,
    text: await r.text(),
  }));

describe("gateVerdict", () => {
  test("lifecycle events are held, failures before output fail, anything else commits", () => {
    expect(gateVerdict({ event: "response.created", data: "{}" })).toEqual({ kind: "hold" });
    expect(gateVerdict({ event: undefined, data: '{"type":"response.in_progress"}' })).toEqual({ kind: "hold" });
    expect(gateVerdict({ event: "response.failed", data: JSON.stringify(failed.data) })).toEqual({
      kind: "fail",
      reason: "response.failed (server_is_overloaded: busy)",
    });
    expect(
      gateVerdict({ event: "error", data: '{"type":"error","error":{"type":"overloaded_error","message":"x"}}' }),
    ).toMatchObject({
      kind: "fail",
    });
    expect(gateVerdict({ event: "response.output_item.added", data: "{}" })).toEqual({ kind: "commit" });
    expect(gateVerdict({ event: undefined, data: "not json" })).toEqual({ kind: "commit" });
  });
});

describe("stream commit point (Responses)", () => {
  const cases: [string, () => Response][] = [
    ["response.failed", () => sseResponse([created, inProgress, failed])],
    [
      "a plain error event",
      () =>
        sseResponse([
          created,
          { event: "error", data: { type: "error", error: { type: "overloaded", message: "x" } } },
        ]),
    ],
    ["a reset", () => sseResponse([created, inProgress], { cutAfter: 2, gapMs: 20 })],
    ["an end without output", () => sseResponse([created])],
  ];
  for (const [what, bad] of cases) {
    test(`200 then ${what} before any output fails over invisibly to the next upstream`, async () => {
      using _home = tempHome();
      await using first = startFakeUpstream(bad);
      await using second = startFakeUpstream(good);
      await using proxy = startTestProxy({ upstreams: [upstream(first.url), upstream(second.url)] });
      const res = await post(proxy.url);
      expect(res.status).toBe(200);
      expect(res.text).toContain("from the healthy upstream");
      expect(res.text).not.toContain("r_bad");
      expect(res.text).toContain("response.completed");
      await until(() => proxy.records().length === 1);
      const record = proxy.records()[0]!;
      expect(record.attempts.map((a) => a.error?.startsWith("before output") ?? a.status_code)).toEqual([true, 200]);
      expect(record.upstream_base_url).toBe(second.url);
      expect(proxy.runtime.balancer.isCoolingDown(proxy.runtime.pool().entries[0]!.key, Date.now())).toBe(true);
    });
  }

  test("silence before any output longer than the idle limit is a failover too", async () => {
    using _home = tempHome();
    await using first = startFakeUpstream(() =>
      sseResponse([created, { event: "response.output_item.added", data: {} }], { gapMs: 2000 }),
    );
    await using second = startFakeUpstream(good);
    await using proxy = startTestProxy({
      upstreams: [upstream(first.url), upstream(second.url)],
      settings: { idle_timeout_ms: 300 },
    });
    const res = await post(proxy.url);
    expect(res.text).toContain("from the healthy upstream");
    expect(proxy.records()[0]?.attempts[0]?.error).toContain("idle");
  });

  test("the held preamble reaches the client with the first output, in order", async () => {
    using _home = tempHome();
    await using up = startFakeUpstream(good);
    await using proxy = startTestProxy({ upstreams: [upstream(up.url)] });
    const res = await post(proxy.url);
    const types = [...res.text.matchAll(/^event: (\S+)/gm)].map((m) => m[1]);
    expect(types.slice(0, 3)).toEqual(["response.created", "response.output_item.added", "response.output_text.delta"]);
    expect(types.at(-1)).toBe("response.completed");
  });

  test("after output began, a failure is passed on and logged during_output; no failover", async () => {
    using _home = tempHome();
    const partial = responsesEvents("partial", { input_tokens: 1, output_tokens: 1 }).slice(0, 3);
    await using first = startFakeUpstream(() => sseResponse([...partial, failed]));
    await using second = startFakeUpstream(good);
    await using proxy = startTestProxy({ upstreams: [upstream(first.url), upstream(second.url)] });
    const res = await post(proxy.url);
    expect(res.text).toContain('"type":"response.failed"');
    expect(second.hits).toHaveLength(0);
    await until(() => proxy.records().length === 1);
    expect(proxy.records()[0]).toMatchObject({ phase: "during_output" });
    expect(proxy.records()[0]?.error).toContain("server_is_overloaded");
  });

  test("every upstream failing before output: the client gets 429 with Retry-After, never a half stream", async () => {
    using _home = tempHome();
    await using a = startFakeUpstream(() => sseResponse([created, failed]));
    await using b = startFakeUpstream(() => sseResponse([created, failed]));
    await using proxy = startTestProxy({ upstreams: [upstream(a.url), upstream(b.url)] });
    const res = await post(proxy.url);
    expect(res.status).toBe(429);
    expect(res.text).toContain("all_upstreams_failed");
  });
});
