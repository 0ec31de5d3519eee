// Pure: point Codex's config.toml text at the proxy and back, changing only our two entries and keeping every other byte.
import { parse as parseToml, TomlError } from "smol-toml";
import {
  detectEol,
  insertLines,
  joinLines,
  type Line,
  removeSpan,
  replaceSpan,
  spanText,
  splitLines,
} from "./text-lines";
import { keyStartsWith, type Statement, sameKey, scanStatements, TomlScanError } from "./toml-statements";

export const PROVIDER_ID = "codex_proxy";
export const PROVIDER_NAME = "codex-helper";
const TABLE_KEY = ["model_providers", PROVIDER_ID];

type Table = Record<string, unknown>;

/** What switch-on found and replaced: exactly what switch-off needs to put the file back. */
export interface CodexPatchRecord {
  /** The old `model_provider` value, null when the key was absent. */
  previous_model_provider: string | null;
  /** The exact text of the old `model_provider = …` statement (quoting, comment), null when absent. */
  previous_model_provider_text: string | null;
  /** The exact text of an old `[model_providers.codex_proxy]` table (header to its last key), null when absent. */
  previous_table_text: string | null;
  /** Whether `model_providers` existed before. */
  had_model_providers_table: boolean;
  /** Whether we added a blank line before our appended table. */
  added_blank_line: boolean;
}

/** The text does not parse as TOML: where and why, from smol-toml. */
export class TomlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** The text parses, but we cannot change it without touching more than our entries: refuse, change nothing. */
export class UnsafeEditError extends Error {}

export function baseUrlFor(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** The table switch-on writes, as parsed values. */
export function ourProvider(port: number): Table {
  return { name: PROVIDER_NAME, base_url: baseUrlFor(port), wire_api: "responses" };
}

function ourTableLines(port: number): string[] {
  return [
    `[model_providers.${PROVIDER_ID}]`,
    `name = "${PROVIDER_NAME}"`,
    `base_url = "${baseUrlFor(port)}"`,
    `wire_api = "responses"`,
  ];
}

const OUR_MODEL_PROVIDER_LINE = `model_provider = "${PROVIDER_ID}"`;

/** Parse, turning smol-toml's error into one with its line and column. */
export function parseCodexToml(text: string): Table {
  try {
    return parseToml(text) as Table;
  } catch (error) {
    if (error instanceof TomlError) {
      throw new TomlSyntaxError(error.message.split("\n")[0] ?? "invalid TOML", error.line, error.column);
    }
    throw error;
  }
}

function asTable(value: unknown): Table | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)
    ? (value as Table)
    : undefined;
}

function scan(text: string): Statement[] {
  try {
    return scanStatements(text);
  } catch (error) {
    if (error instanceof TomlScanError) throw new UnsafeEditError(`cannot edit this file safely: ${error.message}`);
    throw error;
  }
}

interface Layout {
  statements: Statement[];
  modelProvider: Statement | undefined;
  table: Statement | undefined;
  /** Last line of the table's own statements (header to last key; trailing comments belong to what follows). */
  tableEnd: number;
}

function layout(text: string): Layout {
  const statements = scan(text);
  const modelProvider = statements.find(
    (s) => s.kind === "keyval" && s.table === null && sameKey(s.key, ["model_provider"]),
  );
  const table = statements.find((s) => s.kind === "table" && !s.array && sameKey(s.key, TABLE_KEY));
  for (const s of statements) {
    const full = s.kind === "keyval" && s.table ? [...s.table.key, ...s.key] : s.key;
    if (s === table || !keyStartsWith(full, TABLE_KEY)) continue;
    if (s.kind === "keyval" && s.table === table && table !== undefined) continue;
    if (s.kind === "table") {
      throw new UnsafeEditError(`[${s.key.join(".")}] is a sub-table of ours; remove it or rename the provider`);
    }
    throw new UnsafeEditError(
      `model_providers.${PROVIDER_ID} is defined with dotted keys or an inline table (line ${s.start + 1}); turn it into a [model_providers.${PROVIDER_ID}] table or remove it`,
    );
  }
  let tableEnd = table?.end ?? -1;
  if (table) {
    for (const s of statements) if (s.kind === "keyval" && s.table === table) tableEnd = Math.max(tableEnd, s.end);
  }
  return { statements, modelProvider, table, tableEnd };
}

/** Where a new top-level key goes: after the last top-level key, else above the first header and its comments. */
function topLevelInsertAt(lines: readonly Line[], statements: readonly Statement[]): number {
  let lastTopLevel = -1;
  for (const s of statements) if (s.kind === "keyval" && s.table === null) lastTopLevel = Math.max(lastTopLevel, s.end);
  if (lastTopLevel >= 0) return lastTopLevel + 1;
  const header = statements.find((s) => s.kind === "table");
  if (!header) return lines.length;
  let at = header.start;
  while (at > 0 && lines[at - 1]!.text.trimStart().startsWith("#")) at--;
  return at;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) {
    return (
      a instanceof Date && b instanceof Date && a.constructor === b.constructor && a.toISOString() === b.toISOString()
    );
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => deepEqual(item, b[index]));
  }
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  const ta = asTable(a);
  const tb = asTable(b);
  if (!ta || !tb) return false;
  const keys = Object.keys(ta);
  if (keys.length !== Object.keys(tb).length) return false;
  return keys.every((k) => Object.hasOwn(tb, k) && deepEqual(ta[k], tb[k]));
}

