import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseSince, UsageAggregator, type UsageReport } from "../../src/log/aggregate";
import { readRequestLog, requestLogFiles } from "../../src/log/read";
import type { RequestRecord } from "../../src/log/record";
import { bar, renderUsageTable } from "../../src/log/usage-table";
import { tempHome } from "../fixtures/temp-home";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const DAY = 86_400_000;

/** A deterministic pseudo-random generator (mulberry32), so a failure reproduces. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(count: number, now: number, seed = 7): RequestRecord[] {
  const random = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const records: RequestRecord[] = [];
  for (let i = 0; i < count; i++) {
    const status = pick([200, 200, 200, 200, 429, 500, 400, 499]);
    const upstream = pick(["https://a.example/v1", "https://b.example/v1", null]);
    const input = Math.floor(random() * 50_000);
    const output = Math.floor(random() * 4_000);
    const record: RequestRecord = {
      // Spread over the last 12 days, oldest first (the log is appended in time order).
      timestamp_ms: now - 12 * DAY + Math.floor((i / count) * 12 * DAY),
      service: "codex",
      method: "POST",
      path: "/responses",
      status_code: status,
      duration_ms: 100,
      ttfb_ms: 20,
      config_name: pick(["work", "home", "模型-relay"]),
      upstream_base_url: upstream,
      attempts: [],
      model: pick(["gpt-5", "gpt-5-codex", "o3 ✨"]),
    };
    if (status === 200 && random() < 0.9) {
      const cached = Math.floor(input * random());
      const reasoning = Math.floor(output * random());
      record.usage = {
        input_tokens: input,
        cached_input_tokens: cached,
        output_tokens: output,
        reasoning_tokens: reasoning,
        total_tokens: input + output,
      };
    }
    if (status === 200 && random() < 0.05) record.error = "stream ended before completion";
    if (status === 499) record.client_aborted = true;
    records.push(record);
  }
  return records;
}

const MALFORMED = [
  "not json at all",
  '{"timestamp_ms": "yesterday"}',
  '{"half": "written',
  "[1,2,3]",
  '{"timestamp_ms":1,"service":"gemini","method":"POST","path":"/","status_code":200,"duration_ms":1,"ttfb_ms":null,"config_name":null,"upstream_base_url":null,"attempts":[]}',
];

/** Writes records over requests.jsonl.3 … .1 and requests.jsonl with malformed lines sprinkled in; returns their count. */
function writeLog(file: string, records: RequestRecord[]): number {
  mkdirSync(join(file, ".."), { recursive: true });
  const names = [`${file}.3`, `${file}.2`, `${file}.1`, file];
  const per = Math.ceil(records.length / names.length);
  let malformed = 0;
  names.forEach((name, n) => {
    const lines: string[] = [];
    records.slice(n * per, (n + 1) * per).forEach((record, i) => {
      if (i % 97 === 5) {
        lines.push(MALFORMED[(i + n) % MALFORMED.length]!);
        malformed++;
      }
      if (i % 131 === 0) lines.push("");
      lines.push(JSON.stringify(record));
    });
    let text = `${lines.join("\n")}\n`;
    // The live file ends with a half-written line: the proxy was appending while we read.
    if (name === file) {
      text += '{"timestamp_ms": 17';
      malformed++;
    }
    writeFileSync(name, text);
  });
  return malformed;
}

interface Sums {
  requests: number;
  errors: number;
  input: number;
  cached: number;
  output: number;
  reasoning: number;
}

/** The expected figures, computed the plain way, without the code under test. */
function sums(records: RequestRecord[], keyOf: (r: RequestRecord) => string): Map<string, Sums> {
  const out = new Map<string, Sums>();
  for (const r of records) {
    const key = keyOf(r);
    const s = out.get(key) ?? { requests: 0, errors: 0, input: 0, cached: 0, output: 0, reasoning: 0 };
    s.requests += 1;
    if (!r.client_aborted && (r.status_code >= 400 || r.error !== undefined)) s.errors += 1;
    s.input += r.usage?.input_tokens ?? 0;
    s.cached += r.usage?.cached_input_tokens ?? 0;
    s.output += r.usage?.output_tokens ?? 0;
    s.reasoning += r.usage?.reasoning_tokens ?? 0;
    out.set(key, s);
  }
  return out;
}

function asSums(report: UsageReport): Map<string, Sums> {
  return new Map(
    report.rows.map((r) => [
      r.key,
      {
        requests: r.requests,
        errors: r.errors,
        input: r.input_tokens,
        cached: r.cached_input_tokens,
        output: r.output_tokens,
        reasoning: r.reasoning_tokens,
      },
    ]),
  );
}

