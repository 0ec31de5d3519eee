// Checks the layer boundaries instead of trusting review.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Glob } from "bun";

const SRC = join(import.meta.dir, "../src");

/** Modules that must stay pure: plain data in, plain data out. */
const PURE = [
  "lb/**/*.ts",
  "filter/rules.ts",
  "usage/tokens.ts",
  "proxy/sse.ts",
  "proxy/classify.ts",
  "proxy/upstream-request.ts",
  "proxy/error-body.ts",
  "config/bootstrap.ts",
  "config/edit.ts",
  "config/schema.ts",
  "log/record.ts",
  "admin/status.ts",
  "admin/traffic.ts",
  "admin/prometheus.ts",
  "log/aggregate.ts",
  "log/usage-table.ts",
  "admin/status-table.ts",
  "doctor/checks.ts",
  "codex/config-toml.ts",
  "codex/text-lines.ts",
  "codex/toml-statements.ts",
  "codex/profile-warning.ts",
  "claude/settings.ts",
  "claude/json-spans.ts",
];
const IMPURE = [
  /from "node:fs"/,
  /from "fs"/,
  /from "bun"/,
  /\bBun\./,
  /\bfetch\(/,
  /Date\.now\(/,
  /setTimeout|setInterval/,
];

function files(pattern: string): string[] {
  return [...new Glob(pattern).scanSync({ cwd: SRC })].map((f) => join(SRC, f));
}

describe("architecture", () => {
  test("pure modules import no fs, no bun, no fetch, no clock, no timers", () => {
    const offenders: string[] = [];
    for (const pattern of PURE) {
      for (const file of files(pattern)) {
        const text = readFileSync(file, "utf8");
        for (const bad of IMPURE) if (bad.test(text)) offenders.push(`${relative(SRC, file)}: ${bad}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test("nothing outside src/cli imports from src/cli", () => {
    const offenders = files("**/*.ts").filter(
      (file) => !relative(SRC, file).startsWith("cli/") && /from "(\.\.?\/)+cli\//.test(readFileSync(file, "utf8")),
    );
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });

  test("only proxy/server.ts starts a listener", () => {
    const offenders = files("**/*.ts").filter(
      (file) => relative(SRC, file) !== "proxy/server.ts" && /Bun\.serve\(/.test(readFileSync(file, "utf8")),
    );
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });

  test("every source file starts with a one-line comment saying its job", () => {
    const missing = files("**/*.ts").filter((file) => {
      const first = readFileSync(file, "utf8")
        .split("\n")
        .find((l) => !l.startsWith("#!"));
      return !first?.startsWith("//");
    });
    expect(missing.map((f) => relative(SRC, f))).toEqual([]);
  });
});
