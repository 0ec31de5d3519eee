// The one consola instance (human messages on stderr, one line each), the stdout printer for data, secret masking.
import { formatWithOptions } from "node:util";
import { type ConsolaInstance, createConsola, type LogObject } from "consola/core";

const PREFIX: Record<string, string> = { fatal: "✖ ", error: "✖ ", warn: "⚠ ", success: "✔ ", fail: "✖ ", ready: "✔ " };

/**
 * Human messages: always stderr (stdout stays clean for `--json` and ids meant for piping), one line per message —
 * consola's fancy reporter frames errors with blank lines, which breaks "one clear line" in logs and scripts.
 */
export const logger: ConsolaInstance = createConsola({
  // consola lowers its level under NODE_ENV=test (and in CI); a CLI's messages are its output, whatever the env says.
  level: 3,
  stdout: process.stderr,
  stderr: process.stderr,
  reporters: [
    {
      log(entry: LogObject) {
        const text = formatWithOptions({ colors: false }, ...entry.args);
        process.stderr.write(`${PREFIX[entry.type] ?? ""}${text}\n`);
      },
    },
  ],
});

/** Data for the user or another program: plain stdout. */
export function printData(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  printData(JSON.stringify(value, null, 2));
}

export { maskSecret } from "../mask";
