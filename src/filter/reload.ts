// Keeps the filter rules in force: loads filter.json, re-reads it on change, keeps the last good rules on a bad edit.

import { readTextIfExists } from "../config/load";
import { messageOf } from "../errors";
import { watchFile } from "../fs/watch-file";
import { type FilterRules, NO_RULES, parseFilterText } from "./rules";

export interface FilterSource {
  current(): FilterRules;
  stop(): void;
  check(): void;
}

export interface FilterSourceOptions {
  intervalMs?: number;
  onError?: (message: string) => void;
  onReload?: (rules: FilterRules) => void;
}

export function loadFilterSource(file: string, options: FilterSourceOptions = {}): FilterSource {
  let rules = NO_RULES;
  let lastError: string | undefined;
  const apply = (text: string | undefined) => {
    if (text === undefined || text.trim() === "") {
      rules = NO_RULES;
      lastError = undefined;
      options.onReload?.(rules);
      return;
    }
    try {
      rules = parseFilterText(text, file);
      lastError = undefined;
      options.onReload?.(rules);
    } catch (error) {
      const message = `${messageOf(error)} (keeping the previous filter rules)`;
      // Reported once per distinct problem, not on every poll.
      if (message !== lastError) options.onError?.(message);
      lastError = message;
    }
  };
  apply(readTextIfExists(file));
  const watch = watchFile(file, apply, options.intervalMs);
  return { current: () => rules, stop: watch.stop, check: watch.check };
}
