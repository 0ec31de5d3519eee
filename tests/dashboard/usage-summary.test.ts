import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { usageSummary } from "../../src/dashboard/usage-summary";
import type { RequestRecord } from "../../src/log/record";
import { tempHome } from "../fixtures/temp-home";

const DAY = 86_400_000;

test("the dashboard's 30-day usage totals equal `codex-helper usage --since 30d` on the same rotated log", async () => {
  using home = tempHome();
  mkdirSync(home.paths.logDir, { recursive: true });
  const now = Date.now();
  const record = (i: number): RequestRecord => ({
    timestamp_ms: now - (i % 45) * DAY - 1000, // some older than 30 days: both must leave them out
    service: i % 3 === 0 ? "claude" : "codex",
    method: "POST",
    path: "/responses",
    status_code: i % 7 === 0 ? 429 : 200,
    duration_ms: 10,
    ttfb_ms: 5,
    config_name: i % 2 ? "main" : "backup",
    upstream_base_url: `https://u${i % 4}.example/v1`,
    attempts: [],
    usage: {
      input_tokens: 100 + i,
      cached_input_tokens: i,
      output_tokens: 10 + (i % 5),
      reasoning_tokens: i % 3,
      total_tokens: 110 + i + (i % 5),
    },
  });
  const lines = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => JSON.stringify(record(from + k))).join("\n");
  writeFileSync(`${home.paths.requestLog}.2`, `${lines(0, 300)}\n`);
  writeFileSync(`${home.paths.requestLog}.1`, `${lines(300, 600)}\nnot json\n`);
  writeFileSync(home.paths.requestLog, `${lines(600, 900)}\n`);

  const summary = await usageSummary(home.paths.requestLog, now);
  const cli = Bun.spawnSync(["bun", join(import.meta.dir, "../../src/main.ts"), "usage", "--since", "30d", "--json"], {
    env: { PATH: process.env.PATH ?? "", ...home.env },
  });
  const report = JSON.parse(cli.stdout.toString());
  const { key: _a, ...dashboardTotals } = summary.totals;
  const { key: _b, ...cliTotals } = report.totals;
  expect(dashboardTotals).toEqual(cliTotals);
  expect(summary.totals.requests).toBeGreaterThan(500);
  expect(summary.totals.requests).toBeLessThan(900);
  expect(summary.byConfig.reduce((sum, r) => sum + r.total_tokens, 0)).toBe(summary.totals.total_tokens);
  expect(summary.malformed).toBe(1);
});
