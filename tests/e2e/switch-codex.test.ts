import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codexExec } from "../fixtures/codex-cli";
import { closedPort, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { tempHome } from "../fixtures/temp-home";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const _CODEX = join(import.meta.dir, "../../node_modules/.bin/codex");

async function helper(env: Record<string, string>, ...args: string[]) {
  const proc = Bun.spawn(["bun", MAIN, ...args], {
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return { stderr, code };
}

async function waitForHealth(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/_codex-helper/health`, { signal: AbortSignal.timeout(500) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`serve did not answer on port ${port}`);
    await Bun.sleep(50);
  }
}

describe("switch-on / switch-off with the real Codex CLI", () => {
  test("after switch-on codex exec reaches the proxy and its upstream; after switch-off its original provider again", async () => {
    using home = tempHome();
    await using viaProxy = startFakeUpstream(() =>
      sseResponse(responsesEvents("answered through codex-helper", { input_tokens: 10, output_tokens: 3 })),
    );
    await using original = startFakeUpstream(() =>
      sseResponse(responsesEvents("answered by the original provider", { input_tokens: 10, output_tokens: 3 })),
    );
    const originalToml = [
      "# my own provider",
      'model = "gpt-test"',
      "model_provider = 'mine' # before the proxy",
      "",
      "[model_providers.mine]",
      'name = "Mine"',
      `base_url = "${original.url}/v1"`,
      'wire_api = "responses"',
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
      '[projects."/tmp"]',
      'trust_level = "trusted"',
      "",
    ].join("\n");
    writeFileSync(home.paths.codexConfig, originalToml);
    const config = {
      codex: {
        active: "main",
        configs: {
          main: { name: "main", upstreams: [{ base_url: `${viaProxy.url}/v1`, auth: { auth_token: "sk-up-0001" } }] },
        },
      },
      claude: { configs: {} },
    };
    writeFileSync(home.paths.config, JSON.stringify(config));
    const port = await closedPort();

    const on = await helper(home.env, "switch-on", "--port", String(port));
    expect(on.code).toBe(0);
    const serve = Bun.spawn(["bun", MAIN, "serve", "--port", String(port)], {
      env: { ...process.env, ...home.env },
      stdout: "ignore",
      stderr: "pipe",
    });
    try {
      await waitForHealth(port);
      const through = await codexExec(home.env, home.root, "hi");
      expect(through.stdout).toContain("answered through codex-helper");
      expect(through.code).toBe(0);
      expect(viaProxy.hits.some((h) => h.method === "POST" && h.path === "/v1/responses")).toBe(true);
      expect(viaProxy.hits.find((h) => h.path === "/v1/responses")?.headers.authorization).toBe("Bearer sk-up-0001");
      expect(original.hits).toHaveLength(0);
    } finally {
      serve.kill();
      await serve.exited;
    }

    const off = await helper(home.env, "switch-off");
    expect(off.code).toBe(0);
    expect(readFileSync(home.paths.codexConfig, "utf8")).toBe(originalToml);
    const direct = await codexExec(home.env, home.root, "hi again");
    expect(direct.stdout).toContain("answered by the original provider");
    expect(original.hits.some((h) => h.method === "POST" && h.path === "/v1/responses")).toBe(true);
  }, 60_000);
});
