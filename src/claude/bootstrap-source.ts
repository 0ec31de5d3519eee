// Reads what the Claude bootstrap needs (settings.json or the legacy claude.json, switch state) without writing.
import type { ClaudeSettingsInput } from "../config/bootstrap-claude";
import { readJsonIfExists, readTextIfExists } from "../config/load";
import { parseSwitchState } from "../config/switch-state";
import { paths } from "../paths";

export function readClaudeSettings(env: Record<string, string | undefined> = process.env): ClaudeSettingsInput {
  const p = paths(env);
  const settings = readJsonIfExists(p.claudeSettings);
  const legacy = settings === undefined ? readJsonIfExists(p.claudeLegacySettings) : undefined;
  return {
    settings: settings ?? legacy,
    file: settings !== undefined || legacy === undefined ? p.claudeSettings : p.claudeLegacySettings,
    switchState: parseSwitchState(readTextIfExists(p.switchState), p.switchState).claude,
    env,
  };
}
