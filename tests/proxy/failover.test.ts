import { describe, expect, test } from "bun:test";
import { fakeClock } from "../fixtures/fake-clock";
import { closedPort, jsonResponse, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const body = JSON.stringify({ model: "gpt-test", input: "hi", stream: true });
const post = (url: string) =>
  fetch(`${url}/responses`, { method: "POST", headers: { "content-type": "application/json" }, body });

describe("failover", () => {
  test("a pool of [closed port, 500, 429, healthy] serves the healthy answer, then goes straight to it, and retries the first after its cooldown", async () => {
    using _home = tempHome();
    const clock = fakeClock();
    const dead = await closedPort();
    await using failing = startFakeUpstream(() => jsonResponse({ error: { message: "boom" } }, 500));
    await using limited = startFakeUpstream(() => jsonResponse({ error: { message: "slow" } }, 429));
    await using healthy = startFakeUpstream(() =>
      sseResponse(responsesEvents("ok!", { input_tokens: 3, output_tokens: 2 })),
    );
    await using proxy = startTestProxy({
      now: clock.now,
      upstreams: [
        upstream(`http://127.0.0.1:${dead}/v1`),
        upstream(`${failing.url}/v1`),
        upstream(`${limited.url}/v1`),
        upstream(`${healthy.url}/v1`),
      ],
    });

    const first = await post(proxy.url);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("response.completed");
    const [record] = proxy.records();
    expect(record?.attempts.map((a) => a.status_code ?? a.error)).toEqual(["connect: ECONNREFUSED", 500, 429, 200]);
    expect(record?.upstream_base_url).toBe(`${healthy.url}/v1`);
    expect(record?.usage).toMatchObject({ input_tokens: 3, output_tokens: 2, total_tokens: 5 });

    const second = await post(proxy.url);
    await second.text();
    expect([failing.hits.length, limited.hits.length, healthy.hits.length]).toEqual([1, 1, 2]);
    expect(proxy.records()[1]?.attempts).toHaveLength(1);

    // 30 s later the first failures' cooldowns (30 s each) are over: the pool is tried in order again.
    clock.advance(30_001);
    const third = await post(proxy.url);
    await third.text();
    expect(proxy.records()[2]?.attempts.map((a) => a.status_code ?? a.error)).toEqual([
      "connect: ECONNREFUSED",
      500,
      429,
      200,
    ]);
  });

  test("a 400 goes straight back to the client without trying the next upstream", async () => {
    using _home = tempHome();
    await using bad = startFakeUpstream(() =>
      jsonResponse({ error: { message: "bad param", type: "invalid_request_error" } }, 400, { "x-request-id": "r1" }),
    );
    await using other = startFakeUpstream(() => jsonResponse({ ok: true }));
    await using proxy = startTestProxy({ upstreams: [upstream(bad.url), upstream(other.url)] });
    const res = await post(proxy.url);
    expect(res.status).toBe(400);
    expect(res.headers.get("x-request-id")).toBe("r1");
    expect(await res.json()).toEqual({ error: { message: "bad param", type: "invalid_request_error" } });
    expect(other.hits).toHaveLength(0);
  });

  test("when every upstream fails the client gets 429 with Retry-After and what each upstream answered", async () => {
    using _home = tempHome();
    const clock = fakeClock();
    await using a = startFakeUpstream(() => jsonResponse({}, 503));
    await using b = startFakeUpstream(() => jsonResponse({}, 429, { "retry-after": "7" }));
    await using proxy = startTestProxy({ now: clock.now, upstreams: [upstream(a.url), upstream(b.url)] });
    const res = await post(proxy.url);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    const json = (await res.json()) as { error: { message: string; code: string } };
    expect(json.error.code).toBe("all_upstreams_failed");
    expect(json.error.message).toContain(`${a.url} → status 503`);
    expect(json.error.message).toContain(`${b.url} → status 429`);
    expect(proxy.records()[0]).toMatchObject({ status_code: 429 });

    // Both cooling down: the one that recovers first (b, 7 s) is still tried rather than refusing outright.
    b.setHandler(() => sseResponse(responsesEvents("back", { input_tokens: 1, output_tokens: 1 })));
    const again = await post(proxy.url);
    expect(again.status).toBe(200);
    await again.text();
    expect(a.hits).toHaveLength(1);
    expect(proxy.records()[1]?.fallback).toBe(true);
  });

  test("the upstream sees the upstream's credentials, never the client's", async () => {
    using _home = tempHome();
    await using up = startFakeUpstream(() => jsonResponse({ ok: true }));
    await using proxy = startTestProxy({ upstreams: [upstream(up.url, "sk-the-real-key-9999")] });
    await fetch(`${proxy.url}/v1/models?limit=2`, { headers: { authorization: "Bearer client-dummy" } });
    expect(up.hits[0]?.headers.authorization).toBe("Bearer sk-the-real-key-9999");
    expect(up.hits[0]?.path).toBe("/v1/models?limit=2");
    const line = JSON.stringify(proxy.records());
    expect(line).not.toContain("sk-the-real-key");
    expect(line).not.toContain("client-dummy");
  });
});
