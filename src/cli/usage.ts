// `codex-helper usage [--since 7d] [--by day|config|upstream|model] [--json]`: token and request totals from the log.
import { defineCommand } from "citty";
import { UserError } from "../errors";
import { GROUP_BY, type GroupBy, localDay, parseSince, UsageAggregator } from "../log/aggregate";
import { readRequestLog, requestLogFiles } from "../log/read";
import { renderUsageTable } from "../log/usage-table";
import { paths } from "../paths";
import { action } from "./action";
import { logger, printData, printJson } from "./output";
import { progress } from "./progress";

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export default defineCommand({
  meta: { name: "usage", description: "Requests, errors and tokens from the request log (rotated files included)" },
  args: {
    since: { type: "string", description: "Window: 30m, 12h, 7d, 2w, a date (2026-11-01) or all (default all)" },
    by: { type: "string", description: "Group by day, config, upstream or model (default day)", default: "day" },
    json: { type: "boolean", description: "Print JSON", default: false },
  },
  run: action(async ({ args }) => {
    const by = args.by as GroupBy;
    if (!GROUP_BY.includes(by)) throw new UserError(`--by: "${args.by}" is not one of ${GROUP_BY.join(", ")}`);
    const sinceMs = args.since === undefined ? null : parseSince(args.since, Date.now());
    if (sinceMs === undefined) {
      throw new UserError(`--since: "${args.since}" is not a duration (30m, 12h, 7d, 2w), a date (2026-11-01) or all`);
    }
    const file = paths().requestLog;
    const files = requestLogFiles(file);
    const aggregator = new UsageAggregator(by, { sinceMs, dayOf: localDay });
    const bar = progress();
    const stats = await readRequestLog(files, (record) => aggregator.add(record), {
      sinceMs,
      onProgress: (read, total) =>
        bar.update(
          `reading the request log… ${total > 0 ? Math.floor((read / total) * 100) : 100}% (${megabytes(read)} of ${megabytes(total)})`,
        ),
    });
    bar.done();
    const report = aggregator.report({ files: stats.files, lines: stats.lines, malformed: stats.malformed });
    if (args.json) {
      printJson(report);
      return;
    }
    if (files.length === 0) {
      logger.info(`No request log yet (${file}): run codex-helper serve and send some requests.`);
      return;
    }
    if (report.rows.length === 0) {
      logger.info(
        `No requests ${sinceMs === null ? "in the log" : `since ${new Date(sinceMs).toLocaleString()}`} (${file}).`,
      );
    } else {
      printData(renderUsageTable(report));
    }
    if (stats.malformed > 0) {
      logger.warn(`${stats.malformed} malformed line(s) of ${stats.lines} skipped`);
    }
  }),
});
