// Random and mutated inputs for every parser of a user file: never a crash with a stack, always one line naming the
// file, never a write to a file that could not be parsed.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import fc from "fast-check";
import { switchOnClaude } from "../../src/claude/switch";
import { findSessions } from "../../src/codex/sessions";
import { switchOnCodex } from "../../src/codex/switch";
import { parseConfigText } from "../../src/config/load";
import { UserError } from "../../src/errors";
import { parseFilterText } from "../../src/filter/rules";
import { SseParser } from "../../src/proxy/sse";
import { parseProvidersText } from "../../src/usage/providers-file";
import { AnswerObserver } from "../../src/usage/tokens";
import { tempHome } from "../fixtures/temp-home";

const RUNS = 300;

/** Valid documents with a few characters changed, deleted or duplicated: the inputs a hand edit produces. */
function mutated(valid: string): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.nat(), fc.constantFrom("delete", "insert", "replace", "dup"), fc.string({ maxLength: 3 })), {
      minLength: 1,
      maxLength: 4,
    })
    .map((edits) => {
      let text = valid;
      for (const [at, op, chars] of edits) {
        const i = text.length === 0 ? 0 : at % text.length;
        if (op === "delete") text = text.slice(0, i) + text.slice(i + 1);
        else if (op === "insert") text = text.slice(0, i) + chars + text.slice(i);
        else if (op === "replace") text = text.slice(0, i) + chars + text.slice(i + chars.length);
        else text = text.slice(0, i) + text.slice(i, i + 8) + text.slice(i);
      }
      return text;
    });
}

const anyText = (valid: string) => fc.oneof(fc.string({ maxLength: 200 }), fc.json(), mutated(valid));

/** Runs `parse`; a failure must be a UserError of one line that names `file`. */
function oneLineOrValue(parse: () => unknown, file: string): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    expect(error.message).not.toContain("\n");
    expect(error.message.startsWith(file)).toBe(true);
  }
}

const CONFIG = JSON.stringify({
  codex: {
    active: "a",
    configs: { a: { name: "a", upstreams: [{ base_url: "https://x/v1", auth: { auth_token: "t" } }] } },
  },
});
const FILTER = JSON.stringify([
  { op: "replace", source: "a", target: "b" },
  { op: "remove", source: "x+", regex: true },
]);
const PROVIDERS = JSON.stringify({
  providers: [
    { id: "p", kind: "budget_http_json", domains: ["a.com"], endpoint: "https://a.com/u", poll_interval_secs: 60 },
  ],
});

describe("fuzzed user files", () => {
  test("config.json: a value or one line naming the file", () => {
    fc.assert(
      fc.property(anyText(CONFIG), (text) =>
        oneLineOrValue(() => parseConfigText(text, "/h/config.json"), "/h/config.json"),
      ),
      { numRuns: RUNS },
    );
  });

  test("filter.json: a value or one line naming the file", () => {
    fc.assert(
      fc.property(anyText(FILTER), (text) =>
        oneLineOrValue(() => parseFilterText(text, "/h/filter.json"), "/h/filter.json"),
      ),
      { numRuns: RUNS },
    );
  });

  test("usage_providers.json: a value or one line naming the file", () => {
    fc.assert(
      fc.property(anyText(PROVIDERS), (text) => {
        try {
          const loaded = parseProvidersText(text, "/h/usage_providers.json");
          for (const problem of loaded.problems) expect(problem.startsWith("/h/usage_providers.json")).toBe(true);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          expect(error.message).not.toContain("\n");
        }
      }),
      { numRuns: RUNS },
    );
  });

  test("config.toml: switch-on either works or refuses with one line, writing nothing it could not parse", async () => {
    using home = tempHome();
    const valid = '# mine\nmodel = "o3"\n[profiles.x]\nmodel_provider = "y"\n[mcp_servers.a]\ncommand = "npx"\n';
    const samples = fc.sample(fc.oneof(fc.string({ maxLength: 120 }), mutated(valid)), 60);
    for (const text of samples) {
      writeFileSync(home.paths.codexConfig, text);
      try {
        await switchOnCodex({ port: 3211 });
        // Accepted: the result is ours to undo; reset for the next sample.
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        expect(error.message).not.toContain("\n");
        expect(readFileSync(home.paths.codexConfig, "utf8")).toBe(text);
        expect(existsSync(home.paths.codexConfigBackup)).toBe(false);
      }
      for (const f of [home.paths.codexConfigBackup, home.paths.switchState])
        if (existsSync(f)) Bun.spawnSync(["rm", "-f", f]);
    }
  });

  test("settings.json: switch-on --claude either works or refuses with one line, writing nothing it could not parse", async () => {
    using home = tempHome();
    const valid = JSON.stringify(
      { model: "sonnet", env: { ANTHROPIC_AUTH_TOKEN: "t" }, permissions: { allow: ["x"] } },
      null,
      2,
    );
    const samples = fc.sample(fc.oneof(fc.string({ maxLength: 120 }), mutated(valid)), 60);
    for (const text of samples) {
      writeFileSync(home.paths.claudeSettings, text);
      try {
        await switchOnClaude({ port: 3210 });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        expect(error.message).not.toContain("\n");
        expect(readFileSync(home.paths.claudeSettings, "utf8")).toBe(text);
        expect(existsSync(home.paths.claudeSettingsBackup)).toBe(false);
      }
      for (const f of [home.paths.claudeSettingsBackup, home.paths.switchState])
        if (existsSync(f)) Bun.spawnSync(["rm", "-f", f]);
    }
  });

  test("session files: random bytes never break a listing", () => {
    using home = tempHome();
    const dir = `${home.paths.codexSessions}/2026/01/01`;
    Bun.spawnSync(["mkdir", "-p", dir]);
    const samples = fc.sample(
      fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), fc.json()),
      80,
    );
    for (const [i, content] of samples.entries())
      writeFileSync(`${dir}/rollout-2026-01-01T00-00-00-${i}.jsonl`, content);
    expect(() =>
      findSessions({ sessionsDir: home.paths.codexSessions, projectDir: "/p", all: true, limit: 100 }),
    ).not.toThrow();
  });

  test("the stream tap survives any bytes an upstream sends", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const observer = new AnswerObserver();
        const parser = new SseParser((m) => observer.onSse(m));
        for (const chunk of chunks) parser.push(chunk);
        parser.end();
        observer.onJsonBody(Buffer.concat(chunks).toString("utf8"));
      }),
      { numRuns: RUNS },
    );
  });
});
