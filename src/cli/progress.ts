// A one-line progress indicator on stderr for long commands, shown only on a terminal (quiet when piped or logged).

export interface Progress {
  update(text: string): void;
  done(): void;
}

const SILENT: Progress = { update: () => {}, done: () => {} };

/** Redraws at most every `intervalMs`; `done()` clears the line so the command's output starts clean. */
export function progress(stream: NodeJS.WriteStream = process.stderr, intervalMs = 100): Progress {
  if (!stream.isTTY || process.env.CI) return SILENT;
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = performance.now();
      if (now - last < intervalMs) return;
      last = now;
      shown = true;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