/** The first place two parsed documents differ, as a dotted path, for messages. */
function firstDifference(a: unknown, b: unknown, path: string[] = []): string | undefined {
  if (deepEqual(a, b)) return undefined;
  const ta = asTable(a);
  const tb = asTable(b);
  if (ta && tb) {
    for (const k of new Set([...Object.keys(ta), ...Object.keys(tb)])) {
      const d = firstDifference(ta[k], tb[k], [...path, k]);
      if (d !== undefined) return d;
    }
  }
  return path.join(".") || "(top level)";
}

function verify(result: string, expected: Table, what: string): void {
  let actual: Table;
  try {
    actual = parseCodexToml(result);
  } catch (error) {
    throw new UnsafeEditError(`${what} would not parse (${(error as Error).message}); nothing changed`);
  }
  const where = firstDifference(actual, expected);
  if (where !== undefined) throw new UnsafeEditError(`${what} would change more than our entries (at ${where})`);
}

/** Copies tables and arrays; leaves dates and other values shared (structuredClone would turn TOML dates into Dates). */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => clone(item)) as T;
  const table = asTable(value);
  if (!table) return value;
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, clone(v)])) as T;
}

/** The parsed document with our two entries, as switch-on must leave it. */
export function withOurEntries(doc: Table, port: number): Table {
  const next = clone(doc);
  next.model_provider = PROVIDER_ID;
  const providers = asTable(next.model_providers) ?? {};
  providers[PROVIDER_ID] = ourProvider(port);
  next.model_providers = providers;
  return next;
}

export interface PatchResult {
  text: string;
  /** What was there before, for a first switch-on (a repeated one keeps the record it already has). */
  record: CodexPatchRecord;
}

/** Set our `model_provider` line and our table (port `port`); only those lines change. */
export function patchCodexConfig(text: string, port: number): PatchResult {
  const doc = parseCodexToml(text);
  const previous = doc.model_provider;
  if (previous !== undefined && typeof previous !== "string") {
    throw new UnsafeEditError(`model_provider is not a string`);
  }
  const had = asTable(doc.model_providers) !== undefined;
  const oldProvider = asTable(asTable(doc.model_providers)?.[PROVIDER_ID]);

  // 1. the top-level key
  let lines = splitLines(text);
  const eol = detectEol(lines);
  let view = layout(text);
  let previousModelProviderText: string | null = null;
  if (view.modelProvider) {
    previousModelProviderText = spanText(lines, view.modelProvider.start, view.modelProvider.end);
    if (previous !== PROVIDER_ID) {
      lines = replaceSpan(lines, view.modelProvider.start, view.modelProvider.end, [
        { text: OUR_MODEL_PROVIDER_LINE, eol },
      ]);
    }
  } else {
    lines = insertLines(lines, topLevelInsertAt(lines, view.statements), [OUR_MODEL_PROVIDER_LINE], eol);
  }

  // 2. the table
  const afterKey = joinLines(lines);
  view = layout(afterKey);
  let previousTableText: string | null = null;
  let addedBlankLine = false;
  const table = view.table;
  if (table) {
    previousTableText = spanText(lines, table.start, view.tableEnd);
    const wanted = ourProvider(port);
    const sameShape =
      oldProvider !== undefined &&
      Object.keys(oldProvider).length === 3 &&
      oldProvider.name === wanted.name &&
      oldProvider.wire_api === wanted.wire_api &&
      typeof oldProvider.base_url === "string";
    const baseUrl = view.statements.find(
      (s) => s.kind === "keyval" && s.table === table && sameKey(s.key, ["base_url"]),
    );
    if (sameShape && baseUrl) {
      // Ours already (maybe another port): touch the base_url line only, so a comment the user added survives.
      if (oldProvider.base_url !== wanted.base_url) {
        lines = replaceSpan(lines, baseUrl.start, baseUrl.end, [{ text: `base_url = "${baseUrlFor(port)}"`, eol }]);
      }
    } else {
      const fresh = ourTableLines(port).map((line) => ({ text: line, eol }));
      lines = replaceSpan(lines, table.start, view.tableEnd, fresh);
    }
  } else {
    const added = ourTableLines(port);
    const last = lines.at(-1);
    if (last !== undefined && last.text.trim() !== "") {
      added.unshift("");
      addedBlankLine = true;
    }
    lines = insertLines(lines, lines.length, added, eol);
  }

  const result = joinLines(lines);
  verify(result, withOurEntries(doc, port), "the switched-on config.toml");
  return {
    text: result,
    record: {
      previous_model_provider: typeof previous === "string" ? previous : null,
      previous_model_provider_text: previousModelProviderText,
      previous_table_text: previousTableText,
      had_model_providers_table: had,
      added_blank_line: addedBlankLine,
    },
  };
}

