// Finds Codex sessions on disk and reads only what a listing needs: file stats, the head of each file, lazily.
import { closeSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { caseInsensitivePaths, matchesProject } from "./project-match";
import { SessionIndex } from "./session-index";
import { parseLine, promptInLine, type SessionHead, sessionMeta } from "./session-meta";

export interface SessionFile {
  path: string;
  mtimeMs: number;
  size: number;
  compressed: boolean;
}

export interface SessionInfo {
  id: string;
  /** Last activity: the file's modification time (ms). */
  updated: number;
  cwd: string;
  prompt: string | undefined;
  file: string;
  matchesProject: boolean;
  /** For search results: the matching text in context. */
  snippet?: string;
}

const ROLLOUT = /^rollout-.*\.jsonl(\.zst)?$/;

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function statFile(path: string): SessionFile | undefined {
  try {
    const s = statSync(path);
    if (!s.isFile()) return undefined;
    return { path, mtimeMs: s.mtimeMs, size: s.size, compressed: path.endsWith(".zst") };
  } catch {
    return undefined; // vanished between readdir and stat
  }
}

/**
 * Every rollout file under `sessions/YYYY/MM/DD/` (and, when asked, the flat `archived_sessions/`), newest activity
 * first. Folder names are local dates of the *start*; a resumed session's file moves in time, so order is by mtime.
 */
export function listSessionFiles(sessionsDir: string, archivedDir?: string): SessionFile[] {
  const files: SessionFile[] = [];
  for (const year of entries(sessionsDir)) {
    for (const month of entries(join(sessionsDir, year))) {
      for (const day of entries(join(sessionsDir, year, month))) {
        const dir = join(sessionsDir, year, month, day);
        for (const name of entries(dir)) {
          if (!ROLLOUT.test(name)) continue;
          const file = statFile(join(dir, name));
          if (file) files.push(file);
        }
      }
    }
  }
  if (archivedDir) {
    for (const name of entries(archivedDir)) {
      if (!ROLLOUT.test(name)) continue;
      const file = statFile(join(archivedDir, name));
      if (file) files.push(file);
    }
  }
  return files.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** Reads a file's text in growing chunks, handing complete lines to `onLine` until it returns true or `maxBytes`. */
function scanLines(file: SessionFile, maxBytes: number, onLine: (line: string, index: number) => boolean): void {
  if (file.compressed) {
    // Codex compresses only older files; they are small once compressed. Decode whole, then scan the same way.
    let text: string;
    try {
      text = Buffer.from(Bun.zstdDecompressSync(readFileSync(file.path))).toString("utf8");
    } catch {
      return;
    }
    const lines = text.slice(0, maxBytes).split("\n");
    for (let i = 0; i < lines.length; i++) if (onLine(lines[i]!, i)) return;
    return;
  }
  let fd: number;
  try {
    fd = openSync(file.path, "r");
  } catch {
    return;
  }
  try {
    const decoder = new TextDecoder();
    let pending = "";
    let index = 0;
    let offset = 0;
    let chunkSize = 16 * 1024;
    while (offset < maxBytes) {
      const buffer = Buffer.allocUnsafe(Math.min(chunkSize, maxBytes - offset));
      const read = readSync(fd, buffer, 0, buffer.length, offset);
      if (read <= 0) break;
      offset += read;
      pending += decoder.decode(buffer.subarray(0, read), { stream: true });
      let newline = pending.indexOf("\n");
      while (newline !== -1) {
        if (onLine(pending.slice(0, newline), index++)) return;
        pending = pending.slice(newline + 1);
        newline = pending.indexOf("\n");
      }
      chunkSize = Math.min(chunkSize * 4, 1024 * 1024);
    }
    // A last line without a newline may be half-written (Codex appends while we read): try it, skip it if broken.
    if (pending !== "") onLine(pending, index);
  } finally {
    closeSync(fd);
  }
}

/** Head of a session: its meta and, when `withPrompt`, the first typed prompt within the first `maxBytes`. */
export function readSessionHead(
  file: SessionFile,
  withPrompt: boolean,
  maxBytes = 2 * 1024 * 1024,
): SessionHead | undefined {
  let head: SessionHead | undefined;
  let notSession = false;
  scanLines(file, maxBytes, (text, index) => {
    if (index === 0) {
      const meta = sessionMeta(parseLine(text));
      if (!meta) {
        notSession = true;
        return true;
      }
      head = { ...meta, prompt: undefined };
      return !withPrompt;
    }
    const line = parseLine(text);
    const prompt = line ? promptInLine(line) : undefined;
    if (prompt !== undefined && head) {
      head.prompt = prompt;
      return true;
    }
    return false;
  });
  return notSession ? undefined : head;
}

const FIELD = (name: string) => new RegExp(`"${name}":"((?:[^"\\\\]|\\\\.)*)"`);
const ID = FIELD("id");
const SESSION_ID = FIELD("session_id");
const CWD = FIELD("cwd");
const TIMESTAMP = FIELD("timestamp");

function unescapeJson(json: string | undefined): string | undefined {
  if (json === undefined) return undefined;
  try {
    return JSON.parse(`"${json}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * The session's meta from the first few KB only. session_meta carries a large `base_instructions` (10–30 KB), but
 * Codex writes id, timestamp, cwd and source before it; reading 4 KB instead of the whole line keeps a scan of
 * 20,000 sessions cheap. Falls back to the full first line when the prefix does not say enough.
 */
export function readSessionMeta(file: SessionFile): Omit<SessionHead, "prompt"> | undefined {
  if (!file.compressed) {
    let prefix = "";
    try {
      const fd = openSync(file.path, "r");
      try {
        const buffer = Buffer.allocUnsafe(4096);
        const read = readSync(fd, buffer, 0, buffer.length, 0);
        prefix = buffer.subarray(0, read).toString("utf8");
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
    const firstLine = prefix.split("\n", 1)[0] ?? "";
    if (!firstLine.includes('"session_meta"')) {
      // A complete first line that is no session_meta: not a session file. A longer one: let the full parse decide.
      return firstLine.length < prefix.length ? undefined : readSessionHead(file, false);
    }
    const payloadAt = firstLine.indexOf('"payload":');
    const beforeInstructions =
      firstLine.slice(payloadAt === -1 ? 0 : payloadAt).split('"base_instructions"', 1)[0] ?? "";
    const id = unescapeJson(ID.exec(beforeInstructions)?.[1]) ?? unescapeJson(SESSION_ID.exec(beforeInstructions)?.[1]);
    const cwd = unescapeJson(CWD.exec(beforeInstructions)?.[1]);
    if (id !== undefined && cwd !== undefined && /"source":/.test(beforeInstructions)) {
      return {
        id,
        cwd,
        started: unescapeJson(TIMESTAMP.exec(beforeInstructions)?.[1]),
        subagent: /"source":\{"subagent"/.test(beforeInstructions),
      };
    }
  }
  return readSessionHead(file, false);
}

/** Every typed prompt of a session, for search; bounded by `maxBytes` per file. */
export function readTypedPrompts(file: SessionFile, maxBytes = 64 * 1024 * 1024): string[] {
  const prompts: string[] = [];
  scanLines(file, maxBytes, (text, index) => {
    if (index === 0) return false;
    // Cheap pre-filter: only user-message lines can hold a typed prompt.
    if (!text.includes("user") && !text.includes("User")) return false;
    const line = parseLine(text);
    const prompt = line ? promptInLine(line) : undefined;
    if (prompt !== undefined && prompts.at(-1) !== prompt) prompts.push(prompt);
    return false;
  });
  return prompts;
}

function resolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // the folder is gone; compare as recorded
  }
}

export type ProjectMatcher = (cwd: string) => boolean;

/** Matches a session cwd against the project folder, both with symlinks resolved (cached per cwd). */
export function projectMatcher(projectDir: string, platform: string = process.platform): ProjectMatcher {
  const project = resolved(projectDir);
  const insensitive = caseInsensitivePaths(platform);
  const cache = new Map<string, boolean>();
  return (cwd) => {
    let hit = cache.get(cwd);
    if (hit === undefined) {
      hit = matchesProject(cwd, project, insensitive) || matchesProject(resolved(cwd), project, insensitive);
      cache.set(cwd, hit);
    }
    return hit;
  };
}

export interface FindOptions {
  sessionsDir: string;
  archivedDir?: string;
  projectDir: string;
  /** Ignore the project: newest sessions of any folder. */
  all: boolean;
  limit: number;
  /** Where to cache what never changes in a rollout (id, cwd, first prompt); none: read every head. */
  indexFile?: string;
}

/** Meta of a file, from the index when it knows the file, else from its head (and then remembered). */
function metaOf(file: SessionFile, index: SessionIndex): Omit<SessionHead, "prompt"> | undefined {
  const known = index.get(file.path);
  if (known) return { id: known.id, cwd: known.cwd, subagent: known.subagent, started: known.started };
  const meta = readSessionMeta(file);
  if (meta) index.set(file.path, { id: meta.id, cwd: meta.cwd, subagent: meta.subagent, started: meta.started });
  return meta;
}

function promptOf(file: SessionFile, index: SessionIndex): string | undefined {
  const known = index.get(file.path);
  if (known?.prompt !== undefined) return known.prompt;
  const head = readSessionHead(file, true);
  // Only a found prompt is cached: a session still being set up may get its first prompt later.
  if (head?.prompt !== undefined) {
    index.set(file.path, {
      id: head.id,
      cwd: head.cwd,
      subagent: head.subagent,
      started: head.started,
      prompt: head.prompt,
    });
  }
  return head?.prompt;
}

/**
 * Sessions for a listing: matching ones first (newest first), then others until `limit`. Reads heads in mtime order
 * and stops as soon as the answer is certain, so the cost follows `limit`, not the size of the history.
 */
export function findSessions(options: FindOptions): SessionInfo[] {
  const files = listSessionFiles(options.sessionsDir, options.archivedDir);
  const index = SessionIndex.load(options.indexFile);
  const matches = projectMatcher(options.projectDir);
  const matching: { info: SessionInfo; file: SessionFile }[] = [];
  const others: { info: SessionInfo; file: SessionFile }[] = [];
  for (const file of files) {
    if (matching.length >= options.limit) break;
    const head = metaOf(file, index);
    if (!head || head.subagent || head.cwd === undefined) continue;
    const isMatch = options.all || matches(head.cwd);
    const info: SessionInfo = {
      id: head.id,
      updated: file.mtimeMs,
      cwd: head.cwd,
      prompt: undefined,
      file: file.path,
      matchesProject: !options.all && isMatch,
    };
    if (isMatch) matching.push({ info, file });
    else if (others.length < options.limit) others.push({ info, file });
  }
  const chosen = [...matching, ...others].slice(0, options.limit);
  // Only the sessions shown need their prompt: read further into just those files.
  for (const { info, file } of chosen) info.prompt = promptOf(file, index);
  index.save(new Set(files.map((f) => f.path)));
  return chosen.map((c) => c.info);
}

export interface SearchOptions {
  sessionsDir: string;
  archivedDir?: string;
  text: string;
  limit: number;
}

/** Sessions whose typed prompts contain `text` (case-insensitive), newest first, with the matching snippet. */
export function searchSessions(
  options: SearchOptions,
  snippetOf: (prompt: string) => string | undefined,
): SessionInfo[] {
  const needle = options.text.toLowerCase();
  const found: SessionInfo[] = [];
  for (const file of listSessionFiles(options.sessionsDir, options.archivedDir)) {
    if (found.length >= options.limit) break;
    const head = readSessionMeta(file);
    if (!head || head.subagent) continue;
    const prompts = readTypedPrompts(file);
    const hit = prompts.find((p) => p.toLowerCase().includes(needle));
    if (hit === undefined) continue;
    found.push({
      id: head.id,
      updated: file.mtimeMs,
      cwd: head.cwd ?? "",
      prompt: prompts[0],
      file: file.path,
      matchesProject: false,
      snippet: snippetOf(hit) ?? hit,
    });
  }
  return found;
}
