// 200 concurrent streams through a real serve while one upstream flaps between healthy and failing.
import { expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { jsonResponse, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { until } from "../fixtures/proxy";
import { startServeProcess } from "../fixtures/serve-process";
import { tempHome } from "../fixtures/temp-home";

test("no request is lost: each completes or fails over, and the log has exactly one line per request", async () => {
  using home = tempHome();
  let flip = 0;
  const answer = (who: string) =>
    sseResponse(responsesEvents(`answer from ${who}`, { input_tokens: 2, output_tokens: 3 }, 4), { gapMs: 5 });
  // Fails in three ways in turn (status, failure before output, reset before output), healthy in between.
  await using flapping = startFakeUpstream(() => {
    flip++;
    if (flip % 4 === 1) return jsonResponse({ error: { message: "down" } }, 503);
    if (flip % 4 === 2)
      return sseResponse([
        { event: "response.failed", data: { type: "response.failed", response: { error: { code: "overloaded" } } } },
      ]);
    if (flip % 4 === 3)
      return sseResponse([{ event: "response.created", data: { type: "response.created" } }], {
        cutAfter: 1,
        gapMs: 5,
      });
    return answer("flapping");
  });
  await using steady = startFakeUpstream(() => answer("steady"));
  writeFileSync(
    home.paths.config,
    JSON.stringify({
      codex: {
        active: "m",
        configs: {
          m: {
            name: "m",
            upstreams: [
              { base_url: flapping.url, auth: {} },
              { base_url: steady.url, auth: {} },
            ],
          },
        },
      },
    }),
  );
  await using serve = await startServeProcess({ PATH: process.env.PATH ?? "", ...home.env });
  {
    const url = `${serve.url}/responses`;
    // Cooldowns would park the flapping upstream after its first failure: reset it now and then to keep it flapping.
    const admin = url.replace("/responses", "/_codex-helper/upstreams/0/reset");
    const resets = setInterval(() => void fetch(admin, { method: "POST" }).catch(() => {}), 20);
    const results = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const res = await fetch(url, { method: "POST", body: "{}" });
        return { status: res.status, text: await res.text() };
      }),
    );
    clearInterval(resets);
    const completed = results.filter((r) => r.status === 200 && r.text.includes("response.completed"));
    expect(completed).toHaveLength(200);
    expect(flapping.hits.length).toBeGreaterThan(1);
    // serve writes its log a moment after each answer: until then the file may not exist yet.
    const logLines = () =>
      (existsSync(home.paths.requestLog) ? readFileSync(home.paths.requestLog, "utf8") : "")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l));
    await until(() => logLines().filter((r) => r.path === "/responses").length >= 200, 3000);
    const lines = logLines().filter((r) => r.path === "/responses");
    expect(lines).toHaveLength(200);
    expect(lines.every((r) => r.status_code === 200 && r.usage?.total_tokens === 5)).toBe(true);
    expect(lines.some((r) => r.attempts.length > 1)).toBe(true);
  }
}, 30_000);
