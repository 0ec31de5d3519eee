// Writes config.json atomically (0600) under a lock, re-reading inside the lock so concurrent edits are not lost.
import { atomicWriteFile } from "../fs/atomic-write";
import { withLock } from "../fs/lock";
import { paths } from "../paths";
import { loadConfig } from "./load";
import type { ConfigFile } from "./schema";

export function serializeConfig(config: ConfigFile): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Read-modify-write: `change` gets the current config (a bad file throws before anything is written) and returns
 * the new one.
 */
export async function updateConfig(
  change: (config: ConfigFile) => ConfigFile,
  file: string = paths().config,
): Promise<ConfigFile> {
  return withLock(file, () => {
    const next = change(loadConfig(file));
    atomicWriteFile(file, serializeConfig(next));
    return next;
  });
}
