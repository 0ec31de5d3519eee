import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serializeConfig } from "../../src/config/save";
import type { ConfigFile } from "../../src/config/schema";
import { clockCheck, codexConfigCheck, permissionsCheck, renderChecks } from "../../src/doctor/checks";
import { atomicWriteFile } from "../../src/fs/atomic-write";
import { closedPort, jsonResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, upstream } from "../fixtures/proxy";
import { type TempHome, tempHome } from "../fixtures/temp-home";

const MAIN = join(import.meta.dir, "../../src/main.ts");

async function doctor(env: Record<string, string>, ...args: string[]) {
  const proc = Bun.spawn(["bun", MAIN, "doctor", ...args], {
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code, stdout, stderr };
}

function pointCodexAt(home: TempHome, port: number) {
  writeFileSync(
    home.paths.codexConfig,
    `# my settings\nmodel = "gpt-5-codex"\nmodel_provider = "codex_proxy"\n\n[model_providers.codex_proxy]\nname = "codex-helper"\nbase_url = "http://127.0.0.1:${port}"\nwire_api = "responses"\n`,
  );
}

function setup(home: TempHome, upstreamUrl: string): ConfigFile {
  const config: ConfigFile = {
    codex: { active: "main", configs: { main: { name: "main", upstreams: [upstream(`${upstreamUrl}/v1`)] } } },
    claude: { configs: {} },
  };
  atomicWriteFile(home.paths.config, serializeConfig(config));
  mkdirSync(home.paths.logDir, { recursive: true, mode: 0o700 });
  chmodSync(home.paths.helperHome, 0o700);
  return config;
}

describe("codex-helper doctor", () => {
  test("a healthy setup: every check ✓, exit 0, nothing on stderr when piped", async () => {
    using home = tempHome();
    await using up = startFakeUpstream(() => jsonResponse({ error: { message: "no key" } }, 401));
    const config = setup(home, up.url);
    await using proxy = startTestProxy({ config });
    pointCodexAt(home, proxy.runtime.server.server.port as number);

    const out = await doctor(home.env);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split("\n");
    const marks = lines.filter((l) => /^[✓!✗] /.test(l));
    expect(marks.map((l) => l.split(":")[0])).toEqual([
      "✓ clock",
      "✓ config.json",
      "✓ Codex config",
      "✓ proxy",
      "✓ tokens",
      "✓ upstream codex/main#0",
      "✓ permissions",
      "✓ request log",
    ]);
    expect(out.stdout).toContain(`${up.url}/v1 answered HTTP 401`);
    expect(up.hits.map((h) => h.path)).toEqual(["/v1/models"]);
    // Doctor probes without credentials: nothing to leak, nothing billed.
    expect(up.hits[0]?.headers.authorization).toBeUndefined();
    expect(lines.at(-1)).toBe("all checks passed");
  });

  test("a broken config.json: ✗ naming the file and field with a fix, exit 1", async () => {
    using home = tempHome();
    chmodSync(home.paths.helperHome, 0o700);
    writeFileSync(
      home.paths.config,
      JSON.stringify({
        codex: { active: "main", configs: { main: { name: "main", upstreams: [{ base_url: "nope" }] } } },
      }),
      { mode: 0o644 },
    );
    chmodSync(home.paths.config, 0o644);
    const out = await doctor(home.env, "--port", String(await closedPort()));
    expect(out.code).toBe(1);
    const lines = out.stdout.split("\n");
    const i = lines.findIndex((l) => l.startsWith("✗ config.json:"));
    expect(lines[i]).toContain(home.paths.config);
    expect(lines[i]).toContain("codex.configs.main.upstreams.0.base_url");
    expect(lines[i + 1]).toMatch(/^ {4}fix: /);
    // The same file is readable by others: it holds API keys, so that is a failure with the exact chmod.
    const perm = lines.findIndex((l) => l.startsWith("✗ permissions:"));
    expect(lines[perm]).toContain(`${home.paths.config} is 644`);
    expect(lines[perm + 1]).toBe(`    fix: chmod 600 ${home.paths.config}`);
    expect(lines.filter((l) => l !== "").at(-1)).toMatch(/^\d+ problems? found$/);
  });

  test("a dead upstream and a stopped proxy that Codex points at: ✗ each, with fixes, exit 1", async () => {
    using home = tempHome();
    const dead = await closedPort();
    setup(home, `http://127.0.0.1:${dead}`);
    const stopped = await closedPort();
    pointCodexAt(home, stopped);
    const out = await doctor(home.env, "--json");
    expect(out.code).toBe(1);
    const results = JSON.parse(out.stdout) as { name: string; status: string; detail: string; fix?: string }[];
    const upstreamResult = results.find((r) => r.name === "upstream codex/main#0");
    expect(upstreamResult).toMatchObject({ status: "fail" });
    expect(upstreamResult?.detail).toContain("ECONNREFUSED");
    expect(upstreamResult?.fix).toContain("codex-helper config remove main");
    const proxyResult = results.find((r) => r.name === "proxy");
    expect(proxyResult).toMatchObject({ status: "fail", fix: `start it: codex-helper serve --port ${stopped}` });
    expect(proxyResult?.detail).toContain("Codex requests will fail");
  });

  test("pure verdicts: clock, Codex config variants, permissions", () => {
    expect(clockCheck(Date.UTC(2026, 0, 1)).status).toBe("ok");
    expect(clockCheck(Date.UTC(2001, 0, 1))).toMatchObject({ status: "fail" });
    expect(codexConfigCheck("c.toml", undefined, 3211, {})[0]).toMatchObject({ status: "warn" });
    expect(codexConfigCheck("c.toml", 'model = "x"\n[broken', 3211, {})[0]).toMatchObject({ status: "fail" });
    expect(codexConfigCheck("c.toml", 'model = "x"\n', 3211, {})[0]?.detail).toContain('provider "openai"');
    const viaProxy =
      'model_provider = "p"\n[model_providers.p]\nbase_url = "http://localhost:3300/v1"\nenv_key = "PROXY_KEY"\n';
    expect(codexConfigCheck("c.toml", viaProxy, 3211, {})[0]).toMatchObject({ status: "fail" });
    const ok = codexConfigCheck("c.toml", viaProxy, 3300, {});
    expect(ok.map((r) => r.status)).toEqual(["ok", "fail"]);
    expect(ok[1]?.fix).toContain("export PROXY_KEY=");
    expect(codexConfigCheck("c.toml", viaProxy, 3300, { PROXY_KEY: "x" }).map((r) => r.status)).toEqual(["ok"]);
    const dirOnly = permissionsCheck([{ path: "/h", mode: 0o755, kind: "dir", secret: false }], "linux");
    expect(dirOnly).toMatchObject({ status: "warn", fix: "chmod 700 /h" });
    expect(permissionsCheck([{ path: "/h/c", mode: 0o640, kind: "file", secret: true }], "linux").status).toBe("fail");
    expect(permissionsCheck([{ path: "/h/c", mode: 0o640, kind: "file", secret: true }], "win32").status).toBe("ok");
    expect(renderChecks([{ name: "a", status: "warn", detail: "d", fix: "f" }])).toBe(
      "! a: d\n    fix: f\n\nall checks passed (1 note)\n",
    );
  });
});
