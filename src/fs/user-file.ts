// A user's own file (Codex config.toml, Claude settings.json): read it, replace it in place keeping its mode and symlink, back it up once.
import { existsSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { UserError } from "../errors";
import { atomicWriteFile } from "./atomic-write";

export interface UserFile {
  text: string;
  /** The file's permission bits, kept when we replace it. */
  mode: number;
}

/** The file's text, or undefined when it does not exist. */
export function readUserFile(path: string): UserFile | undefined {
  try {
    const text = readFileSync(path, "utf8");
    return { text, mode: statSync(path).mode & 0o777 };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new UserError(`${path}: cannot read (${code ?? (error as Error).message})`);
  }
}

/** Where a write must go: through a symlink (dotfile managers link config files) to the real file. */
function target(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Replace the file atomically; an existing file keeps its mode and stays behind its symlink, a new one is 0600. */
export function writeUserFile(path: string, text: string, mode?: number): void {
  atomicWriteFile(target(path), text, { mode: mode ?? 0o600 });
}

export function removeUserFile(path: string): void {
  rmSync(target(path), { force: true });
}

/** Copy `text` to `backup` unless a backup is already there (the first original is the one worth keeping). */
export function backupOnce(backup: string, text: string): boolean {
  if (existsSync(backup)) return false;
  atomicWriteFile(backup, text, { mode: 0o600 });
  return true;
}
