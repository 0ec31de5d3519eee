import { describe, expect, test } from "bun:test";
import { parse } from "smol-toml";
import {
  describeDrift,
  patchCodexConfig,
  TomlSyntaxError,
  UnsafeEditError,
  unpatchCodexConfig,
} from "../../src/codex/config-toml";
import { CORPUS } from "./toml-corpus";

type Table = Record<string, unknown>;

const OUR_LINES = [
  'model_provider = "codex_proxy"',
  "[model_providers.codex_proxy]",
  'name = "codex-helper"',
  'base_url = "http://127.0.0.1:3211"',
  'wire_api = "responses"',
  "",
];

/** Lines only in `a` and lines only in `b`, by longest common subsequence (terminators included). */
export function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split(/(?<=\n)/);
  const y = b.split(/(?<=\n)/);
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--)
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      i++;
      j++;
    } else if (j < y.length && (i === x.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) added.push(y[j++]!);
    else removed.push(x[i++]!);
  }
  return { removed, added };
}

function expectedOn(original: Table, port: number): Table {
  const next = structuredClone(original);
  next.model_provider = "codex_proxy";
  const providers = (next.model_providers ?? {}) as Table;
  providers.codex_proxy = { name: "codex-helper", base_url: `http://127.0.0.1:${port}`, wire_api: "responses" };
  next.model_providers = providers;
  return next;
}

const strip = (line: string) => line.replace(/\r?\n$/, "");

describe("config.toml corpus: switch-on then switch-off", () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(15);
  for (const c of CORPUS) {
    test(`${c.name}: round-trips to the original bytes, and switch-on changes exactly our two entries`, () => {
      const on = patchCodexConfig(c.text, 3211);
      expect(parse(on.text) as Table).toEqual(expectedOn(parse(c.text) as Table, 3211));
      expect(unpatchCodexConfig(on.text, on.record)).toBe(c.text);

      // The diff touches only our lines: what it adds is ours, what it removes is the old key or a stale table.
      // (a last line without a newline gets one when our table follows it: compare as if it had it)
      const eol = c.text.includes("\r\n") ? "\r\n" : "\n";
      const terminated = c.text === "" || c.text.endsWith("\n") ? c.text : c.text + eol;
      const { removed, added } = lineDiff(terminated, on.text.endsWith("\n") ? on.text : on.text + eol);
      for (const line of added) expect(OUR_LINES).toContain(strip(line).trim() === "" ? "" : strip(line));
      const replaceable = [on.record.previous_model_provider_text ?? "", on.record.previous_table_text ?? ""].join(
        "\n",
      );
      for (const line of removed) {
        if (strip(line) !== "") expect(replaceable.split(/\r?\n/)).toContain(strip(line));
      }
    });

    test(`${c.name}: lines the user adds before and after while switched on survive switch-off`, () => {
      const eol = c.text.includes("\r\n") ? "\r\n" : "\n";
      const on = patchCodexConfig(c.text, 3211);
      const before = `# added on top${eol}`;
      const added = `${eol}[mcp_servers.added]${eol}command = "x"${eol}`;
      const ends = (t: string) => t === "" || t.endsWith("\n");
      const off = unpatchCodexConfig(before + on.text + (ends(on.text) ? "" : eol) + added, on.record);
      expect(off).toBe(before + c.text + (ends(c.text) ? "" : eol) + added);
    });

    test(`${c.name}: a second switch-on is byte-identical and --port changes only the port`, () => {
      const on = patchCodexConfig(c.text, 3211).text;
      expect(patchCodexConfig(on, 3211).text).toBe(on);
      const moved = patchCodexConfig(on, 4242).text;
      const { removed, added } = lineDiff(on, moved);
      expect(removed.map(strip)).toEqual(['base_url = "http://127.0.0.1:3211"']);
      expect(added.map(strip)).toEqual(['base_url = "http://127.0.0.1:4242"']);
    });
  }
});

describe("config.toml patch details", () => {
  test("the new top-level key goes after the last top-level key, never after a table header", () => {
    const text = 'model = "o3"\n# comment\n\n[profiles.x]\nmodel = "y"\n';
    const on = patchCodexConfig(text, 3211).text;
    expect(on.startsWith('model = "o3"\nmodel_provider = "codex_proxy"\n# comment\n')).toBe(true);
  });

  test("without top-level keys the new key goes above the first header and the comments attached to it", () => {
    const text = "# title\n\n# about x\n[profiles.x]\nmodel = 'y'\n";
    expect(patchCodexConfig(text, 1).text.startsWith('# title\n\nmodel_provider = "codex_proxy"\n# about x\n')).toBe(
      true,
    );
  });

  test("CRLF files get CRLF lines and keep a missing final newline missing", () => {
    const on = patchCodexConfig("a = 1\r\nb = 2", 3211).text;
    expect(on).toBe(
      'a = 1\r\nb = 2\r\nmodel_provider = "codex_proxy"\r\n\r\n[model_providers.codex_proxy]\r\nname = "codex-helper"\r\nbase_url = "http://127.0.0.1:3211"\r\nwire_api = "responses"',
    );
  });

  test("a comment the user put inside our table survives a port change", () => {
    const on = patchCodexConfig("", 3211).text.replace("wire_api", "# mine\nwire_api");
    expect(patchCodexConfig(on, 5000).text).toContain("# mine\n");
  });

  test("unparseable TOML is refused with the parser's line and column", () => {
    let error: unknown;
    try {
      patchCodexConfig('model = "o3"\n[profiles.x\nmodel = 1\n', 3211);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TomlSyntaxError);
    expect((error as TomlSyntaxError).line).toBe(2);
    expect((error as TomlSyntaxError).column).toBeGreaterThan(0);
  });

  test("a codex_proxy defined inline or with dotted keys is refused, not half-edited", () => {
    expect(() => patchCodexConfig('[model_providers]\ncodex_proxy = { name = "x" }\n', 1)).toThrow(UnsafeEditError);
    expect(() => patchCodexConfig('model_providers.codex_proxy.name = "x"\n', 1)).toThrow(UnsafeEditError);
    expect(() => patchCodexConfig('[model_providers.codex_proxy.http_headers]\nA = "b"\n', 1)).toThrow(UnsafeEditError);
  });

  test("user edits elsewhere survive switch-off", () => {
    const original = CORPUS.find((c) => c.name.startsWith("profiles"))!.text;
    const on = patchCodexConfig(original, 3211);
    const edited = on.text
      .replace('model = "o3"', 'model = "gpt-5" # changed while switched on')
      .concat('\n[mcp_servers.added]\ncommand = "new"\n');
    const off = unpatchCodexConfig(edited, on.record);
    expect(off).toBe(
      original
        .replace('model = "o3"', 'model = "gpt-5" # changed while switched on')
        .concat('\n[mcp_servers.added]\ncommand = "new"\n'),
    );
  });

  test("drift lists each of our entries someone else changed", () => {
    const on = patchCodexConfig("", 3211).text;
    expect(describeDrift(parse(on) as Table, 3211)).toEqual([]);
    const changed = `${on.replace("3211", "9999").replace('"codex_proxy"\n', '"openai"\n')}env_key = 'X'\n`;
    expect(describeDrift(parse(changed) as Table, 3211)).toEqual([
      'model_provider is "openai", switch-on set "codex_proxy"',
      'base_url is "http://127.0.0.1:9999", switch-on wrote "http://127.0.0.1:3211"',
      "[model_providers.codex_proxy] has a new key env_key",
    ]);
  });
});
