import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type SseEvent, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { tempHome } from "../fixtures/temp-home";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const CLAUDE = join(import.meta.dir, "../../node_modules/.bin/claude");

/** The Anthropic Messages stream real Claude Code accepts (see shared/CLIENTS.md). */
function messagesEvents(text: string): SseEvent[] {
  const message = {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model: "claude-fake",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 5, output_tokens: 1 },
  };
  return [
    { event: "message_start", data: { type: "message_start", message } },
    {
      event: "content_block_start",
      data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    },
    {
      event: "content_block_delta",
      data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
    },
    { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
    {
      event: "message_delta",
      data: {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: 4 },
      },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  ];
}

function fakeAnthropic(text: string) {
  return startFakeUpstream((req) =>
    req.method === "POST" ? sseResponse(messagesEvents(text)) : new Response(null, { status: 200 }),
  );
}

async function run(cmd: string[], env: Record<string, string>, cwd?: string) {
  const proc = Bun.spawn(cmd, {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_ENV: "production", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

const CLAUDE_ENV = { DISABLE_TELEMETRY: "1", DISABLE_AUTOUPDATER: "1", CLAUDE_CODE_MAX_RETRIES: "0" };

describe("switch-on --claude with the real Claude Code CLI", () => {
  test("claude -p reads the switched settings and reaches the port; after switch-off it uses the user's own settings again", async () => {
    using home = tempHome();
    await using onPort = fakeAnthropic("answered on the proxy port");
    await using mine = fakeAnthropic("answered by my own gateway");
    const original = `{\n  "model": "sonnet",\n  "env": {\n    "ANTHROPIC_BASE_URL": "${mine.url}",\n    "ANTHROPIC_AUTH_TOKEN": "sk-ant-mine-0001"\n  }\n}\n`;
    writeFileSync(home.paths.claudeSettings, original);

    const on = await run(["bun", MAIN, "switch-on", "--claude", "--port", String(onPort.port)], home.env);
    expect(on.code).toBe(0);
    const settings = JSON.parse(readFileSync(home.paths.claudeSettings, "utf8"));
    expect(settings).toEqual({
      model: "sonnet",
      env: { ANTHROPIC_BASE_URL: `http://127.0.0.1:${onPort.port}`, ANTHROPIC_AUTH_TOKEN: "sk-ant-mine-0001" },
    });

    const through = await run([CLAUDE, "-p", "hi"], { ...home.env, ...CLAUDE_ENV }, home.root);
    expect(through.stdout).toContain("answered on the proxy port");
    const post = onPort.hits.find((h) => h.method === "POST");
    expect(post?.path).toBe("/v1/messages?beta=true");
    expect(post?.headers.authorization).toBe("Bearer sk-ant-mine-0001");
    expect(mine.hits.filter((h) => h.method === "POST")).toHaveLength(0);

    const off = await run(["bun", MAIN, "switch-off", "--claude"], home.env);
    expect(off.code).toBe(0);
    expect(readFileSync(home.paths.claudeSettings, "utf8")).toBe(original);
    const direct = await run([CLAUDE, "-p", "hi again"], { ...home.env, ...CLAUDE_ENV }, home.root);
    expect(direct.stdout).toContain("answered by my own gateway");
  }, 60_000);

  test("without any token, Claude Code runs on the placeholder instead of asking to log in", async () => {
    using home = tempHome();
    await using onPort = fakeAnthropic("placeholder accepted");
    const on = await run(["bun", MAIN, "switch-on", "--claude", "--port", String(onPort.port)], home.env);
    expect(on.code).toBe(0);
    const result = await run([CLAUDE, "-p", "hi"], { ...home.env, ...CLAUDE_ENV }, home.root);
    expect(result.stdout).toContain("placeholder accepted");
    expect(onPort.hits.find((h) => h.method === "POST")?.headers.authorization).toBe(
      "Bearer codex-helper-proxy-holds-the-real-key",
    );
    expect(onPort.hits.find((h) => h.method === "POST")?.headers["x-api-key"]).toBeUndefined();
  }, 60_000);
});
