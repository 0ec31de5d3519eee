import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codexExec } from "../fixtures/codex-cli";
import { responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const _CODEX = join(import.meta.dir, "../../node_modules/.bin/codex");

/** A Codex home whose provider is the proxy, with retries low so a failure is fast. */
export function writeCodexConfig(codexHome: string, baseUrl: string): void {
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(
    join(codexHome, "config.toml"),
    [
      'model_provider = "codex_proxy"',
      'model = "gpt-test"',
      "",
      "[model_providers.codex_proxy]",
      'name = "codex-helper"',
      `base_url = "${baseUrl}"`,
      'wire_api = "responses"',
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
    ].join("\n"),
  );
}

describe("real Codex CLI through the proxy", () => {
  test("codex exec prints the fake upstream's answer, and the log line has the usage the fake reported", async () => {
    using home = tempHome();
    await using up = startFakeUpstream(() =>
      sseResponse(
        responsesEvents("The answer is 42, relayed by codex-helper.", {
          input_tokens: 1234,
          cached_tokens: 1000,
          output_tokens: 56,
          reasoning_tokens: 7,
        }),
        { gapMs: 10 },
      ),
    );
    await using proxy = startTestProxy({ upstreams: [upstream(`${up.url}/v1`, "sk-upstream-real-key-4242")] });
    writeCodexConfig(home.env.CODEX_HOME, proxy.url);
    const work = join(home.root, "project");
    mkdirSync(work, { recursive: true });

    const result = await codexExec(home.env, work, "What is the answer?");
    expect(result.stdout).toContain("The answer is 42, relayed by codex-helper.");
    expect(result.code).toBe(0);

    const hit = up.hits.find((h) => h.path === "/v1/responses");
    expect(hit).toBeDefined();
    expect(hit?.headers.authorization).toBe("Bearer sk-upstream-real-key-4242");
    expect(JSON.parse(hit!.body).model).toBe("gpt-test");
    await until(() => proxy.records().some((r) => r.path === "/responses"));
    const record = proxy.records().find((r) => r.path === "/responses");
    expect(record).toMatchObject({
      service: "codex",
      method: "POST",
      status_code: 200,
      config_name: "main",
      usage: {
        input_tokens: 1234,
        cached_input_tokens: 1000,
        output_tokens: 56,
        reasoning_tokens: 7,
        total_tokens: 1290,
      },
    });
  });

  test("codex exec fails over to the second upstream when the first answers 503", async () => {
    using home = tempHome();
    await using down = startFakeUpstream(() => new Response("overloaded", { status: 503 }));
    await using up = startFakeUpstream(() =>
      sseResponse(responsesEvents("served by the backup", { input_tokens: 5, output_tokens: 4 })),
    );
    await using proxy = startTestProxy({ upstreams: [upstream(down.url), upstream(up.url)] });
    writeCodexConfig(home.env.CODEX_HOME, `${proxy.url}/v1`);
    const result = await codexExec(home.env, home.root, "hello");
    expect(result.stdout).toContain("served by the backup");
    expect(down.hits.length).toBeGreaterThanOrEqual(1);
    expect(up.hits.some((h) => h.path === "/v1/responses")).toBe(true);
  });
});
