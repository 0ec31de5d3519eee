// Reads what the Codex bootstrap needs (config.toml, its backup, auth.json, switch state) without ever writing.
import { parse as parseToml } from "smol-toml";
import type { CodexSettingsInput } from "../config/bootstrap";
import { readJsonIfExists, readTextIfExists } from "../config/load";
import { parseSwitchState } from "../config/switch-state";
import { UserError } from "../errors";
import { paths } from "../paths";

function readToml(file: string): Record<string, unknown> | undefined {
  const text = readTextIfExists(file);
  if (text === undefined) return undefined;
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const e = error as { line?: number; column?: number; message: string };
    const where = e.line !== undefined ? ` at line ${e.line}, column ${e.column}` : "";
    throw new UserError(`${file}: not valid TOML${where}: ${e.message.split("\n")[0]}`);
  }
}

export function readCodexSettings(env: Record<string, string | undefined> = process.env): CodexSettingsInput {
  const p = paths(env);
  const stateText = readTextIfExists(p.switchState);
  return {
    configToml: readToml(p.codexConfig),
    backupToml: readToml(p.codexConfigBackup),
    switchState: parseSwitchState(stateText, p.switchState).codex,
    auth: readJsonIfExists(p.codexAuth),
    env,
    files: { config: p.codexConfig, auth: p.codexAuth },
  };
}
