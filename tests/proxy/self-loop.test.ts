import { describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pointsAtSelf } from "../../src/proxy/self-loop";
import { closedPort, jsonResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

describe("an upstream pointing back at the proxy", () => {
  test("same port on loopback, a wildcard or our own host is ourselves; another port or host is not", () => {
    expect(pointsAtSelf("http://127.0.0.1:3211/v1", "127.0.0.1", 3211)).toBe(true);
    expect(pointsAtSelf("http://localhost:3211", "127.0.0.1", 3211)).toBe(true);
    expect(pointsAtSelf("http://[::1]:3211", "127.0.0.1", 3211)).toBe(true);
    expect(pointsAtSelf("http://0.0.0.0:3211", "127.0.0.1", 3211)).toBe(true);
    expect(pointsAtSelf("http://10.0.0.5:3211", "10.0.0.5", 3211)).toBe(true);
    expect(pointsAtSelf("http://127.0.0.1:3212", "127.0.0.1", 3211)).toBe(false);
    expect(pointsAtSelf("https://api.openai.com/v1", "127.0.0.1", 443)).toBe(false);
    expect(pointsAtSelf("not a url", "127.0.0.1", 3211)).toBe(false);
  });

  test("serve refuses to start on a config whose upstream is its own address, and warns about a readable config.json", async () => {
    using home = tempHome();
    const port = await closedPort();
    writeFileSync(
      home.paths.config,
      JSON.stringify({
        codex: {
          active: "m",
          configs: { m: { name: "m", upstreams: [{ base_url: `http://127.0.0.1:${port}/v1`, auth: {} }] } },
        },
      }),
    );
    chmodSync(home.paths.config, 0o644);
    const proc = Bun.spawn(["bun", join(import.meta.dir, "../../src/main.ts"), "serve", "--port", String(port)], {
      env: { PATH: process.env.PATH ?? "", ...home.env },
      stderr: "pipe",
    });
    const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    expect(code).toBe(1);
    expect(stderr).toContain("points at this proxy itself");
    expect(stderr).toContain(`chmod 600 ${home.paths.config}`);
  });

  test("after a reload, an upstream pointing at the proxy itself is skipped, never followed", async () => {
    using home = tempHome();
    await using up = startFakeUpstream(() => jsonResponse({ ok: true }));
    await using proxy = startTestProxy({ upstreams: [{ base_url: up.url, auth: {} }], watchIntervalMs: 20 });
    writeFileSync(
      home.paths.config,
      JSON.stringify({
        codex: {
          active: "m",
          configs: {
            m: {
              name: "m",
              upstreams: [
                { base_url: `${proxy.url}/v1`, auth: {} },
                { base_url: up.url, auth: {} },
              ],
            },
          },
        },
      }),
    );
    await Bun.sleep(150);
    const res = await fetch(`${proxy.url}/v1/models`);
    expect(res.status).toBe(200);
    expect(proxy.records()[0]?.attempts.map((a) => a.upstream_base_url)).toEqual([up.url]);
  });
});
