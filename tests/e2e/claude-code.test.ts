import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { anthropicEvents, jsonResponse, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const CLAUDE = join(import.meta.dir, "../../node_modules/.bin/claude");
const CLAUDE_ENV = {
  DISABLE_TELEMETRY: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_ERROR_REPORTING: "1",
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  CLAUDE_CODE_MAX_RETRIES: "0",
};

/** A fake Anthropic API: HEAD and GET answer 200, POST /v1/messages streams (or returns JSON when not streaming). */
function anthropicUpstream(text: string, usage: Parameters<typeof anthropicEvents>[1], gapMs = 0) {
  return startFakeUpstream((req, hit) => {
    if (req.method !== "POST") return new Response(null, { status: 200 });
    const body = JSON.parse(hit.body || "{}");
    if (hit.path.startsWith("/v1/messages/count_tokens")) return jsonResponse({ input_tokens: 42 });
    if (!body.stream) {
      return jsonResponse({
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-test",
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        usage,
      });
    }
    return sseResponse(anthropicEvents(text, usage), { gapMs });
  });
}

describe("Claude Code through the proxy", () => {
  test("claude -p gets its answer from a fake Anthropic upstream; the log has the usage it reported", async () => {
    using home = tempHome();
    const usage = {
      input_tokens: 10,
      cache_creation_input_tokens: 200,
      cache_read_input_tokens: 3000,
      output_tokens: 25,
    };
    await using up = anthropicUpstream("Hello from the fake Claude, via codex-helper.", usage);
    await using proxy = startTestProxy({
      service: "claude",
      upstreams: [{ base_url: up.url, auth: { api_key: "sk-ant-upstream-real-7777" } }],
    });
    writeFileSync(
      home.paths.claudeSettings,
      JSON.stringify({
        env: { ANTHROPIC_BASE_URL: proxy.url, ANTHROPIC_AUTH_TOKEN: "codex-helper-proxy-holds-the-real-key" },
      }),
    );
    const proc = Bun.spawn([CLAUDE, "-p", "say hello"], {
      cwd: home.root,
      env: { PATH: process.env.PATH ?? "", ...home.env, ...CLAUDE_ENV },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    expect(`${stdout}${stderr}`).toContain("Hello from the fake Claude, via codex-helper.");
    expect(code).toBe(0);
    const post = up.hits.find((h) => h.method === "POST" && h.path.startsWith("/v1/messages"));
    expect(post?.headers["x-api-key"]).toBe("sk-ant-upstream-real-7777");
    expect(post?.headers.authorization).toBeUndefined();
    expect(post?.headers["anthropic-version"]).toBeDefined();
    await until(() => proxy.records().some((r) => r.path === "/v1/messages" && r.usage !== undefined), 3000);
    const record = proxy.records().find((r) => r.path === "/v1/messages" && r.usage !== undefined);
    expect(record).toMatchObject({
      service: "claude",
      status_code: 200,
      usage: {
        input_tokens: 3210,
        cached_input_tokens: 3000,
        output_tokens: 25,
        total_tokens: 3235,
        cache_creation_input_tokens: 200,
        cache_read_input_tokens: 3000,
      },
    });
  });

  test("the Anthropic SDK's messages.stream() receives events one by one", async () => {
    using _home = tempHome();
    await using up = anthropicUpstream(
      "streamed words arrive one after another",
      { input_tokens: 5, output_tokens: 7 },
      150,
    );
    await using proxy = startTestProxy({
      service: "claude",
      upstreams: [{ base_url: up.url, auth: { auth_token: "tok-up-1" } }],
    });
    const client = new Anthropic({ baseURL: proxy.url, apiKey: "client-dummy", maxRetries: 0 });
    const t0 = performance.now();
    const times: { type: string; at: number }[] = [];
    const stream = client.messages.stream({
      model: "claude-test",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    });
    for await (const event of stream) times.push({ type: event.type, at: performance.now() - t0 });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: "text", text: "streamed words arrive one after another" });
    expect(times.map((t) => t.type)).toContain("message_stop");
    expect(times.at(-1)!.at - times[0]!.at).toBeGreaterThan(700);
    expect(up.hits[0]?.headers.authorization).toBe("Bearer tok-up-1");
    expect(up.hits[0]?.headers["x-api-key"]).toBeUndefined();
    expect(up.hits[0]?.headers["accept-encoding"]).toBeUndefined();
  });

  test("fails over between Claude upstreams on 529 and 429; all failing is Anthropic's 429 shape with Retry-After", async () => {
    using _home = tempHome();
    const overloaded = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
    await using a = startFakeUpstream(() => jsonResponse(overloaded, 529));
    await using b = startFakeUpstream(() =>
      jsonResponse({ type: "error", error: { type: "rate_limit_error", message: "slow" } }, 429),
    );
    await using c = anthropicUpstream("third time lucky", { input_tokens: 1, output_tokens: 2 });
    await using proxy = startTestProxy({
      service: "claude",
      upstreams: [a.url, b.url, c.url].map((base_url) => ({ base_url, auth: { api_key: "k-123456789" } })),
    });
    const client = new Anthropic({ baseURL: proxy.url, apiKey: "x", maxRetries: 0 });
    const message = await client.messages.create({
      model: "m",
      max_tokens: 5,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message.content[0]).toMatchObject({ text: "third time lucky" });
    expect(proxy.records()[0]?.attempts.map((x) => x.status_code)).toEqual([529, 429, 200]);

    c.setHandler(() => jsonResponse(overloaded, 529));
    proxy.runtime.balancer.resetCooldown(proxy.runtime.pool().entries[2]!.key);
    const res = await fetch(`${proxy.url}/v1/messages`, { method: "POST", body: "{}" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("rate_limit_error");
  });

  test("count_tokens, models and HEAD reach the upstream with its credentials", async () => {
    using _home = tempHome();
    await using up = anthropicUpstream("x", { input_tokens: 1, output_tokens: 1 });
    await using proxy = startTestProxy({
      service: "claude",
      upstreams: [{ base_url: up.url, auth: { api_key: "k-123456789" } }],
    });
    const head = await fetch(proxy.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    const count = await fetch(`${proxy.url}/v1/messages/count_tokens?beta=true`, {
      method: "POST",
      headers: { "x-api-key": "client", authorization: "Bearer client", "anthropic-beta": "b1" },
      body: JSON.stringify({ model: "m", messages: [] }),
    });
    expect(await count.json()).toEqual({ input_tokens: 42 });
    const hit = up.hits.find((h) => h.path === "/v1/messages/count_tokens?beta=true");
    expect(hit?.headers["x-api-key"]).toBe("k-123456789");
    expect(hit?.headers.authorization).toBeUndefined();
    expect(hit?.headers["anthropic-beta"]).toBe("b1");
  });
});
