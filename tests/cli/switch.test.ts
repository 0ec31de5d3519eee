import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { type TempHome, tempHome } from "../fixtures/temp-home";

const MAIN = join(import.meta.dir, "../../src/main.ts");

async function cli(home: TempHome, ...args: string[]) {
  const proc = Bun.spawn(["bun", MAIN, ...args], {
    env: { ...process.env, NODE_ENV: "production", ...home.env },
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

describe("switch commands", () => {
  test("ten parallel switch-on processes leave one valid file and one backup", async () => {
    using home = tempHome();
    const original =
      '# mine\nmodel = "o3"\nmodel_provider = "azure"\n\n[model_providers.azure]\nname = "Azure"\nbase_url = "https://a.example/v1"\nwire_api = "responses"\n';
    writeFileSync(home.paths.codexConfig, original);
    const runs = await Promise.all(Array.from({ length: 10 }, () => cli(home, "switch-on", "--port", "3999")));
    for (const run of runs) expect(run.code).toBe(0);
    const text = readFileSync(home.paths.codexConfig, "utf8");
    const doc = parse(text) as { model_provider: string; model_providers: Record<string, { base_url: string }> };
    expect(doc.model_provider).toBe("codex_proxy");
    expect(doc.model_providers.codex_proxy?.base_url).toBe("http://127.0.0.1:3999");
    expect(text.match(/\[model_providers\.codex_proxy\]/g)).toHaveLength(1);
    expect(readFileSync(home.paths.codexConfigBackup, "utf8")).toBe(original);
    const leftovers = readdirSync(home.env.CODEX_HOME).filter((f) => f.endsWith(".tmp") || f.endsWith(".lock"));
    expect(leftovers).toEqual([]);
    expect(runs.filter((r) => r.stderr.includes("backed up the original"))).toHaveLength(1);

    const off = await cli(home, "switch-off");
    expect(off.code).toBe(0);
    expect(readFileSync(home.paths.codexConfig, "utf8")).toBe(original);
  }, 30_000);

  test("an unparseable config.toml: one error line with line and column, exit 1, file untouched", async () => {
    using home = tempHome();
    writeFileSync(home.paths.codexConfig, "model = \n");
    const run = await cli(home, "switch-on");
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/not valid TOML at line 1, column \d+/);
    expect(readFileSync(home.paths.codexConfig, "utf8")).toBe("model = \n");
    expect(existsSync(home.paths.codexConfigBackup)).toBe(false);
  });

  test("switch status --json says where Codex and Claude Code point and whether a proxy answers", async () => {
    using home = tempHome();
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (req) => Response.json({ ok: new URL(req.url).pathname === "/_codex-helper/health" }),
    });
    try {
      expect((await cli(home, "switch-on", "--port", String(server.port))).code).toBe(0);
      expect((await cli(home, "switch-on", "--claude", "--port", "1")).code).toBe(0);
      const run = await cli(home, "switch", "status", "--json");
      expect(run.code).toBe(0);
      const status = JSON.parse(run.stdout);
      expect(status.codex).toMatchObject({ switched_on: true, port: server.port, proxy: "answering" });
      expect(status.claude).toMatchObject({ switched_on: true, port: 1, proxy: "not running" });
      const human = await cli(home, "switch", "status");
      expect(human.stdout).toContain(`port ${server.port}, proxy answering`);
      expect(human.stdout).toContain("port 1, proxy NOT running");
    } finally {
      await server.stop(true);
    }
  });

  test("switch-off when nothing was switched says so and exits 0", async () => {
    using home = tempHome();
    const run = await cli(home, "switch-off");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("not switched to the proxy");
  });
});
