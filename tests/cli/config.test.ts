import { describe, expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { tempHome } from "../fixtures/temp-home";

const MAIN = join(import.meta.dir, "../../src/main.ts");

function run(env: Record<string, string>, ...args: string[]) {
  const proc = Bun.spawnSync(["bun", MAIN, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

describe("codex-helper config", () => {
  test("add creates a pool, add again appends an upstream in priority order, set-active and remove work", () => {
    using home = tempHome();
    expect(
      run(
        home.env,
        "config",
        "add",
        "work",
        "--base-url",
        "https://a.example/v1",
        "--auth-token",
        "sk-aaaa-1111-secret",
      ).code,
    ).toBe(0);
    expect(
      run(home.env, "config", "add", "work", "--base-url", "https://b.example/v1", "--api-key", "key-bbbb-2222-secret")
        .code,
    ).toBe(0);
    expect(
      run(
        home.env,
        "config",
        "add",
        "home",
        "--base-url",
        "https://c.example",
        "--auth-token",
        "sk-cccc-3333",
        "--alias",
        "h",
      ).code,
    ).toBe(0);
    const saved = JSON.parse(readFileSync(home.paths.config, "utf8"));
    expect(saved.codex.active).toBe("work");
    expect(saved.codex.configs.work.upstreams.map((u: { base_url: string }) => u.base_url)).toEqual([
      "https://a.example/v1",
      "https://b.example/v1",
    ]);
    expect(statSync(home.paths.config).mode & 0o777).toBe(0o600);

    expect(run(home.env, "config", "set-active", "h").code).toBe(0);
    expect(JSON.parse(readFileSync(home.paths.config, "utf8")).codex.active).toBe("home");
    expect(run(home.env, "config", "remove", "home").code).toBe(0);
    expect(JSON.parse(readFileSync(home.paths.config, "utf8")).codex.active).toBe("work");
  });

  test("list and show never print a whole secret", () => {
    using home = tempHome();
    run(home.env, "config", "add", "work", "--base-url", "https://a.example/v1", "--auth-token", "sk-aaaa-1111-secret");
    run(home.env, "config", "add", "work", "--base-url", "https://b.example/v1", "--api-key", "key-bbbb-2222-secret");
    const list = run(home.env, "config", "list");
    const listJson = run(home.env, "config", "list", "--json");
    const show = run(home.env, "config", "show", "work");
    for (const out of [list, listJson, show]) {
      expect(out.code).toBe(0);
      expect(out.stdout + out.stderr).not.toContain("1111-secret");
      expect(out.stdout + out.stderr).not.toContain("2222-secret");
    }
    expect(list.stdout).toContain("* work");
    expect(show.stdout).toContain("sk-…cret");
    expect(JSON.parse(listJson.stdout).configs.work.upstreams[1].auth.api_key).toBe("…cret");
  });

  test("--claude acts on the Claude section only", () => {
    using home = tempHome();
    run(
      home.env,
      "config",
      "add",
      "anth",
      "--claude",
      "--base-url",
      "https://api.anthropic.com",
      "--api-key",
      "sk-ant-xxxxxxxx",
    );
    const saved = JSON.parse(readFileSync(home.paths.config, "utf8"));
    expect(Object.keys(saved.claude.configs)).toEqual(["anth"]);
    expect(Object.keys(saved.codex.configs)).toEqual([]);
  });

  test("mistakes are one clear line and exit 1", () => {
    using home = tempHome();
    const badUrl = run(home.env, "config", "add", "x", "--base-url", "ftp://nope");
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr.trim()).toBe("✖ base_url: must be an http(s) URL");
    const unknown = run(home.env, "config", "set-active", "ghost");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    expect(unknown.stderr).toContain('no codex config named "ghost"');
  });
});
