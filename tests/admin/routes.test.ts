import { describe, expect, test } from "bun:test";
import { adminRoutes } from "../../src/admin/routes";
import { createAdminState } from "../../src/admin/state";
import type { StatusSnapshot } from "../../src/admin/status";
import { NO_RULES } from "../../src/filter/rules";
import { Balancer } from "../../src/lb/balancer";
import { createApp } from "../../src/proxy/app";
import { DEFAULT_LIMITS } from "../../src/proxy/forward";
import { checkAdminClient, isLoopbackAddress } from "../../src/proxy/guard";
import { fakeClock } from "../fixtures/fake-clock";
import { jsonResponse, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const body = JSON.stringify({ model: "gpt-test", input: "hi", stream: true });
const post = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/responses`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
const withAdmin = {
  admin: (sources: Parameters<typeof createAdminState>[0]) => adminRoutes(createAdminState(sources)),
};

function metricValue(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf("}"));
    const parts = inside.split(/,(?=[a-z_]+=")/);
    if (wanted.every((w) => parts.includes(w))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("admin endpoint", () => {
  test("status and metrics show a failover and the failing upstream's cooldown; reset clears it", async () => {
    using _home = tempHome();
    const clock = fakeClock();
    await using failing = startFakeUpstream(() => jsonResponse({ error: { message: "boom" } }, 500));
    await using healthy = startFakeUpstream(() =>
      sseResponse(responsesEvents("ok", { input_tokens: 10, cached_tokens: 4, output_tokens: 6, reasoning_tokens: 2 })),
    );
    await using proxy = startTestProxy({
      now: clock.now,
      upstreams: [
        upstream(`${failing.url}/v1`, "sk-failing-secret-AAAA"),
        upstream(`${healthy.url}/v1`, "sk-healthy-secret-BBBB"),
      ],
      ...withAdmin,
    });

    const res = await post(proxy.url);
    expect(res.status).toBe(200);
    await res.text();
    await until(() => proxy.records().length === 1);

    const statusRes = await fetch(`${proxy.url}/_codex-helper/status`);
    expect(statusRes.status).toBe(200);
    const raw = await statusRes.text();
    expect(raw).not.toContain("sk-failing-secret");
    expect(raw).not.toContain("sk-healthy-secret");
    const status = JSON.parse(raw) as StatusSnapshot;
    expect(status.service).toBe("codex");
    expect(status.active_config).toBe("main");
    const [a, b] = status.configs[0]!.upstreams;
    expect(a).toMatchObject({
      index: 0,
      base_url: `${failing.url}/v1`,
      state: "cooling_down",
      cooldown_until: clock.now() + 30_000,
      cooldown_reason: "status 500",
      last_error: "status 500",
      requests: 1,
      errors: 1,
      auth: { auth_token: "sk-…AAAA" },
    });
    expect(b).toMatchObject({ index: 1, state: "healthy", requests: 1, errors: 0, cooldown_until: null });
    expect(b!.last_latency_ms).toBeGreaterThan(0);
    expect(status.traffic).toMatchObject({
      requests: 1,
      errors: 0,
      failovers: 1,
      tokens: { input: 10, cached_input: 4, output: 6, reasoning: 2 },
    });

    const metricsRes = await fetch(`${proxy.url}/_codex-helper/metrics`);
    expect(metricsRes.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const metrics = await metricsRes.text();
    expect(metrics).not.toContain("secret");
    const A = { service: "codex", config: "main", upstream: `${failing.url}/v1` };
    const B = { service: "codex", config: "main", upstream: `${healthy.url}/v1` };
    expect(metricValue(metrics, "codex_helper_requests_total", { ...B, status_class: "2xx" })).toBe(1);
    expect(metricValue(metrics, "codex_helper_failovers_total", A)).toBe(1);
    expect(metricValue(metrics, "codex_helper_upstream_cooling_down", A)).toBe(1);
    expect(metricValue(metrics, "codex_helper_upstream_cooling_down", B)).toBe(0);
    expect(metricValue(metrics, "codex_helper_upstream_cooldown_remaining_seconds", A)).toBe(30);
    expect(metricValue(metrics, "codex_helper_input_tokens_total", B)).toBe(10);
    expect(metricValue(metrics, "codex_helper_output_tokens_total", B)).toBe(6);
    expect(metricValue(metrics, "codex_helper_ttfb_seconds_count", B)).toBe(1);
    expect(metricValue(metrics, "codex_helper_ttfb_seconds_bucket", { ...B, le: "+Inf" })).toBe(1);

    // While A cools down the next request goes straight to B.
    await (await post(proxy.url)).text();
    expect(failing.hits).toHaveLength(1);

    const reset = await fetch(`${proxy.url}/_codex-helper/upstreams/0/reset`, { method: "POST" });
    expect(reset.status).toBe(200);
    expect(((await reset.json()) as { reset: { state: string }[] }).reset[0]?.state).toBe("healthy");
    const after = (await (await fetch(`${proxy.url}/_codex-helper/status`)).json()) as StatusSnapshot;
    expect(after.configs[0]!.upstreams[0]).toMatchObject({
      state: "healthy",
      cooldown_until: null,
      last_error: "status 500",
    });
    const metricsAfter = await (await fetch(`${proxy.url}/_codex-helper/metrics`)).text();
    expect(metricValue(metricsAfter, "codex_helper_upstream_cooling_down", A)).toBe(0);
    // Healthy again: the next request tries A first.
    await (await post(proxy.url)).text();
    expect(failing.hits).toHaveLength(2);
  });

  test("reset accepts a base URL or a key, and answers 404 naming the problem for an unknown one", async () => {
    using _home = tempHome();
    const clock = fakeClock();
    await using failing = startFakeUpstream(() => jsonResponse({}, 503));
    await using healthy = startFakeUpstream(() => jsonResponse({ ok: true }));
    await using proxy = startTestProxy({
      now: clock.now,
      upstreams: [upstream(failing.url), upstream(healthy.url)],
      ...withAdmin,
    });
    const cooling = async () =>
      ((await (await fetch(`${proxy.url}/_codex-helper/status`)).json()) as StatusSnapshot).configs[0]!.upstreams[0]!;
    await (await post(proxy.url)).text();
    expect((await cooling()).state).toBe("cooling_down");
    const byUrl = await fetch(`${proxy.url}/_codex-helper/upstreams/${encodeURIComponent(failing.url)}/reset`, {
      method: "POST",
    });
    expect(byUrl.status).toBe(200);
    expect((await cooling()).state).toBe("healthy");

    await (await post(proxy.url)).text();
    const key = (await cooling()).key;
    expect((await cooling()).state).toBe("cooling_down");
    const byKey = await fetch(`${proxy.url}/_codex-helper/upstreams/${encodeURIComponent(key)}/reset`, {
      method: "POST",
    });
    expect(byKey.status).toBe(200);
    expect((await cooling()).state).toBe("healthy");

    const unknown = await fetch(`${proxy.url}/_codex-helper/upstreams/7/reset`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain("no upstream #7");
  });

  test("with an access token configured, admin paths are refused without it and served with it", async () => {
    using _home = tempHome();
    await using up = startFakeUpstream(() => jsonResponse({ ok: true }));
    await using proxy = startTestProxy({
      upstreams: [upstream(up.url)],
      accessToken: "proxy-token-1234",
      ...withAdmin,
    });
    for (const path of ["status", "metrics"]) {
      const refused = await fetch(`${proxy.url}/_codex-helper/${path}`);
      expect(refused.status).toBe(401);
      const wrong = await fetch(`${proxy.url}/_codex-helper/${path}`, {
        headers: { authorization: "Bearer nope-nope-nope" },
      });
      expect(wrong.status).toBe(401);
      const ok = await fetch(`${proxy.url}/_codex-helper/${path}`, {
        headers: { authorization: "Bearer proxy-token-1234" },
      });
      expect(ok.status).toBe(200);
    }
    const reset = await fetch(`${proxy.url}/_codex-helper/upstreams/0/reset`, { method: "POST" });
    expect(reset.status).toBe(401);
  });

  test("a cross-site page cannot reset an upstream (foreign Origin refused)", async () => {
    using _home = tempHome();
    await using up = startFakeUpstream(() => jsonResponse({ ok: true }));
    await using proxy = startTestProxy({ upstreams: [upstream(up.url)], ...withAdmin });
    const res = await fetch(`${proxy.url}/_codex-helper/upstreams/0/reset`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
  });
});

describe("admin guard", () => {
  test("loopback socket addresses are recognised, others are not", () => {
    for (const ip of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) expect(isLoopbackAddress(ip)).toBe(true);
    for (const ip of ["10.0.0.2", "192.168.1.5", "::ffff:10.0.0.2", "fe80::1", "0.0.0.0"])
      expect(isLoopbackAddress(ip)).toBe(false);
    expect(checkAdminClient("192.168.1.5")).toMatchObject({ ok: false, status: 403 });
    expect(checkAdminClient("127.0.0.1")).toEqual({ ok: true });
  });

  test("admin paths refuse a non-loopback client even with the right token, while API paths still accept it", async () => {
    const app = createApp({
      service: "codex",
      pool: () => ({ configName: "main", entries: [] }),
      balancer: new Balancer(),
      fetch: async () => new Response("unused"),
      now: Date.now,
      filter: () => NO_RULES,
      log: () => {},
      limits: DEFAULT_LIMITS,
      guard: { loopbackOnly: false, accessToken: "proxy-token-1234" },
    });
    const remote = { server: { requestIP: () => ({ address: "192.168.1.20", family: "IPv4", port: 5555 }) } };
    const local = { server: { requestIP: () => ({ address: "127.0.0.1", family: "IPv4", port: 5555 }) } };
    const auth = { host: "proxy.lan:3211", authorization: "Bearer proxy-token-1234" };
    const health = (env: unknown, headers: Record<string, string>) =>
      app.fetch(new Request("http://proxy.lan:3211/_codex-helper/health", { headers }), env);
    expect((await health(remote, auth)).status).toBe(403);
    expect((await health(local, auth)).status).toBe(200);
    expect((await health(local, { host: "proxy.lan:3211" })).status).toBe(401);
    // An API path from the same remote client with the token reaches forwarding (503: no upstream configured).
    const api = await app.fetch(
      new Request("http://proxy.lan:3211/responses", { method: "POST", headers: auth, body: "{}" }),
      remote,
    );
    expect(api.status).toBe(503);
  });
});
