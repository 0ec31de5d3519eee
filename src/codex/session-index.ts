// A cache of what never changes in a rollout file (id, cwd, subagent, first prompt), so repeat scans read no heads.
import { readFileSync } from "node:fs";
import { atomicWriteFile } from "../fs/atomic-write";

export interface IndexEntry {
  id: string;
  cwd?: string;
  subagent: boolean;
  started?: string;
  prompt?: string;
}

/**
 * Checked when used, not with a schema over the whole file: validating 20,000 entries on every `session last` would
 * cost more than the head reads the index saves. A bad entry is simply not trusted.
 */
function validEntry(value: unknown): value is IndexEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.id === "string" &&
    typeof entry.subagent === "boolean" &&
    (entry.cwd === undefined || typeof entry.cwd === "string") &&
    (entry.prompt === undefined || typeof entry.prompt === "string")
  );
}

export class SessionIndex {
  private changed = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly entries: Record<string, IndexEntry>,
  ) {}

  /** A missing, unreadable or foreign file is an empty index: it is only a cache, rebuilt from the rollouts. */
  static load(file: string | undefined): SessionIndex {
    if (file === undefined) return new SessionIndex(undefined, {});
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as { version?: unknown; entries?: unknown };
      const ok = parsed?.version === 1 && typeof parsed.entries === "object" && parsed.entries !== null;
      return new SessionIndex(file, ok ? (parsed.entries as Record<string, IndexEntry>) : {});
    } catch {
      return new SessionIndex(file, {});
    }
  }

  get(path: string): IndexEntry | undefined {
    const entry = this.entries[path];
    return validEntry(entry) ? entry : undefined;
  }

  set(path: string, entry: IndexEntry): void {
    this.entries[path] = entry;
    this.changed = true;
  }

  /** Writes the index when it learned something, dropping files that no longer exist. Never fails the command. */
  save(present: ReadonlySet<string>): void {
    if (this.file === undefined || !this.changed) return;
    const kept: Record<string, IndexEntry> = {};
    for (const [path, entry] of Object.entries(this.entries)) if (present.has(path)) kept[path] = entry;
    try {
      atomicWriteFile(this.file, JSON.stringify({ version: 1, entries: kept }));
    } catch {
      // a read-only home: the next run reads heads again
    }
  }
}
