import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load";
import { serializeConfig } from "../../src/config/save";
import type { ConfigFile } from "../../src/config/schema";
import { atomicWriteFile } from "../../src/fs/atomic-write";
import { encodeSse, jsonResponse, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const body = JSON.stringify({ model: "gpt-test", input: "hi", stream: true });
const post = (url: string) =>
  fetch(`${url}/responses`, { method: "POST", headers: { "content-type": "application/json" }, body });

async function cli(env: Record<string, string>, ...args: string[]) {
  const proc = Bun.spawn(["bun", MAIN, ...args], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  return { code, stderr };
}

/** A stream that sends its first events, then waits for `release()` before finishing. */
function gatedStream() {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const events = responsesEvents("from the old upstream", { input_tokens: 5, output_tokens: 4 });
  const encoder = new TextEncoder();
  const response = () =>
    new Response(
      new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode(events.slice(0, 2).map(encodeSse).join("")));
          await gate;
          controller.enqueue(encoder.encode(events.slice(2).map(encodeSse).join("")));
          controller.close();
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    );
  return { response, release };
}

describe("hot reload of config.json", () => {
  test("config set-active while a stream is in flight: the stream completes on the old upstream, the next request uses the new config", async () => {
    using home = tempHome();
    const gated = gatedStream();
    await using oldUp = startFakeUpstream(() => gated.response());
    await using newUp = startFakeUpstream(() =>
      sseResponse(responsesEvents("new", { input_tokens: 1, output_tokens: 1 })),
    );
    const config: ConfigFile = {
      codex: {
        active: "old",
        configs: {
          old: { name: "old", upstreams: [upstream(`${oldUp.url}/v1`)] },
          new: { name: "new", upstreams: [upstream(`${newUp.url}/v1`)] },
        },
      },
      claude: { configs: {} },
    };
    atomicWriteFile(home.paths.config, serializeConfig(config));
    // The default poll interval: the switch must show within a second.
    await using proxy = startTestProxy({ config: loadConfig(home.paths.config), watchIntervalMs: 250 });

    const inFlight = await post(proxy.url);
    expect(inFlight.status).toBe(200);
    const reader = inFlight.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("response.created");

    const switched = await cli(home.env, "config", "set-active", "new");
    expect(switched.code).toBe(0);
    // Polled every 250 ms: the switch shows within a second.
    await until(() => proxy.runtime.pool().configName === "new", 1000);

    const next = await post(proxy.url);
    expect(next.status).toBe(200);
    expect(await next.text()).toContain("response.completed");
    expect(newUp.hits).toHaveLength(1);

    gated.release();
    let rest = "";
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toContain("from the old upstream");
    expect(rest).toContain("response.completed");
    expect(oldUp.hits).toHaveLength(1);

    await until(() => proxy.records().length === 2);
    const byConfig = Object.fromEntries(proxy.records().map((r) => [r.config_name, r]));
    expect(byConfig.new).toMatchObject({ upstream_base_url: `${newUp.url}/v1`, status_code: 200 });
    expect(byConfig.old).toMatchObject({ upstream_base_url: `${oldUp.url}/v1`, status_code: 200 });
    expect(byConfig.old?.error).toBeUndefined();
    expect(byConfig.old?.usage).toMatchObject({ input_tokens: 5, output_tokens: 4 });
  });

  test("an upstream added with config add takes effect with no restart, and the cooldown of the unchanged one is kept", async () => {
    using home = tempHome();
    await using failing = startFakeUpstream(() => jsonResponse({ error: { message: "down" } }, 503));
    await using added = startFakeUpstream(() => jsonResponse({ ok: true }));
    atomicWriteFile(
      home.paths.config,
      serializeConfig({
        codex: { active: "main", configs: { main: { name: "main", upstreams: [upstream(failing.url)] } } },
        claude: { configs: {} },
      }),
    );
    await using proxy = startTestProxy({ config: loadConfig(home.paths.config) });

    const before = await post(proxy.url);
    expect(before.status).toBe(429);
    await before.text();
    expect(failing.hits).toHaveLength(1);

    const add = await cli(home.env, "config", "add", "main", "--base-url", added.url, "--auth-token", "sk-added-0002");
    expect(add.code).toBe(0);
    await until(() => proxy.runtime.pool().entries.length === 2, 1000);

    const after = await post(proxy.url);
    expect(after.status).toBe(200);
    await after.text();
    expect(added.hits).toHaveLength(1);
    // The first upstream kept its cooldown across the reload, so it was skipped rather than tried again.
    expect(failing.hits).toHaveLength(1);
  });

  test("an invalid edit is reported once and the last good config stays in force; a fixed file applies", async () => {
    using home = tempHome();
    await using a = startFakeUpstream(() => jsonResponse({ from: "a" }));
    await using b = startFakeUpstream(() => jsonResponse({ from: "b" }));
    const good = (url: string): ConfigFile => ({
      codex: { active: "main", configs: { main: { name: "main", upstreams: [upstream(url)] } } },
      claude: { configs: {} },
    });
    atomicWriteFile(home.paths.config, serializeConfig(good(a.url)));
    const warnings: string[] = [];
    await using proxy = startTestProxy({
      config: loadConfig(home.paths.config),
      report: { warn: (m) => warnings.push(m), info: () => {} },
    });
    const ask = async () => ((await (await post(proxy.url)).json()) as { from: string }).from;

    writeFileSync(
      home.paths.config,
      '{ "codex": { "active": "main", "configs": { "main": { "name": "main", "upstreams": [{ "base_url": "ftp://x" }] } } } }',
    );
    proxy.runtime.config.check();
    proxy.runtime.config.check();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(home.paths.config);
    expect(warnings[0]).toContain("codex.configs.main.upstreams.0.base_url");
    expect(warnings[0]).toContain("keeping the previous config");
    expect(await ask()).toBe("a");

    // Editors that truncate before writing show an empty file for a moment: not a reason to drop every upstream.
    writeFileSync(home.paths.config, "");
    proxy.runtime.config.check();
    expect(await ask()).toBe("a");
    writeFileSync(home.paths.config, '{ "codex": ');
    proxy.runtime.config.check();
    expect(await ask()).toBe("a");

    atomicWriteFile(home.paths.config, serializeConfig(good(b.url)));
    await until(() => proxy.runtime.pool().entries[0]?.upstream.base_url === b.url, 1000);
    expect(await ask()).toBe("b");
  });
});
