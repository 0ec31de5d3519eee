// Renders a usage report as a plain-text table with a compact bar per row (pure).
import type { UsageReport, UsageRow } from "./aggregate";

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A bar `width` cells wide at most, in eighths of a cell, so small differences still show. */
export function bar(value: number, max: number, width = 20): string {
  if (max <= 0 || value <= 0) return "";
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

const COLUMNS: { title: string; value: (r: UsageRow) => number }[] = [
  { title: "requests", value: (r) => r.requests },
  { title: "errors", value: (r) => r.errors },
  { title: "input", value: (r) => r.input_tokens },
  { title: "cached", value: (r) => r.cached_input_tokens },
  { title: "output", value: (r) => r.output_tokens },
  { title: "reasoning", value: (r) => r.reasoning_tokens },
  { title: "total", value: (r) => r.total_tokens },
];

export function renderUsageTable(report: UsageReport): string {
  const header = [report.by, ...COLUMNS.map((c) => c.title), "tokens"];
  const body = report.rows.map((r) => [r.key, ...COLUMNS.map((c) => formatCount(c.value(r)))]);
  const totals = ["total", ...COLUMNS.map((c) => formatCount(c.value(report.totals)))];
  // Bars follow total tokens; a log without usage (non-streaming answers) falls back to requests.
  const useTokens = report.totals.total_tokens > 0;
  const weight = (r: UsageRow) => (useTokens ? r.total_tokens : r.requests);
  const max = Math.max(0, ...report.rows.map(weight));
  const bars = report.rows.map((r) => bar(weight(r), max));
  header[header.length - 1] = useTokens ? "tokens" : "requests";

  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0), totals[i]?.length ?? 0),
  );
  const line = (cells: string[], barCell: string) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .concat(barCell)
      .join("  ")
      .trimEnd();
  const out = [line(header.slice(0, -1), header.at(-1)!)];
  body.forEach((row, i) => {
    out.push(line(row, bars[i]!));
  });
  out.push(line(totals, ""));
  return `${out.join("\n")}\n`;
}
