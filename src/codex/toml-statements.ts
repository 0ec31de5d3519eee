// Pure: where each TOML statement (table header or key = value) starts and ends, by line, in text smol-toml accepted.

export interface TableStatement {
  kind: "table";
  /** `[[x]]` rather than `[x]`. */
  array: boolean;
  key: string[];
  /** First and last line (0-based, inclusive). */
  start: number;
  end: number;
}

export interface KeyValueStatement {
  kind: "keyval";
  key: string[];
  /** The header this key sits under, or null at the top level. */
  table: TableStatement | null;
  start: number;
  end: number;
}

export type Statement = TableStatement | KeyValueStatement;

/** Thrown when the text holds something this scanner does not understand; callers refuse rather than guess. */
export class TomlScanError extends Error {}

const BARE_KEY = /[A-Za-z0-9_-]/;

/**
 * A statement-level scanner, not a parser: the text has already been parsed (and so validated) by smol-toml; this
 * only finds line spans, honouring strings, multi-line strings, arrays and inline tables that cross lines.
 */
export function scanStatements(text: string): Statement[] {
  let i = 0;
  let line = 0;
  let table: TableStatement | null = null;
  const out: Statement[] = [];
  const n = text.length;

  const fail = (what: string): never => {
    throw new TomlScanError(`unexpected ${what} at line ${line + 1}`);
  };
  const skipBlanks = () => {
    while (i < n && (text[i] === " " || text[i] === "\t")) i++;
  };
  const skipToLineEnd = () => {
    while (i < n && text[i] !== "\n") i++;
  };
  const consumeNewline = () => {
    if (text[i] === "\r" && text[i + 1] === "\n") i++;
    if (text[i] === "\n") {
      i++;
      line++;
    }
  };
  const restOfLine = () => {
    skipBlanks();
    if (text[i] === "#") skipToLineEnd();
    if (text[i] === "\r") i++;
    if (i < n && text[i] !== "\n") fail(`text after a statement`);
  };

  const basicString = (): string => {
    // at the opening quote
    const from = i;
    i++;
    while (i < n && text[i] !== '"') {
      if (text[i] === "\\") i++;
      if (text[i] === "\n") fail("newline in a string");
      i++;
    }
    if (i >= n) fail("end of text in a string");
    i++;
    const raw = text.slice(from, i);
    try {
      return JSON.parse(
        raw.replace(/\\U([0-9A-Fa-f]{8})/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16))),
      );
    } catch {
      return raw.slice(1, -1);
    }
  };
  const literalString = (): string => {
    const from = ++i;
    while (i < n && text[i] !== "'") {
      if (text[i] === "\n") fail("newline in a string");
      i++;
    }
    if (i >= n) fail("end of text in a string");
    return text.slice(from, i++);
  };
  const multiline = (quote: string) => {
    // at the opening triple quote; ends at the closing one (a closer may carry up to two extra quotes)
    i += 3;
    for (;;) {
      if (i >= n) fail("end of text in a multi-line string");
      const c = text[i];
      if (quote === '"' && c === "\\") {
        i += 2;
        if (text[i - 1] === "\n") line++;
        continue;
      }
      if (c === "\n") line++;
      if (text.startsWith(quote.repeat(3), i)) {
        i += 3;
        while (text[i] === quote) i++;
        return;
      }
      i++;
    }
  };

  const key = (terminator: string): string[] => {
    const parts: string[] = [];
    for (;;) {
      skipBlanks();
      const c = text[i];
      if (c === '"') parts.push(basicString());
      else if (c === "'") parts.push(literalString());
      else if (c !== undefined && BARE_KEY.test(c)) {
        const from = i;
        while (i < n && BARE_KEY.test(text[i]!)) i++;
        parts.push(text.slice(from, i));
      } else fail(`character ${JSON.stringify(c)} in a key`);
      skipBlanks();
      if (text[i] === ".") {
        i++;
        continue;
      }
      if (text.startsWith(terminator, i)) return parts;
      fail(`character ${JSON.stringify(text[i])} after a key`);
    }
  };

  const value = () => {
    let depth = 0;
    while (i < n) {
      const c = text[i];
      if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
        if (depth === 0) return;
        consumeNewline();
        continue;
      }
      if (c === '"') {
        if (text.startsWith('"""', i)) multiline('"');
        else basicString();
        continue;
      }
      if (c === "'") {
        if (text.startsWith("'''", i)) multiline("'");
        else literalString();
        continue;
      }
      if (c === "#") {
        if (depth === 0) return;
        skipToLineEnd();
        continue;
      }
      if (c === "[" || c === "{") depth++;
      else if (c === "]" || c === "}") depth--;
      i++;
    }
  };

  while (i < n) {
    skipBlanks();
    const c = text[i];
    if (c === undefined) break;
    if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] !== "\n") fail("carriage return");
      consumeNewline();
      continue;
    }
    if (c === "#") {
      skipToLineEnd();
      continue;
    }
    const start = line;
    if (c === "[") {
      const array = text[i + 1] === "[";
      i += array ? 2 : 1;
      const parts = key(array ? "]]" : "]");
      i += array ? 2 : 1;
      restOfLine();
      table = { kind: "table", array, key: parts, start, end: start };
      out.push(table);
      continue;
    }
    const parts = key("=");
    i++;
    skipBlanks();
    value();
    out.push({ kind: "keyval", key: parts, table, start, end: line });
    restOfLine();
  }
  return out;
}

/** Same key path? */
export function sameKey(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

/** `key` starts with `prefix`? */
export function keyStartsWith(key: readonly string[], prefix: readonly string[]): boolean {
  return key.length >= prefix.length && prefix.every((part, index) => part === key[index]);
}
