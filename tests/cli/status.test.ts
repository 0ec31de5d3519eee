import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { StatusSnapshot } from "../../src/admin/status";
import { renderStatus } from "../../src/admin/status-table";
import { serializeConfig } from "../../src/config/save";
import { atomicWriteFile } from "../../src/fs/atomic-write";
import { closedPort, jsonResponse, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const MAIN = join(import.meta.dir, "../../src/main.ts");

async function cli(env: Record<string, string>, ...args: string[]) {
  const proc = Bun.spawn(["bun", MAIN, ...args], {
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

/** A real `codex-helper serve` child on a free port; waits for its health route. */
async function startServe(env: Record<string, string>) {
  const port = await closedPort();
  const proc = Bun.spawn(["bun", MAIN, "serve", "--port", String(port)], {
    env: { ...process.env, ...env },
    stdout: "ignore",
    stderr: "pipe",
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/_codex-helper/health`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("serve did not start");
    await Bun.sleep(50);
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async [Symbol.asyncDispose]() {
      proc.kill();
      await proc.exited;
    },
  };
}

describe("codex-helper status and reset", () => {
  test("against a running serve: the table shows a failover's cooldown, --json the same state, reset clears it", async () => {
    using home = tempHome();
    await using failing = startFakeUpstream(() => jsonResponse({ error: { message: "boom" } }, 500));
    await using healthy = startFakeUpstream(() =>
      sseResponse(responsesEvents("ok", { input_tokens: 12, output_tokens: 3 })),
    );
    atomicWriteFile(
      home.paths.config,
      serializeConfig({
        codex: {
          active: "main",
          configs: {
            main: {
              name: "main",
              upstreams: [
                upstream(failing.url, "sk-failing-secret-AAAA"),
                upstream(healthy.url, "sk-healthy-secret-BBBB"),
              ],
            },
            spare: { name: "spare", upstreams: [upstream(healthy.url, "sk-spare-secret-CCCC")] },
          },
        },
        claude: { configs: {} },
      }),
    );
    await using serve = await startServe(home.env);
    const res = await fetch(`${serve.url}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: "hi", stream: true }),
    });
    expect(await res.text()).toContain("response.completed");

    const table = await cli(home.env, "status", "--port", String(serve.port));
    expect(table.code).toBe(0);
    expect(table.stdout).not.toContain("secret");
    expect(table.stdout).toContain("active config: main");
    expect(table.stdout).toContain("failovers 1");
    const rows = table.stdout.split("\n");
    const rowA = rows.find((r) => r.startsWith("0 "));
    const rowB = rows.find((r) => r.startsWith("1 "));
    expect(rowA).toMatch(/cooling down (2\d|30)s \(status 500\)/);
    expect(rowA).toContain("sk-…AAAA");
    expect(rowB).toContain("healthy");
    expect(table.stdout).toContain("other configs: spare: 1 upstream(s)");

    const json = await cli(home.env, "status", "--json", "--port", String(serve.port));
    const snapshot = JSON.parse(json.stdout) as StatusSnapshot;
    expect(snapshot.configs[0]?.upstreams[0]?.state).toBe("cooling_down");
    expect(snapshot.traffic.tokens.input).toBe(12);

    const reset = await cli(home.env, "reset", "0", "--port", String(serve.port));
    expect(reset.code).toBe(0);
    expect(reset.stderr).toContain("cooldown cleared");
    const after = JSON.parse(
      (await cli(home.env, "status", "--json", "--port", String(serve.port))).stdout,
    ) as StatusSnapshot;
    expect(after.configs[0]?.upstreams[0]?.state).toBe("healthy");

    const unknown = await cli(home.env, "reset", "https://nowhere.example/v1", "--port", String(serve.port));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no upstream "https://nowhere.example/v1"');
  });

  test("with no proxy running, status says so in one line and exits 1", async () => {
    using home = tempHome();
    const port = await closedPort();
    for (const args of [["status"], ["status", "--json"], ["reset", "0"]]) {
      const out = await cli(home.env, ...args, "--port", String(port));
      expect(out.code).toBe(1);
      expect(out.stdout).toBe("");
      expect(out.stderr.trim().split("\n")).toEqual([
        `✖ no codex-helper proxy is running on 127.0.0.1:${port} (start one: codex-helper serve)`,
      ]);
    }
  });

  test("the table shows exhaustion, usage providers and an empty pool readably", () => {
    const base: StatusSnapshot = {
      service: "codex",
      version: "0.1.0",
      pid: 42,
      started_at: 0,
      now: 3_723_000,
      active_config: "main",
      configs: [{ name: "main", alias: null, active: true, upstreams: [] }],
      traffic: {
        requests: 0,
        errors: 0,
        failovers: 0,
        client_aborts: 0,
        tokens: { input: 0, cached_input: 0, output: 0, reasoning: 0 },
        by_request: [],
        by_failover: [],
        by_tokens: [],
        ttfb: [],
      },
      usage_providers: null,
    };
    expect(renderStatus(base)).toContain("up 1h 02m");
    expect(renderStatus(base)).toContain("no codex upstream configured");
    const upstreamRow = {
      index: 0,
      key: "https://a.example/v1#00000000",
      base_url: "https://a.example/v1",
      auth: { auth_token: "sk-…1234" },
      state: "exhausted" as const,
      cooldown_until: null,
      cooldown_remaining_ms: null,
      cooldown_reason: null,
      consecutive_failures: 0,
      exhausted: true,
      last_error: null,
      last_error_at: null,
      requests: 3,
      errors: 0,
      last_latency_ms: 250.4,
      last_success_at: 1,
    };
    const text = renderStatus({
      ...base,
      configs: [{ name: "main", alias: null, active: true, upstreams: [upstreamRow] }],
      usage_providers: [{ id: "packycode", exhausted: true }],
    });
    expect(text).toContain("exhausted (quota spent)");
    expect(text).toContain("250 ms");
    expect(text).toContain('{"id":"packycode","exhausted":true}');
  });
});
