// Reads and updates the switch state file under its own lock (Codex and Claude switches share it).
import { rmSync } from "node:fs";
import { atomicWriteFile } from "../fs/atomic-write";
import { withLock } from "../fs/lock";
import { paths } from "../paths";
import { readTextIfExists } from "./load";
import { parseSwitchState, type SwitchState } from "./switch-state";

export function readSwitchState(file: string = paths().switchState): SwitchState {
  return parseSwitchState(readTextIfExists(file), file);
}

/** Read-modify-write; an empty state removes the file. */
export async function updateSwitchState(change: (state: SwitchState) => SwitchState): Promise<SwitchState> {
  const file = paths().switchState;
  return withLock(file, () => {
    const next = change(readSwitchState(file));
    if (next.codex === undefined && next.claude === undefined) rmSync(file, { force: true });
    else atomicWriteFile(file, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  });
}
