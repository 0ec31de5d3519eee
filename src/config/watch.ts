// Hot reload of config.json: parse on change into one immutable snapshot, swapped in a single assignment.
import { messageOf, UserError } from "../errors";
import { watchFile } from "../fs/watch-file";
import { parseConfigText } from "./load";
import type { ConfigFile } from "./schema";

export interface ConfigSource {
  current(): ConfigFile;
  /** Re-check the file now (tests, and `reload` requests). */
  check(): void;
  stop(): void;
}

export interface ConfigSourceOptions {
  intervalMs?: number;
  /** A bad edit: reported once per distinct problem; the last good config stays. */
  onError?: (message: string) => void;
  onReload?: (config: ConfigFile) => void;
}

export function watchConfig(file: string, initial: ConfigFile, options: ConfigSourceOptions = {}): ConfigSource {
  let config = initial;
  let lastError: string | undefined;
  const watch = watchFile(
    file,
    (text) => {
      try {
        // An editor that truncates before writing, or renames the old file away first, shows an empty or missing
        // file for a moment: serving no upstream in that window would fail real requests, so keep the last good one.
        if (text === undefined || text.trim() === "") {
          throw new UserError(`${file}: ${text === undefined ? "missing" : "empty"}`);
        }
        const next = parseConfigText(text, file);
        config = next;
        lastError = undefined;
        options.onReload?.(next);
      } catch (error) {
        const message = `${messageOf(error)} (keeping the previous config)`;
        if (message !== lastError) options.onError?.(message);
        lastError = message;
      }
    },
    options.intervalMs,
  );
  return { current: () => config, check: watch.check, stop: watch.stop };
}
