import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bootstrapCodex, type CodexSettingsInput } from "../../src/config/bootstrap";
import { tempHome } from "../fixtures/temp-home";

const files = { config: "/h/.codex/config.toml", auth: "/h/.codex/auth.json" };
const base = (over: Partial<CodexSettingsInput>): CodexSettingsInput => ({
  configToml: undefined,
  backupToml: undefined,
  switchState: undefined,
  auth: undefined,
  env: {},
  files,
  ...over,
});

describe("bootstrapCodex (pure)", () => {
  test("uses the current provider's base_url and the key from its env_key variable", () => {
    const result = bootstrapCodex(
      base({
        configToml: {
          model_provider: "relay",
          model_providers: { relay: { base_url: "https://relay.example/v1", env_key: "RELAY_KEY" } },
        },
        env: { RELAY_KEY: "sk-relay-1234567890" },
        auth: { OPENAI_API_KEY: "sk-from-auth" },
      }),
    );
    expect(result).toEqual({
      ok: true,
      name: "relay",
      from: "$RELAY_KEY",
      pool: {
        name: "relay",
        upstreams: [
          {
            base_url: "https://relay.example/v1",
            auth: { auth_token: "sk-relay-1234567890" },
            tags: { source: "codex-config", provider_id: "relay" },
          },
        ],
      },
    });
  });

  test("defaults to the openai provider and takes the key from auth.json", () => {
    const result = bootstrapCodex(base({ auth: { auth_mode: "apikey", OPENAI_API_KEY: "sk-auth-json-key" } }));
    expect(result.ok && result.pool.upstreams[0]).toEqual({
      base_url: "https://api.openai.com/v1",
      auth: { auth_token: "sk-auth-json-key" },
      tags: { source: "codex-config", provider_id: "openai" },
    });
  });

  test("an env_key variable that is empty falls back to auth.json", () => {
    const result = bootstrapCodex(
      base({
        configToml: { model_provider: "r", model_providers: { r: { base_url: "https://r/v1", env_key: "R_KEY" } } },
        env: { R_KEY: "" },
        auth: { OPENAI_API_KEY: "sk-fallback" },
      }),
    );
    expect(result.ok && result.pool.upstreams[0]?.auth.auth_token).toBe("sk-fallback");
  });

  test("a ChatGPT-only login is refused with a message that says so", () => {
    const result = bootstrapCodex(
      base({ auth: { auth_mode: "chatgpt", OPENAI_API_KEY: null, tokens: { access_token: "x" } } }),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/ChatGPT login/);
    expect(!result.ok && result.message).toContain("codex-helper config add");
  });

  test("no token at all: says what was looked at and how to fix it", () => {
    const result = bootstrapCodex(
      base({
        configToml: { model_provider: "r", model_providers: { r: { base_url: "https://r", env_key: "R_KEY" } } },
      }),
    );
    expect(!result.ok && result.message).toContain("$R_KEY");
    expect(!result.ok && result.message).toContain(files.auth);
    expect(!result.ok && result.message).toContain("codex-helper config add NAME --base-url URL");
  });

  test("already switched on: bootstraps from the provider recorded before the switch, never from ourselves", () => {
    const configToml = {
      model_provider: "codex_proxy",
      model_providers: {
        codex_proxy: { base_url: "http://127.0.0.1:3211" },
        relay: { base_url: "https://relay.example/v1", env_key: "RELAY_KEY" },
      },
    };
    const fromState = bootstrapCodex(
      base({
        configToml,
        switchState: {
          port: 3211,
          previous_model_provider: "relay",
          had_model_providers_table: true,
          file_existed: true,
        },
        env: { RELAY_KEY: "sk-relay" },
      }),
    );
    expect(fromState.ok && fromState.pool.upstreams[0]?.base_url).toBe("https://relay.example/v1");

    const fromBackup = bootstrapCodex(
      base({ configToml, backupToml: { model_provider: "relay" }, auth: { OPENAI_API_KEY: "sk-a" } }),
    );
    expect(fromBackup.ok && fromBackup.name).toBe("relay");

    const nothingRecorded = bootstrapCodex(base({ configToml, auth: { OPENAI_API_KEY: "sk-a" } }));
    expect(nothingRecorded.ok && nothingRecorded.pool.upstreams[0]?.base_url).toBe("https://api.openai.com/v1");
  });
});

async function runServe(env: Record<string, string>, extraArgs: string[] = []) {
  const proc = Bun.spawn(["bun", join(import.meta.dir, "../../src/main.ts"), "serve", "--port", "0", ...extraArgs], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return proc;
}

describe("serve's first run", () => {
  test("refuses with one line and exit 1 when there is no usable token, writing nothing", async () => {
    using home = tempHome();
    const proc = await runServe(home.env);
    const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("cannot build a first upstream");
    expect(existsSync(home.paths.config)).toBe(false);
  });

  test("bootstraps config.json from auth.json, then serves", async () => {
    using home = tempHome();
    writeFileSync(
      home.paths.codexAuth,
      JSON.stringify({ auth_mode: "apikey", OPENAI_API_KEY: "sk-bootstrap-key-7777" }),
    );
    const proc = await runServe(home.env);
    try {
      const reader = proc.stderr.getReader();
      let text = "";
      while (!text.includes("serving codex")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(text).toContain('bootstrapped codex config "openai"');
      expect(text).not.toContain("sk-bootstrap-key-7777");
      const saved = JSON.parse(readFileSync(home.paths.config, "utf8"));
      expect(saved.codex.active).toBe("openai");
      expect(saved.codex.configs.openai.upstreams[0]).toMatchObject({
        base_url: "https://api.openai.com/v1",
        tags: { source: "codex-config", provider_id: "openai" },
      });
    } finally {
      proc.kill();
      await proc.exited;
    }
  });

  test("an invalid config.json stops serve with a line naming the file and field, and is left byte-identical", async () => {
    using home = tempHome();
    const broken =
      '{ "codex": { "active": "x", "configs": { "x": { "name": "x", "upstreams": [ { "base_url": 5 } ] } } } }\n';
    writeFileSync(home.paths.config, broken);
    const proc = await runServe(home.env);
    const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${home.paths.config}: codex.configs.x.upstreams.0.base_url`);
    expect(readFileSync(home.paths.config, "utf8")).toBe(broken);
    // and a config command that would write refuses too, leaving the bytes alone
    const add = Bun.spawnSync(
      ["bun", join(import.meta.dir, "../../src/main.ts"), "config", "add", "y", "--base-url", "http://127.0.0.1:1"],
      { env: { PATH: process.env.PATH ?? "", ...home.env } },
    );
    expect(add.exitCode).toBe(1);
    expect(readFileSync(home.paths.config, "utf8")).toBe(broken);
    expect(existsSync(join(home.paths.helperHome, "config.json.lock"))).toBe(false);
  });
});
