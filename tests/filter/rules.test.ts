import { describe, expect, test } from "bun:test";
import { UserError } from "../../src/errors";
import { applyFilter, parseFilterText } from "../../src/filter/rules";

const FILE = "/home/u/.codex-proxy/filter.json";

describe("filter rules", () => {
  test("replace and remove apply in order to JSON string values, and the body stays valid JSON", () => {
    const rules = parseFilterText(
      JSON.stringify([
        { op: "replace", source: "secret-project", target: 'with "quotes" \\ and\nnewline' },
        { op: "remove", source: "DROP ME" },
      ]),
      FILE,
    );
    const body = JSON.stringify({ input: [{ content: "about secret-project, DROP ME please" }], n: 1 });
    const out = applyFilter(body, rules);
    expect(out).toBeDefined();
    expect(JSON.parse(out!)).toEqual({ input: [{ content: 'about with "quotes" \\ and\nnewline,  please' }], n: 1 });
  });

  test("regex rules use JavaScript regular expressions with groups", () => {
    const rules = parseFilterText(
      JSON.stringify([{ op: "replace", source: "user-(\\d+)", target: "user-<$1>", regex: true }]),
      FILE,
    );
    expect(JSON.parse(applyFilter('{"a":"user-12 and user-7"}', rules)!)).toEqual({ a: "user-<12> and user-<7>" });
  });

  test("rules never touch JSON structure: keys, numbers and escapes survive", () => {
    const rules = parseFilterText(JSON.stringify([{ op: "replace", source: "a", target: "b" }]), FILE);
    expect(JSON.parse(applyFilter('{"a":"a\\"a","aa":1}', rules)!)).toEqual({ a: 'b"b', aa: 1 });
  });

  test("a body no rule matches, or that is not JSON, is left as it is", () => {
    const rules = parseFilterText(JSON.stringify([{ op: "remove", source: "zzz" }]), FILE);
    expect(applyFilter('{"a":"b"}', rules)).toBeUndefined();
    expect(applyFilter("zzz not json", rules)).toBeUndefined();
  });

  test("accepts { rules: [...] } as well as a plain list", () => {
    const rules = parseFilterText(JSON.stringify({ rules: [{ op: "remove", source: "x" }] }), FILE);
    expect(rules.rules).toHaveLength(1);
  });

  test("a bad file is a one-line error naming the file and the rule", () => {
    expect(() => parseFilterText("[{", FILE)).toThrow(UserError);
    expect(() => parseFilterText('[{"op":"replace","source":"a"}]', FILE)).toThrow(/filter\.json: 0\.target/);
    expect(() => parseFilterText('[{"op":"remove","source":"(","regex":true}]', FILE)).toThrow(
      /filter\.json: 0\.source: invalid regular expression/,
    );
  });
});
