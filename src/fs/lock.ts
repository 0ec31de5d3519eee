// An exclusive lock file (`<path>.lock` holding our pid) so two helper processes never interleave a read-modify-write.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../errors";

export interface LockOptions {
  /** How long to wait for another process to let go, in ms. */
  waitMs?: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is not ours to signal.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryTake(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, "wx", 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // Someone holds it: take it over only if that someone is dead (a crashed run must not block forever).
  let holder = Number.NaN;
  try {
    holder = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
  } catch {
    return false; // vanished or being written: try again
  }
  if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) {
    rmSync(lockPath, { force: true });
  }
  return false;
}

/** Run `fn` while holding `<path>.lock`; waits (briefly) for another holder, takes over a stale lock. */
export async function withLock<T>(path: string, fn: () => T | Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  while (!tryTake(lockPath)) {
    if (Date.now() > deadline) {
      throw new UserError(`${lockPath}: another codex-helper process holds this lock; try again, or remove the file`);
    }
    await Bun.sleep(5 + Math.random() * 20);
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
