// Usage report aggregation (pure): request records in, requests/errors/tokens per day, config, upstream or model out.
import type { RequestRecord } from "./record";

export const GROUP_BY = ["day", "config", "upstream", "model"] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface UsageRow {
  key: string;
  requests: number;
  errors: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  total_tokens: number;
}

export interface ReadCounts {
  files: number;
  lines: number;
  /** Lines that were not JSON or not a request record: skipped, never guessed at. */
  malformed: number;
}

export interface UsageReport {
  by: GroupBy;
  /** Epoch ms of the window's start; null for the whole log. */
  since: number | null;
  rows: UsageRow[];
  totals: UsageRow;
  read: ReadCounts;
}

/** A request counts as an error when it was answered with ≥ 400 or failed mid-stream; a client hanging up is not one. */
export function isErrorRecord(record: RequestRecord): boolean {
  if (record.client_aborted) return false;
  return record.status_code >= 400 || record.error !== undefined;
}

/** The local calendar day of an instant, `YYYY-MM-DD` (reports read in the user's own days). */
export function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function emptyRow(key: string): UsageRow {
  return {
    key,
    requests: 0,
    errors: 0,
    input_tokens: 0,
    cached_input_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    total_tokens: 0,
  };
}

function addTo(row: UsageRow, record: RequestRecord): void {
  row.requests++;
  if (isErrorRecord(record)) row.errors++;
  const usage = record.usage;
  if (usage) {
    row.input_tokens += usage.input_tokens;
    row.cached_input_tokens += usage.cached_input_tokens;
    row.output_tokens += usage.output_tokens;
    row.reasoning_tokens += usage.reasoning_tokens;
    row.total_tokens += usage.input_tokens + usage.output_tokens;
  }
}

export interface AggregateOptions {
  sinceMs?: number | null;
  /** Day key of an instant (default: local calendar day). */
  dayOf?: (ms: number) => string;
}

export class UsageAggregator {
  private readonly rows = new Map<string, UsageRow>();
  private readonly totals = emptyRow("total");
  private readonly dayOf: (ms: number) => string;
  private readonly since: number | null;

  constructor(
    readonly by: GroupBy,
    options: AggregateOptions = {},
  ) {
    this.dayOf = options.dayOf ?? localDay;
    this.since = options.sinceMs ?? null;
  }

  /** Records before the window are ignored (so readers may pass everything). */
  add(record: RequestRecord): void {
    if (this.since !== null && record.timestamp_ms < this.since) return;
    const key = this.keyOf(record);
    let row = this.rows.get(key);
    if (row === undefined) {
      row = emptyRow(key);
      this.rows.set(key, row);
    }
    addTo(row, record);
    addTo(this.totals, record);
  }

  private keyOf(record: RequestRecord): string {
    switch (this.by) {
      case "day":
        return this.dayOf(record.timestamp_ms);
      case "config":
        return record.config_name ?? "(none)";
      case "upstream":
        return record.upstream_base_url ?? "(none)";
      case "model":
        return record.model ?? "(unknown)";
    }
  }

  report(read: ReadCounts): UsageReport {
    const rows = [...this.rows.values()].map((r) => ({ ...r }));
    // Days read best in calendar order; everything else by weight.
    if (this.by === "day") rows.sort((a, b) => a.key.localeCompare(b.key));
    else rows.sort((a, b) => b.total_tokens - a.total_tokens || b.requests - a.requests || a.key.localeCompare(b.key));
    return { by: this.by, since: this.since, rows, totals: { ...this.totals }, read };
  }
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `--since`: `30m`, `12h`, `7d`, `2w`, a date `2026-11-01` (local midnight) or an ISO time; `all` = no limit. */
export function parseSince(text: string, now: number): number | null | undefined {
  const value = text.trim().toLowerCase();
  if (value === "all" || value === "") return null;
  const relative = /^(\d+(?:\.\d+)?)\s*([mhdw])$/.exec(value);
  if (relative) return now - Number(relative[1]) * UNITS[relative[2]!]!;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) return new Date(Number(date[1]), Number(date[2]) - 1, Number(date[3])).getTime();
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}
