// Pure: where each member of a JSON object sits in the text, and edits that change one member and no other byte.

export interface JsonMember {
  key: string;
  /** Offset of the key's opening quote. */
  keyStart: number;
  /** Offset just after the key's closing quote. */
  keyEnd: number;
  valueStart: number;
  /** Offset just after the value. */
  valueEnd: number;
  value: JsonNode;
}

export type JsonNode =
  | { kind: "object"; start: number; end: number; members: JsonMember[] }
  | { kind: "other"; start: number; end: number };

/** Spans of a text JSON.parse accepted (call that first: this scanner trusts the syntax). */
export function parseJsonSpans(text: string): JsonNode {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const string = (): string => {
    const from = i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(from, i)) as string;
  };
  const value = (): JsonNode => {
    ws();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++;
      const members: JsonMember[] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { kind: "object", start, end: i, members };
      }
      for (;;) {
        ws();
        const keyStart = i;
        const key = string();
        const keyEnd = i;
        ws();
        i++; // ':'
        const node = value();
        members.push({ key, keyStart, keyEnd, valueStart: node.start, valueEnd: node.end, value: node });
        ws();
        if (text[i++] === "}") return { kind: "object", start, end: i, members };
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return { kind: "other", start, end: i };
      }
      for (;;) {
        value();
        ws();
        if (text[i++] === "]") return { kind: "other", start, end: i };
      }
    }
    if (c === '"') {
      string();
      return { kind: "other", start, end: i };
    }
    while (i < text.length && /[^\s,\]}]/.test(text[i]!)) i++;
    return { kind: "other", start, end: i };
  };
  return value();
}

/** The whitespace before `offset` on its line, or null when something else precedes it there (a one-line object). */
export function lineIndent(text: string, offset: number): string | null {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : null;
}

/** The whitespace a line starts with, for the line holding `offset`. */
export function leadingIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? "";
}

export interface Style {
  /** One level of indentation, e.g. two spaces. */
  unit: string;
  eol: string;
}

/** Set `key` to the JSON text `valueText`: replace its value in place, or append it after the last member. */
export function setMember(text: string, object: JsonNode, key: string, valueText: string, style: Style): string {
  if (object.kind !== "object") throw new Error("not an object");
  const existing = object.members.find((m) => m.key === key);
  if (existing) return text.slice(0, existing.valueStart) + valueText + text.slice(existing.valueEnd);
  const last = object.members.at(-1);
  if (last) {
    const indent = lineIndent(text, last.keyStart);
    const separator = text.slice(last.keyEnd, last.valueStart);
    // One-line objects: copy the comma and spacing the file already uses between members.
    const before = object.members.at(-2);
    const lead = indent !== null ? `,${style.eol}${indent}` : before ? text.slice(before.valueEnd, last.keyStart) : ",";
    const member = `${lead}${JSON.stringify(key)}${separator}${valueText}`;
    return text.slice(0, last.valueEnd) + member + text.slice(last.valueEnd);
  }
  const outer = leadingIndent(text, object.start);
  const inner = `{${style.eol}${outer}${style.unit}${JSON.stringify(key)}: ${valueText}${style.eol}${outer}}`;
  return text.slice(0, object.start) + inner + text.slice(object.end);
}

/** Remove `key` with the comma and whitespace that joined it to its neighbour; the last one leaves `{}`. */
export function removeMember(text: string, object: JsonNode, key: string): string {
  if (object.kind !== "object") throw new Error("not an object");
  const index = object.members.findIndex((m) => m.key === key);
  if (index === -1) return text;
  const member = object.members[index]!;
  const previous = object.members[index - 1];
  const next = object.members[index + 1];
  if (previous) return text.slice(0, previous.valueEnd) + text.slice(member.valueEnd);
  if (next) return text.slice(0, member.keyStart) + text.slice(next.keyStart);
  return `${text.slice(0, object.start)}{}${text.slice(object.end)}`;
}

export function member(object: JsonNode, key: string): JsonMember | undefined {
  return object.kind === "object" ? object.members.find((m) => m.key === key) : undefined;
}