/** The parsed document switch-off must leave: our entries replaced by what the record says was there. */
export function withoutOurEntries(doc: Table, record: CodexPatchRecord): Table {
  const next = clone(doc);
  if (record.previous_model_provider === null) delete next.model_provider;
  else next.model_provider = record.previous_model_provider;
  const providers = asTable(next.model_providers);
  if (record.previous_table_text !== null) {
    const old = asTable(asTable(parseCodexToml(record.previous_table_text).model_providers)?.[PROVIDER_ID]);
    const target = providers ?? {};
    target[PROVIDER_ID] = old ?? {};
    next.model_providers = target;
  } else if (providers) {
    delete providers[PROVIDER_ID];
    if (Object.keys(providers).length === 0 && !record.had_model_providers_table) delete next.model_providers;
  }
  return next;
}

/** Undo `patchCodexConfig`: our table and key go back to what `record` says was there; everything else stays. */
export function unpatchCodexConfig(text: string, record: CodexPatchRecord): string {
  const doc = parseCodexToml(text);
  let lines = splitLines(text);
  const eol = detectEol(lines);

  // 1. the table (later in the file), so the key's line numbers stay valid
  let view = layout(text);
  if (view.table) {
    if (record.previous_table_text !== null) {
      lines = replaceSpan(lines, view.table.start, view.tableEnd, splitLines(record.previous_table_text));
    } else {
      let start = view.table.start;
      if (record.added_blank_line && start > 0 && lines[start - 1]!.text.trim() === "") start--;
      lines = removeSpan(lines, start, view.tableEnd);
    }
  }

  // 2. the top-level key
  const afterTable = joinLines(lines);
  view = layout(afterTable);
  if (view.modelProvider) {
    const { start, end } = view.modelProvider;
    if (record.previous_model_provider_text !== null) {
      lines = replaceSpan(lines, start, end, splitLines(record.previous_model_provider_text));
    } else if (record.previous_model_provider !== null) {
      lines = replaceSpan(lines, start, end, [
        { text: `model_provider = ${JSON.stringify(record.previous_model_provider)}`, eol },
      ]);
    } else {
      lines = removeSpan(lines, start, end);
    }
  }

  const result = joinLines(lines);
  verify(result, withoutOurEntries(doc, record), "the switched-off config.toml");
  return result;
}

/** How the file's current entries differ from what switch-on wrote for `port` (empty: untouched). */
export function describeDrift(doc: Table, port: number): string[] {
  const drift: string[] = [];
  if (doc.model_provider !== PROVIDER_ID) {
    drift.push(
      doc.model_provider === undefined
        ? `model_provider was removed (switch-on set "${PROVIDER_ID}")`
        : `model_provider is ${JSON.stringify(doc.model_provider)}, switch-on set "${PROVIDER_ID}"`,
    );
  }
  const table = asTable(asTable(doc.model_providers)?.[PROVIDER_ID]);
  if (!table) {
    drift.push(`[model_providers.${PROVIDER_ID}] was removed`);
    return drift;
  }
  const wanted = ourProvider(port);
  for (const key of new Set([...Object.keys(wanted), ...Object.keys(table)])) {
    if (deepEqual(table[key], wanted[key])) continue;
    if (!(key in wanted)) drift.push(`[model_providers.${PROVIDER_ID}] has a new key ${key}`);
    else if (!(key in table)) drift.push(`[model_providers.${PROVIDER_ID}] lost ${key}`);
    else drift.push(`${key} is ${JSON.stringify(table[key])}, switch-on wrote ${JSON.stringify(wanted[key])}`);
  }
  return drift;
}

/** Neither our key nor our table is there: the user (or a restore) already undid the switch. */
export function hasNoOurEntries(doc: Table): boolean {
  return doc.model_provider !== PROVIDER_ID && asTable(asTable(doc.model_providers)?.[PROVIDER_ID]) === undefined;
}

/** Where Codex points: our provider and its loopback port, when it does. */
export interface CodexTargetInfo {
  provider: string;
  baseUrl: string | null;
  /** Port of our codex_proxy provider's loopback base_url, when Codex uses it. */
  proxyPort: number | null;
}

export function codexProxyTarget(doc: Table): CodexTargetInfo {
  const provider = typeof doc.model_provider === "string" ? doc.model_provider : "openai";
  const block = asTable(asTable(doc.model_providers)?.[provider]);
  const baseUrl = typeof block?.base_url === "string" ? block.base_url : null;
  let proxyPort: number | null = null;
  if (provider === PROVIDER_ID && baseUrl !== null) {
    const match = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)\/?$/.exec(baseUrl);
    if (match) proxyPort = Number(match[1]);
  }
  return { provider, baseUrl, proxyPort };
}
