// Appends request records to requests.jsonl in batches and rotates by size; never throws into the request path.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { messageOf } from "../errors";
import { type RequestRecord, serializeRecord } from "./record";

export interface RequestLogOptions {
  /** Rotate when the file would grow past this (default 50 MB). */
  maxBytes?: number;
  /** Rotated files kept: requests.jsonl.1 … .N (default 5). */
  keep?: number;
  onError?: (message: string) => void;
  /** Every record, as written (the live feed and metrics listen here). */
  onRecord?: (record: RequestRecord) => void;
}

export class RequestLog {
  private fd: number | undefined;
  private size = 0;
  private queue: string[] = [];
  private scheduled = false;
  private failed = false;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly listeners = new Set<(record: RequestRecord) => void>();

  constructor(
    readonly file: string,
    private readonly options: RequestLogOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
    this.keep = options.keep ?? 5;
    if (options.onRecord) this.listeners.add(options.onRecord);
  }

  /** Subscribe to records as they are written; returns the unsubscribe function. */
  subscribe(listener: (record: RequestRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(record: RequestRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch {
        // a listener's bug must not cost a log line
      }
    }
    this.queue.push(`${serializeRecord(record)}\n`);
    if (!this.scheduled) {
      this.scheduled = true;
      // Batch the lines of one tick into one write; the response has already gone out.
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const text = this.queue.join("");
    this.queue = [];
    try {
      const bytes = Buffer.from(text, "utf8");
      if (this.fd !== undefined && this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate();
      const fd = this.open();
      writeSync(fd, bytes);
      this.size += bytes.length;
      this.failed = false;
    } catch (error) {
      // Reported once until a write succeeds again; serving goes on without the log.
      if (!this.failed) this.options.onError?.(`${this.file}: cannot write the request log (${messageOf(error)})`);
      this.failed = true;
      this.close();
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already gone
      }
      this.fd = undefined;
    }
  }

  private open(): number {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.file, "a", 0o600);
      this.size = fstatSync(this.fd).size;
    }
    return this.fd;
  }

  private rotate(): void {
    this.close();
    if (this.keep === 0) {
      rmSync(this.file, { force: true });
    } else {
      rmSync(`${this.file}.${this.keep}`, { force: true });
      for (let i = this.keep - 1; i >= 1; i--) {
        try {
          renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
        } catch {
          // that generation does not exist yet
        }
      }
      renameSync(this.file, `${this.file}.1`);
    }
    this.size = 0;
  }
}
