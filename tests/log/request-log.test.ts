import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { RequestRecord } from "../../src/log/record";
import { RequestLog } from "../../src/log/request-log";
import { tempHome } from "../fixtures/temp-home";

const record = (i: number): RequestRecord => ({
  timestamp_ms: 1_700_000_000_000 + i,
  service: "codex",
  method: "POST",
  path: "/responses",
  status_code: 200,
  duration_ms: 1,
  ttfb_ms: 1,
  config_name: "main",
  upstream_base_url: "https://x/v1",
  attempts: [],
});

describe("RequestLog", () => {
  test("appends one JSON line per record, private to the user", () => {
    using home = tempHome();
    const file = join(home.paths.logDir, "requests.jsonl");
    const log = new RequestLog(file);
    log.write(record(1));
    log.write(record(2));
    log.flush();
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines.map((l) => JSON.parse(l).timestamp_ms)).toEqual([1_700_000_000_001, 1_700_000_000_002]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    log.close();
  });

  test("rotates by size keeping .1 … .N, newest in .1, and drops the oldest", () => {
    using home = tempHome();
    const file = join(home.paths.logDir, "requests.jsonl");
    const lineBytes = JSON.stringify(record(0)).length + 1;
    const log = new RequestLog(file, { maxBytes: lineBytes * 2, keep: 2 });
    for (let i = 0; i < 8; i++) {
      log.write(record(i));
      log.flush();
    }
    const read = (f: string) =>
      readFileSync(f, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).timestamp_ms - 1_700_000_000_000);
    expect(read(file)).toEqual([6, 7]);
    expect(read(`${file}.1`)).toEqual([4, 5]);
    expect(read(`${file}.2`)).toEqual([2, 3]);
    expect(existsSync(`${file}.3`)).toBe(false);
    log.close();
  });

  test("a log that cannot be written is reported once and never throws into the request path", () => {
    using home = tempHome();
    const errors: string[] = [];
    // A folder where the file should be: every write fails.
    const log = new RequestLog(home.paths.helperHome, { onError: (m) => errors.push(m) });
    expect(() => {
      log.write(record(1));
      log.flush();
      log.write(record(2));
      log.flush();
    }).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});
