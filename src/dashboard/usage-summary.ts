// Usage for the dashboard: the request log and its rotations streamed once, aggregated by day, config and upstream.
import { UsageAggregator, type UsageRow } from "../log/aggregate";
import { readRequestLog, requestLogFiles } from "../log/read";

export interface UsageSummary {
  days: UsageRow[];
  byConfig: UsageRow[];
  byUpstream: UsageRow[];
  totals: UsageRow;
  malformed: number;
}

const DAY = 86_400_000;
let cache: { signature: string; summary: UsageSummary } | undefined;

/**
 * The same reader and aggregation as `codex-helper usage --since 30d`, so the totals agree. Streams the files (bounded
 * memory, yields between chunks so requests keep flowing); the result is reused until a log file changes.
 */
export async function usageSummary(logFile: string, now: number): Promise<UsageSummary> {
  const files = requestLogFiles(logFile);
  const since = now - 30 * DAY;
  const signature = `${new Date(now).toDateString()}|${files.map((f) => `${f.path}:${f.size}:${f.mtimeMs}`).join("|")}`;
  if (cache?.signature === signature) return cache.summary;
  const byDay = new UsageAggregator("day", { sinceMs: since });
  const byConfig = new UsageAggregator("config", { sinceMs: since });
  const byUpstream = new UsageAggregator("upstream", { sinceMs: since });
  const stats = await readRequestLog(
    files,
    (record) => {
      byDay.add(record);
      byConfig.add(record);
      byUpstream.add(record);
    },
    { sinceMs: since },
  );
  const read = { files: stats.files, lines: stats.lines, malformed: stats.malformed };
  const day = byDay.report(read);
  const summary: UsageSummary = {
    days: day.rows,
    byConfig: byConfig.report(read).rows,
    byUpstream: byUpstream.report(read).rows,
    totals: day.totals,
    malformed: stats.malformed,
  };
  cache = { signature, summary };
  return summary;
}
