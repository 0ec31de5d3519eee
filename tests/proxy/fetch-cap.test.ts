// BUN.md trap 1: Bun's fetch runs 256 requests at once unless BUN_CONFIG_MAX_HTTP_REQUESTS is set at start-up.
import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeUpstream } from "../fixtures/fake-upstream";
import { startServeProcess } from "../fixtures/serve-process";
import { tempHome } from "../fixtures/temp-home";

const ROOT = join(import.meta.dir, "../..");

test("300 concurrent streams through a real serve each get their first event promptly (no 256-fetch queue)", async () => {
  using home = tempHome();
  const encoder = new TextEncoder();
  // Every stream sends one event at once, then stays open for 4 s: a capped proxy would hold streams 257+ until then.
  await using up = startFakeUpstream(
    () =>
      new Response(
        new ReadableStream({
          async start(controller) {
            controller.enqueue(encoder.encode('data: {"type":"response.output_item.added"}\n\n'));
            await Bun.sleep(4000);
            controller.close();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      ),
  );
  writeFileSync(
    home.paths.config,
    JSON.stringify({
      codex: { active: "m", configs: { m: { name: "m", upstreams: [{ base_url: up.url, auth: {} }] } } },
    }),
  );
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...home.env };
  delete env.BUN_CONFIG_MAX_HTTP_REQUESTS;
  await using serve = await startServeProcess(env);
  {
    const proxyUrl = `${serve.url}/responses`;
    const client = Bun.spawn(["bun", join(ROOT, "tests/fixtures/stream-client.ts"), proxyUrl, "300", "3000"], {
      env: { ...env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" },
      stdout: "pipe",
    });
    const result = JSON.parse(await new Response(client.stdout).text()) as { firsts: number[] };
    await client.exited;
    expect(result.firsts).toHaveLength(300);
    // Generous for a loaded 2-core machine; the failure mode is 4 s or never.
    expect(Math.max(...result.firsts)).toBeLessThan(2500);
  }
}, 20_000);
