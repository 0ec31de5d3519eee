import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PLACEHOLDER_TOKEN } from "../../src/claude/settings";
import { bootstrapClaude, type ClaudeSettingsInput } from "../../src/config/bootstrap-claude";
import { tempHome } from "../fixtures/temp-home";

const input = (over: Partial<ClaudeSettingsInput>): ClaudeSettingsInput => ({
  settings: undefined,
  file: "/h/.claude/settings.json",
  switchState: undefined,
  env: {},
  ...over,
});
const state = (previous: string | null) => ({
  port: 3210,
  previous_base_url: previous,
  added_placeholder_token: false,
  had_env_object: true,
  file_existed: true,
});

describe("bootstrapClaude (pure)", () => {
  test("base URL and auth token from settings.json's env block (token sent as Bearer)", () => {
    const result = bootstrapClaude(
      input({ settings: { env: { ANTHROPIC_BASE_URL: "https://gw.example", ANTHROPIC_AUTH_TOKEN: "tok-123456789" } } }),
    );
    expect(result.ok && result.pool.upstreams[0]).toEqual({
      base_url: "https://gw.example",
      auth: { auth_token: "tok-123456789" },
      tags: { source: "claude-settings" },
    });
  });

  test("an API key becomes api_key (sent as x-api-key); the base defaults to api.anthropic.com", () => {
    const result = bootstrapClaude(input({ settings: { env: { ANTHROPIC_API_KEY: "sk-ant-key-1234" } } }));
    expect(result.ok && result.pool.upstreams[0]).toMatchObject({
      base_url: "https://api.anthropic.com",
      auth: { api_key: "sk-ant-key-1234" },
    });
  });

  test("switched on: the base URL recorded before the switch, never the proxy; the placeholder token is no credential", () => {
    const settings = { env: { ANTHROPIC_BASE_URL: "http://127.0.0.1:3210", ANTHROPIC_AUTH_TOKEN: "real-token-xyz" } };
    const withPrevious = bootstrapClaude(input({ settings, switchState: state("https://gw.example") }));
    expect(withPrevious.ok && withPrevious.pool.upstreams[0]?.base_url).toBe("https://gw.example");
    const withoutPrevious = bootstrapClaude(input({ settings, switchState: state(null) }));
    expect(withoutPrevious.ok && withoutPrevious.pool.upstreams[0]?.base_url).toBe("https://api.anthropic.com");
    const placeholderOnly = bootstrapClaude(
      input({
        settings: { env: { ANTHROPIC_BASE_URL: "http://127.0.0.1:3210", ANTHROPIC_AUTH_TOKEN: PLACEHOLDER_TOKEN } },
        switchState: state(null),
      }),
    );
    expect(placeholderOnly.ok).toBe(false);
  });

  test("no credential: a message naming the file and the fix", () => {
    const result = bootstrapClaude(input({ settings: { env: { ANTHROPIC_BASE_URL: "https://gw.example" } } }));
    expect(!result.ok && result.message).toContain("/h/.claude/settings.json");
    expect(!result.ok && result.message).toContain("codex-helper config add NAME --claude");
  });
});

describe("serve --claude first run", () => {
  const MAIN = join(import.meta.dir, "../../src/main.ts");

  test("bootstraps from the legacy claude.json when settings.json is absent", async () => {
    using home = tempHome();
    writeFileSync(
      home.paths.claudeLegacySettings,
      JSON.stringify({ env: { ANTHROPIC_API_KEY: "sk-ant-legacy-9999" } }),
    );
    const proc = Bun.spawn(["bun", MAIN, "serve", "--claude", "--port", "0"], {
      env: { PATH: process.env.PATH ?? "", ...home.env },
      stderr: "pipe",
    });
    const reader = proc.stderr.getReader();
    let text = "";
    while (!text.includes("serving claude")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    proc.kill();
    await proc.exited;
    expect(text).toContain('bootstrapped claude config "claude"');
    expect(text).not.toContain("legacy-9999");
    const saved = JSON.parse(await Bun.file(home.paths.config).text());
    expect(saved.claude.configs.claude.upstreams[0]).toMatchObject({
      base_url: "https://api.anthropic.com",
      auth: { api_key: "sk-ant-legacy-9999" },
    });
  });

  test("refuses with one line and exit 1 without any credential", async () => {
    using home = tempHome();
    writeFileSync(home.paths.claudeSettings, JSON.stringify({ env: {} }));
    const proc = Bun.spawn(["bun", MAIN, "serve", "--claude", "--port", "0"], {
      env: { PATH: process.env.PATH ?? "", ...home.env },
      stderr: "pipe",
    });
    const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("cannot build a first Claude upstream");
  });
});
