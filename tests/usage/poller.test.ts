import { describe, expect, test } from "bun:test";
import { Balancer } from "../../src/lb/balancer";
import { upstreamKey } from "../../src/lb/upstream-key";
import { UsageMonitor } from "../../src/usage/poller";
import type { Provider } from "../../src/usage/provider-schema";
import { fakeClock } from "../fixtures/fake-clock";
import { jsonResponse, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const provider = (endpoint: string, domains = ["localhost"]): Provider => ({
  id: "relay",
  kind: "budget_http_json",
  domains,
  endpoint,
  token_env: null,
  poll_interval_secs: 60,
});

describe("usage providers route around spent budgets", () => {
  test("not exhausted → exhausted (traffic moves on) → all exhausted (fallback, logged) → reset (traffic returns)", async () => {
    using _home = tempHome();
    let budget = { monthly_budget_usd: 100, monthly_spent_usd: 10 };
    await using api = startFakeUpstream(() => jsonResponse({ data: budget }));
    const answer = () => sseResponse(responsesEvents("ok", { input_tokens: 1, output_tokens: 1 }));
    await using first = startFakeUpstream(answer);
    await using second = startFakeUpstream(answer);
    // Both relays on "localhost" belong to the provider; a 127.0.0.1 upstream would not.
    const firstUrl = `http://localhost:${first.port}/v1`;
    const secondUrl = `http://localhost:${second.port}/v1`;
    await using proxy = startTestProxy({
      upstreams: [
        { base_url: firstUrl, auth: { auth_token: "sk-relay-token-1" } },
        { base_url: secondUrl, auth: { auth_token: "sk-relay-token-2" } },
      ],
    });
    const messages: string[] = [];
    const monitor = new UsageMonitor({
      providers: [provider(`${api.url}/info`)],
      upstreams: () => proxy.runtime.pool().entries,
      balancer: proxy.runtime.balancer,
      fetch,
      now: Date.now,
      env: {},
      report: (m) => messages.push(m),
    });
    const ask = async () => (await fetch(`${proxy.url}/responses`, { method: "POST", body: "{}" })).text();

    await monitor.pollAll();
    expect(api.hits[0]?.headers.authorization).toBe("Bearer sk-relay-token-1");
    await ask();
    expect([first.hits.length, second.hits.length]).toEqual([1, 0]);

    // Only the first relay's provider is spent: mark just it by giving the second its own domain.
    budget = { monthly_budget_usd: 100, monthly_spent_usd: 100 };
    const onlyFirst = new UsageMonitor({
      providers: [provider(`${api.url}/info`)],
      upstreams: () => proxy.runtime.pool().entries.slice(0, 1),
      balancer: proxy.runtime.balancer,
      fetch,
      now: Date.now,
      env: {},
      report: (m) => messages.push(m),
    });
    await onlyFirst.pollAll();
    await ask();
    expect([first.hits.length, second.hits.length]).toEqual([1, 1]);

    // Both spent: fall back to ignoring exhaustion rather than refusing; the log says so.
    await monitor.pollAll();
    await ask();
    expect([first.hits.length, second.hits.length]).toEqual([2, 1]);
    await until(() => proxy.records().length === 3);
    expect(proxy.records().map((r) => r.fallback ?? false)).toEqual([false, false, true]);

    // The budget resets: traffic returns to the first relay at once, normal mode.
    budget = { monthly_budget_usd: 100, monthly_spent_usd: 0 };
    await monitor.pollAll();
    await ask();
    expect([first.hits.length, second.hits.length]).toEqual([3, 1]);
    await until(() => proxy.records().length === 4);
    expect(proxy.records()[3]?.fallback).toBeUndefined();
    expect(monitor.status()[0]).toMatchObject({
      exhausted: false,
      figures: { monthly_budget_usd: 100, monthly_spent_usd: 0 },
    });
    expect(JSON.stringify(monitor.status())).not.toContain("sk-relay");
    expect(messages.some((m) => m.includes("exhausted"))).toBe(true);
  });

  test("a failing quota API is never exhaustion: 500, garbage, HTML and a hang keep the last state, reported once per change", async () => {
    using _home = tempHome();
    let mode: "ok" | "spent" | "500" | "garbage" | "html" | "hang" = "spent";
    await using api = startFakeUpstream(async () => {
      if (mode === "500") return new Response("oops", { status: 500 });
      if (mode === "garbage") return jsonResponse({ hello: "world" });
      if (mode === "html") return new Response("<html>login</html>", { headers: { "content-type": "text/html" } });
      if (mode === "hang") await Bun.sleep(2000);
      return jsonResponse({ monthly_budget_usd: 10, monthly_spent_usd: mode === "spent" ? 10 : 1 });
    });
    const balancer = new Balancer();
    const entry = {
      key: upstreamKey({ base_url: "https://api.relay.test/v1", auth: { auth_token: "t" } }),
      upstream: { base_url: "https://api.relay.test/v1", auth: { auth_token: "t" } },
    };
    const messages: string[] = [];
    const monitor = new UsageMonitor({
      providers: [provider(`${api.url}/info`, ["relay.test"])],
      upstreams: () => [entry],
      balancer,
      fetch,
      now: Date.now,
      env: {},
      report: (m) => messages.push(m),
      pollTimeoutMs: 200,
    });
    await monitor.pollAll();
    expect(balancer.health(entry.key).exhausted).toBe(true);
    for (const failure of ["500", "garbage", "html", "hang"] as const) {
      mode = failure;
      const t0 = Date.now();
      await monitor.pollAll();
      expect(Date.now() - t0).toBeLessThan(1500);
      expect(balancer.health(entry.key).exhausted).toBe(true);
      expect(monitor.status()[0]?.error).not.toBeNull();
    }
    await monitor.pollAll(); // the same failure again: no new line
    const failureLines = messages.filter((m) => m.includes("poll failed"));
    expect(failureLines).toHaveLength(1);
    mode = "ok";
    await monitor.pollAll();
    expect(balancer.health(entry.key).exhausted).toBe(false);
  });

  test("a 429 triggers a refresh, coalesced and at most once per 10 s; other failures do not", async () => {
    using _home = tempHome();
    await using api = startFakeUpstream(async () => {
      await Bun.sleep(50);
      return jsonResponse({ monthly_budget_usd: 10, monthly_spent_usd: 1 });
    });
    const clock = fakeClock();
    const entry = { key: "k", upstream: { base_url: "https://api.relay.test/v1", auth: { auth_token: "t" } } };
    const monitor = new UsageMonitor({
      providers: [provider(`${api.url}/info`, ["relay.test"])],
      upstreams: () => [entry],
      balancer: new Balancer(),
      fetch,
      now: clock.now,
      env: {},
      report: () => {},
    });
    await monitor.pollAll();
    expect(api.hits).toHaveLength(1);
    clock.advance(11_000);
    monitor.onUpstreamFailure("k", 500);
    for (let i = 0; i < 5; i++) monitor.onUpstreamFailure("k", 429);
    await until(() => api.hits.length === 2);
    await Bun.sleep(120); // let that refresh finish, so the next pollAll is a poll of its own
    await monitor.pollAll();
    expect(api.hits).toHaveLength(3); // pollAll itself always asks
    clock.advance(5_000);
    monitor.onUpstreamFailure("k", 429);
    await Bun.sleep(100);
    expect(api.hits).toHaveLength(3);
  });

  test("providers with no upstream of the active pool are never called (no traffic to a relay you do not use)", async () => {
    using _home = tempHome();
    await using api = startFakeUpstream(() => jsonResponse({ monthly_budget_usd: 1, monthly_spent_usd: 0 }));
    const monitor = new UsageMonitor({
      providers: [provider(`${api.url}/info`, ["elsewhere.test"])],
      upstreams: () => [{ key: "k", upstream: { base_url: "https://api.openai.com/v1", auth: { auth_token: "t" } } }],
      balancer: new Balancer(),
      fetch,
      now: Date.now,
      env: {},
      report: () => {},
    });
    await monitor.pollAll();
    expect(api.hits).toHaveLength(0);
  });
});
