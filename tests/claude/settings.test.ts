import { describe, expect, test } from "bun:test";
import {
  describeClaudeDrift,
  PLACEHOLDER_TOKEN,
  patchClaudeSettings,
  SettingsError,
  unpatchClaudeSettings,
} from "../../src/claude/settings";
import { SETTINGS_CORPUS } from "./settings-corpus";

describe("settings.json corpus: switch-on then switch-off", () => {
  for (const c of SETTINGS_CORPUS) {
    test(`${c.name}: round-trips to the original bytes; switch-on sets only our keys and keeps key order`, () => {
      const on = patchClaudeSettings(c.text, 3210);
      const before = JSON.parse(c.text);
      const after = JSON.parse(on.text);
      const env = { ...(before.env ?? {}), ANTHROPIC_BASE_URL: "http://127.0.0.1:3210" };
      if (c.token === "placeholder") env.ANTHROPIC_AUTH_TOKEN = PLACEHOLDER_TOKEN;
      expect(JSON.stringify(after)).toBe(JSON.stringify({ ...before, env }));
      expect(on.record.added_placeholder_token).toBe(c.token === "placeholder");
      expect(unpatchClaudeSettings(on.text, on.record)).toBe(c.text);
      expect(patchClaudeSettings(on.text, 3210).text).toBe(on.text);
      expect(patchClaudeSettings(on.text, 4000).text).toBe(on.text.replace(":3210", ":4000"));
    });
  }

  test("new lines follow the file's own indentation and line endings", () => {
    const four = patchClaudeSettings('{\n    "model": "opus"\n}\n', 1).text;
    expect(four).toContain('\n    "env": {\n        "ANTHROPIC_BASE_URL": "http://127.0.0.1:1",\n');
    expect(four).toEndWith("\n    }\n}\n");
    const crlf = patchClaudeSettings('{\r\n  "env": {\r\n    "A": "1"\r\n  }\r\n}\r\n', 1).text;
    expect(crlf).toContain('"A": "1",\r\n    "ANTHROPIC_BASE_URL"');
    expect(crlf.replace(/\r\n/g, "")).not.toContain("\n");
  });

  test("invalid JSON and a non-object env are refused", () => {
    expect(() => patchClaudeSettings('{ "model": "opus", }', 1)).toThrow(SettingsError);
    expect(() => patchClaudeSettings("// comment\n{}", 1)).toThrow(SettingsError);
    expect(() => patchClaudeSettings('{ "env": "x" }', 1)).toThrow(SettingsError);
    expect(() => patchClaudeSettings("[]", 1)).toThrow(SettingsError);
  });

  test("user edits while switched on survive switch-off", () => {
    const original = SETTINGS_CORPUS[1]!.text;
    const on = patchClaudeSettings(original, 3210);
    const edited = on.text.replace('"model": "sonnet"', '"model": "opus",\n  "theme": "dark"');
    expect(unpatchClaudeSettings(edited, on.record)).toBe(
      original.replace('"model": "sonnet"', '"model": "opus",\n  "theme": "dark"'),
    );
  });

  test("drift names a changed base URL and a replaced placeholder", () => {
    const on = patchClaudeSettings("{}", 3210);
    const doc = JSON.parse(on.text);
    expect(describeClaudeDrift(doc, 3210, on.record)).toEqual([]);
    doc.env.ANTHROPIC_BASE_URL = "http://127.0.0.1:9";
    doc.env.ANTHROPIC_AUTH_TOKEN = "real";
    expect(describeClaudeDrift(doc, 3210, on.record)).toEqual([
      'env.ANTHROPIC_BASE_URL is "http://127.0.0.1:9", switch-on wrote "http://127.0.0.1:3210"',
      "env.ANTHROPIC_AUTH_TOKEN is no longer the placeholder switch-on wrote",
    ]);
  });
});
