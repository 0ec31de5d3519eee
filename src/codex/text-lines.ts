// Pure: a text as lines that keep their own line endings, so an edit can put every untouched byte back as it was.

export interface Line {
  text: string;
  /** The line's terminator as found: "\n", "\r\n", or "" for a last line without a final newline. */
  eol: "" | "\n" | "\r\n";
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf("\n", start);
    if (nl === -1) {
      lines.push({ text: text.slice(start), eol: "" });
      break;
    }
    const crlf = nl > start && text[nl - 1] === "\r";
    lines.push({ text: text.slice(start, crlf ? nl - 1 : nl), eol: crlf ? "\r\n" : "\n" });
    start = nl + 1;
  }
  return lines;
}

export function joinLines(lines: readonly Line[]): string {
  return lines.map((line) => line.text + line.eol).join("");
}

/** The file's own line ending (its first one), "\n" for a file without any. */
export function detectEol(lines: readonly Line[]): "\n" | "\r\n" {
  for (const line of lines) if (line.eol !== "") return line.eol;
  return "\n";
}

/** Lines [start, end] as one string, inner terminators kept, the last one's dropped. */
export function spanText(lines: readonly Line[], start: number, end: number): string {
  const span = lines.slice(start, end + 1);
  const text = joinLines(span);
  return text.slice(0, text.length - (span.at(-1)?.eol.length ?? 0));
}

/**
 * Replace lines [start, end] with `replacement` (line texts and inner terminators as given), giving the last new
 * line the terminator the replaced span ended with, so a missing final newline stays missing.
 */
export function replaceSpan(lines: readonly Line[], start: number, end: number, replacement: readonly Line[]): Line[] {
  const lastEol = lines[end]?.eol ?? "";
  const fresh = replacement.map((line, i) => (i === replacement.length - 1 ? { text: line.text, eol: lastEol } : line));
  return [...lines.slice(0, start), ...fresh, ...lines.slice(end + 1)];
}

/** Remove lines [start, end]; when they ended the text without a final newline, the new last line loses its own. */
export function removeSpan(lines: readonly Line[], start: number, end: number): Line[] {
  const out = [...lines.slice(0, start), ...lines.slice(end + 1)];
  if (end >= lines.length - 1 && start > 0 && lines[lines.length - 1]!.eol === "") {
    out[start - 1] = { text: out[start - 1]!.text, eol: "" };
  }
  return out;
}

/** Insert `added` before index `at`; at the very end of a text without a final newline, the newline moves to the end. */
export function insertLines(lines: readonly Line[], at: number, added: readonly string[], eol: "\n" | "\r\n"): Line[] {
  const fresh: Line[] = added.map((text) => ({ text, eol }));
  if (at >= lines.length && lines.length > 0 && lines[lines.length - 1]!.eol === "") {
    const before = lines.slice(0, -1);
    const last = lines[lines.length - 1]!;
    fresh[fresh.length - 1] = { text: fresh[fresh.length - 1]!.text, eol: "" };
    return [...before, { text: last.text, eol }, ...fresh];
  }
  return [...lines.slice(0, at), ...fresh, ...lines.slice(at)];
}
