// Reads what the Claude bootstrap needs (settings.json or the legacy claude.json, switch state) without writing.
import type { ClaudeSettingsInput } from "../config/bootstrap-claude";
import { readTextIfExists } from "../config/load";
import { parseSwitchState } from "../config/switch-state";
import { UserError } from "../errors";
import { paths } from "../paths";

function readJson(file: string): Record<string, unknown> | undefined {
  const text = readTextIfExists(file);
  if (text === undefined || text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

export function readClaudeSettings(env: Record<string, string | undefined> = process.env): ClaudeSettingsInput {
  const p = paths(env);
  const settings = readJson(p.claudeSettings);
  const legacy = settings === undefined ? readJson(p.claudeLegacySettings) : undefined;
  return {
    settings: settings ?? legacy,
    file: settings !== undefined || legacy === undefined ? p.claudeSettings : p.claudeLegacySettings,
    switchState: parseSwitchState(readTextIfExists(p.switchState), p.switchState).claude,
    env,
  };
}