function usageCli(env: Record<string, string>, ...args: string[]) {
  const proc = Bun.spawnSync(["bun", MAIN, "usage", ...args], {
    env: { ...process.env, NODE_ENV: "production", ...env },
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

describe("usage report", () => {
  test("totals per config, upstream, model and day equal independent sums across rotated files; malformed lines are skipped and counted", () => {
    using home = tempHome();
    const now = Date.now();
    const records = generate(4000, now);
    const malformed = writeLog(home.paths.requestLog, records);

    const keyOf = {
      config: (r: RequestRecord) => r.config_name ?? "(none)",
      upstream: (r: RequestRecord) => r.upstream_base_url ?? "(none)",
      model: (r: RequestRecord) => r.model ?? "(unknown)",
      day: (r: RequestRecord) => new Date(r.timestamp_ms).toLocaleDateString("sv-SE"),
    };
    for (const [by, key] of Object.entries(keyOf)) {
      const out = usageCli(home.env, "--by", by, "--json");
      expect(out.code).toBe(0);
      const report = JSON.parse(out.stdout) as UsageReport;
      expect(asSums(report)).toEqual(sums(records, key));
      expect(report.totals.requests).toBe(records.length);
      expect(report.totals.input_tokens).toBe(records.reduce((s, r) => s + (r.usage?.input_tokens ?? 0), 0));
      expect(report.read).toEqual({ files: 4, lines: records.length + malformed, malformed });
    }
  });

  test("--since keeps only recent requests; the table shows every group, a bar per row and the totals", () => {
    using home = tempHome();
    const now = Date.now();
    const records = generate(1200, now, 11);
    writeLog(home.paths.requestLog, records);
    const recent = records.filter((r) => r.timestamp_ms >= now - 3 * DAY);

    const json = usageCli(home.env, "--since", "3d", "--by", "config", "--json");
    const report = JSON.parse(json.stdout) as UsageReport;
    // `now` in the CLI is a moment later than ours: a request exactly on the edge may fall out, never one more in.
    expect(report.totals.requests).toBeLessThanOrEqual(recent.length);
    expect(report.totals.requests).toBeGreaterThan(recent.length - 3);
    expect(report.totals.requests).toBeLessThan(records.length / 3);

    const table = usageCli(home.env, "--by", "model");
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^model\s+requests\s+errors\s+input\s+cached\s+output\s+reasoning\s+total\s+tokens$/);
    expect(lines).toHaveLength(1 + 3 + 1);
    for (const row of lines.slice(1, 4)) expect(row).toMatch(/█/);
    expect(lines.at(-1)).toContain(records.length.toLocaleString("en-US"));
    expect(table.stderr).toContain("malformed line(s)");
  });

  test("no log yet, or a bad flag, each say so in one line", () => {
    using home = tempHome();
    const empty = usageCli(home.env);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain("No request log yet");
    const bad = usageCli(home.env, "--by", "week");
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("--by");
    const badSince = usageCli(home.env, "--since", "soon");
    expect(badSince.code).toBe(1);
    expect(badSince.stderr).toContain("--since");
  });

  test("the reader handles lines split across chunks, multi-byte characters and an over-long line", async () => {
    using home = tempHome();
    const file = home.paths.requestLog;
    const records = generate(3000, Date.now(), 3);
    mkdirSync(join(file, ".."), { recursive: true });
    const huge = `{"x":"${"y".repeat(300_000)}"}`;
    writeFileSync(
      file,
      `${records
        .slice(0, 1500)
        .map((r) => JSON.stringify(r))
        .join("\n")}\n${huge}\n${records
        .slice(1500)
        .map((r) => JSON.stringify(r))
        .join("\n")}\n`,
    );
    const seen: RequestRecord[] = [];
    const stats = await readRequestLog(requestLogFiles(file), (r) => seen.push(r), { maxLineBytes: 100_000 });
    expect(stats).toMatchObject({ files: 1, lines: 3001, malformed: 1 });
    expect(seen).toEqual(records);
  });

  test("files last written before --since are not read at all", async () => {
    using home = tempHome();
    const file = home.paths.requestLog;
    const now = Date.now();
    writeLog(file, generate(400, now));
    const old = new Date(now - 20 * DAY);
    const { utimesSync } = await import("node:fs");
    utimesSync(`${file}.3`, old, old);
    const stats = await readRequestLog(requestLogFiles(file), () => {}, { sinceMs: now - 5 * DAY });
    expect(stats.files).toBe(3);
  });

  test("pure pieces: --since forms, bars in eighths, groups sorted by weight", () => {
    const now = Date.UTC(2026, 10, 25, 12);
    expect(parseSince("7d", now)).toBe(now - 7 * DAY);
    expect(parseSince("12h", now)).toBe(now - 12 * 3_600_000);
    expect(parseSince("2w", now)).toBe(now - 14 * DAY);
    expect(parseSince("all", now)).toBeNull();
    expect(parseSince("2026-11-01T00:00:00Z", now)).toBe(Date.UTC(2026, 10, 1));
    expect(parseSince("later", now)).toBeUndefined();
    expect(bar(10, 10, 4)).toBe("████");
    expect(bar(1, 16, 4)).toBe("▎");
    expect(bar(3, 16, 4)).toBe("▊");
    expect(bar(0, 10)).toBe("");
    const agg = new UsageAggregator("config");
    const base = {
      service: "codex",
      method: "POST",
      path: "/",
      status_code: 200,
      duration_ms: 1,
      ttfb_ms: 1,
      upstream_base_url: null,
      attempts: [] as RequestRecord["attempts"],
    } as const;
    const usage = (n: number) => ({
      input_tokens: n,
      cached_input_tokens: 0,
      output_tokens: 0,
      reasoning_tokens: 0,
      total_tokens: n,
    });
    agg.add({ ...base, timestamp_ms: now, config_name: "small", usage: usage(5) });
    agg.add({ ...base, timestamp_ms: now, config_name: "big", usage: usage(50) });
    const report = agg.report({ files: 1, lines: 2, malformed: 0 });
    expect(report.rows.map((r) => r.key)).toEqual(["big", "small"]);
    expect(renderUsageTable(report)).toContain("total");
  });
});
