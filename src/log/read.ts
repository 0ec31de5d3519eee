// Streams requests.jsonl and its rotated files line by line into a callback, with bounded memory and malformed lines counted.
import { readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type RequestRecord, RequestRecordSchema } from "./record";

export interface LogFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** The log and its rotations, oldest first: requests.jsonl.N … requests.jsonl.1, requests.jsonl. Missing ones skipped. */
export function requestLogFiles(file: string): LogFile[] {
  const dir = dirname(file);
  const name = basename(file);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const rotated = entries
    .map((entry) => ({ entry, n: entry.startsWith(`${name}.`) ? Number(entry.slice(name.length + 1)) : Number.NaN }))
    .filter((e) => Number.isInteger(e.n) && e.n > 0)
    .sort((a, b) => b.n - a.n)
    .map((e) => e.entry);
  const files: LogFile[] = [];
  for (const entry of [...rotated, ...(entries.includes(name) ? [name] : [])]) {
    try {
      const s = statSync(join(dir, entry));
      if (s.isFile()) files.push({ path: join(dir, entry), size: s.size, mtimeMs: s.mtimeMs });
    } catch {
      // rotated away while we listed: nothing to read
    }
  }
  return files;
}

export interface ReadOptions {
  /** Skip whole files last written before this instant (every line in them is older). */
  sinceMs?: number | null;
  /** Called now and then with bytes read so far and the total (for a progress line). */
  onProgress?: (bytesRead: number, totalBytes: number, file: string) => void;
  /** A line longer than this is malformed and skipped without being held in memory (default 64 MiB). */
  maxLineBytes?: number;
}

export interface ReadStats {
  files: number;
  lines: number;
  malformed: number;
  bytes: number;
}

/** Parses one log line; undefined when it is not a request record. */
export function parseRecordLine(line: string): RequestRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const result = RequestRecordSchema.safeParse(raw);
  return result.success ? result.data : undefined;
}

/**
 * Reads each file as a byte stream, decoding incrementally and splitting on newlines, so memory stays at one chunk
 * plus one line whatever the log's size. A half-written last line (the proxy appends while we read) is malformed.
 */
export async function readRequestLog(
  files: readonly LogFile[],
  onRecord: (record: RequestRecord) => void,
  options: ReadOptions = {},
): Promise<ReadStats> {
  const since = options.sinceMs ?? null;
  const maxLine = options.maxLineBytes ?? 64 * 1024 * 1024;
  const wanted = files.filter((f) => since === null || f.mtimeMs >= since);
  const total = wanted.reduce((sum, f) => sum + f.size, 0);
  const stats: ReadStats = { files: 0, lines: 0, malformed: 0, bytes: 0 };
  const handle = (line: string) => {
    if (line.trim() === "") return;
    stats.lines++;
    const record = parseRecordLine(line);
    if (record === undefined) stats.malformed++;
    else onRecord(record);
  };

  for (const file of wanted) {
    stats.files++;
    const decoder = new TextDecoder();
    let carry = "";
    let oversized = false;
    let stream: ReadableStream<Uint8Array>;
    try {
      stream = Bun.file(file.path).stream();
    } catch {
      continue;
    }
    try {
      for await (const chunk of stream) {
        stats.bytes += chunk.byteLength;
        const text = carry + decoder.decode(chunk, { stream: true });
        const parts = text.split("\n");
        carry = parts.pop() ?? "";
        for (const part of parts) {
          if (oversized) {
            // The tail of a line already counted as malformed.
            oversized = false;
            continue;
          }
          handle(part);
        }
        if (carry.length > maxLine) {
          stats.lines++;
          stats.malformed++;
          carry = "";
          oversized = true;
        }
        options.onProgress?.(stats.bytes, total, file.path);
      }
    } catch (error) {
      // Rotated or removed while reading: what was read counts, the rest of this file is gone.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    carry += decoder.decode();
    if (!oversized) handle(carry);
  }
  return stats;
}
