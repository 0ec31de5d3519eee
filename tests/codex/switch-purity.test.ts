// The switch's patchers stay pure (text in, text out), as tests/architecture.test.ts demands of the domain.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const PURE = [
  "codex/config-toml.ts",
  "codex/text-lines.ts",
  "codex/toml-statements.ts",
  "codex/profile-warning.ts",
  "claude/settings.ts",
  "claude/json-spans.ts",
];
const IMPURE = [
  /from "node:/,
  /from "bun"/,
  /\bBun\./,
  /\bfetch\(/,
  /Date\.now\(/,
  /new Date\(/,
  /setTimeout|setInterval/,
];

test("the config.toml and settings.json patchers import no fs, bun, fetch, clock or timers", () => {
  const offenders = PURE.flatMap((file) => {
    const text = readFileSync(join(import.meta.dir, "../../src", file), "utf8");
    return IMPURE.filter((bad) => bad.test(text)).map((bad) => `${file}: ${bad}`);
  });
  expect(offenders).toEqual([]);
});
