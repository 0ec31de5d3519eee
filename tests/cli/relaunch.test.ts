import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeUpstream } from "../fixtures/fake-upstream";
import { tempHome } from "../fixtures/temp-home";

const ROOT = join(import.meta.dir, "../..");

test.skipIf(process.platform !== "linux")(
  "serve gets the fetch limit by replacing itself: one process, same pid, the variable in its start-up environment",
  async () => {
    using home = tempHome();
    await using up = startFakeUpstream(() => new Response("{}", { headers: { "content-type": "application/json" } }));
    writeFileSync(
      home.paths.config,
      JSON.stringify({
        codex: { active: "m", configs: { m: { name: "m", upstreams: [{ base_url: up.url, auth: {} }] } } },
      }),
    );
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...home.env };
    delete env.BUN_CONFIG_MAX_HTTP_REQUESTS;
    const serve = Bun.spawn(["bun", join(ROOT, "src/main.ts"), "serve", "--port", "0"], { env, stderr: "pipe" });
    try {
      const reader = serve.stderr.getReader();
      let banner = "";
      while (!/127\.0\.0\.1:\d+/.test(banner)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`serve exited: ${banner}`);
        banner += new TextDecoder().decode(value);
      }
      const res = await fetch(`http://${/127\.0\.0\.1:\d+/.exec(banner)![0]}/responses`, {
        method: "POST",
        body: "{}",
      });
      expect(res.status).toBe(200);
      // The pid we started now runs the proxy itself, with the limit in the environment Bun read at start-up.
      const environ = readFileSync(`/proc/${serve.pid}/environ`, "utf8").split("\0");
      expect(environ).toContain("BUN_CONFIG_MAX_HTTP_REQUESTS=65535");
      const children = readFileSync(`/proc/${serve.pid}/task/${serve.pid}/children`, "utf8").trim();
      expect(children).toBe("");
    } finally {
      serve.kill("SIGTERM");
    }
    // Its own SIGTERM handler ran (the image that printed the banner), so it stopped cleanly.
    expect(await serve.exited).toBe(0);
  },
  15_000,
);
