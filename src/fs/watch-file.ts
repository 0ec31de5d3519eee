// Polls one file's identity (mtime, size, inode) and calls back with its new text when it changes.
import { readFileSync, statSync } from "node:fs";

export interface FileWatch {
  stop(): void;
  /** Check now (tests call this instead of waiting for the timer). */
  check(): void;
}

function signature(path: string): string {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return "absent";
  }
}

/**
 * Polling instead of fs.watch: editors and our own atomic writes replace files by rename, which fs.watch loses
 * track of on several platforms; a stat every few hundred ms costs microseconds.
 */
export function watchFile(path: string, onChange: (text: string | undefined) => void, intervalMs = 250): FileWatch {
  let last = signature(path);
  const check = () => {
    const now = signature(path);
    if (now === last) return;
    last = now;
    let text: string | undefined;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      text = undefined;
    }
    onChange(text);
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), check };
}
