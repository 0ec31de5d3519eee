// Points Claude Code's settings.json at the proxy and back: lock, parse, back up once, record, verify, write atomically.
import { existsSync } from "node:fs";
import { type ProbeResult, probeProxy } from "../codex/probe-proxy";
import type { ClaudeSwitchState } from "../config/switch-state";
import { readSwitchState, updateSwitchState } from "../config/switch-state-file";
import { UserError } from "../errors";
import { withLock } from "../fs/lock";
import { backupOnce, readUserFile, removeUserFile, writeUserFile } from "../fs/user-file";
import { paths } from "../paths";
import {
  type ClaudePatchRecord,
  claudeProxyPort,
  describeClaudeDrift,
  hasNoClaudeEntries,
  newSettingsText,
  PLACEHOLDER_TOKEN,
  parseSettings,
  patchClaudeSettings,
  SettingsError,
  TOKEN_KEY,
  unpatchClaudeSettings,
} from "./settings";

function refuse<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof SettingsError) throw new UserError(`${file}: ${error.message}; nothing changed`);
    throw error;
  }
}

function recordOf(state: ClaudeSwitchState): ClaudePatchRecord {
  return {
    previous_base_url: state.previous_base_url,
    previous_base_url_text: state.previous_base_url_text ?? null,
    added_placeholder_token: state.added_placeholder_token,
    had_env_object: state.had_env_object,
  };
}

export interface ClaudeSwitchOnResult {
  outcome: "switched" | "port-changed" | "unchanged";
  file: string;
  port: number;
  previousPort: number | null;
  backup: string | null;
  /** Whether Claude Code now uses our placeholder token (the proxy must hold a real Anthropic credential). */
  placeholderToken: boolean;
}

export async function switchOnClaude(options: {
  port: number;
  force?: boolean;
  now?: () => Date;
}): Promise<ClaudeSwitchOnResult> {
  const p = paths();
  const file = p.claudeSettings;
  return withLock(file, async (): Promise<ClaudeSwitchOnResult> => {
    const current = readUserFile(file);
    if (current === undefined && existsSync(p.claudeLegacySettings)) {
      // Claude Code reads the legacy file only while settings.json is absent: creating one would hide the user's settings.
      throw new UserError(
        `${p.claudeLegacySettings} holds your Claude Code settings and ${file} does not exist; creating it would hide them. Rename it to settings.json and run switch-on --claude again; nothing changed`,
      );
    }
    const doc = current ? refuse(file, () => parseSettings(current.text)) : {};
    const prior = readSwitchState().claude;
    const fresh = prior === undefined || current === undefined || hasNoClaudeEntries(doc, prior.port);
    if (!fresh && !options.force) {
      const drift = describeClaudeDrift(doc, prior.port, recordOf(prior));
      if (drift.length > 0) {
        throw new UserError(
          `${file}: the proxy entries were changed since switch-on (${drift.join("; ")}); nothing changed. ` +
            `Run \`codex-helper switch-on --claude --force\` to rewrite them, or \`codex-helper switch-off --claude --force\` to restore ${p.claudeSettingsBackup}`,
        );
      }
    }
    const patched =
      current === undefined
        ? {
            text: newSettingsText(options.port),
            record: {
              previous_base_url: null,
              previous_base_url_text: null,
              added_placeholder_token: true,
              had_env_object: false,
            },
          }
        : refuse(file, () => patchClaudeSettings(current.text, options.port));
    const changed = current === undefined || patched.text !== current.text;
    const state: ClaudeSwitchState =
      fresh || prior === undefined
        ? {
            port: options.port,
            ...patched.record,
            file_existed: current !== undefined,
            switched_at: (options.now?.() ?? new Date()).toISOString(),
          }
        : { ...prior, port: options.port };
    let backup: string | null = null;
    if (changed && fresh && current !== undefined && backupOnce(p.claudeSettingsBackup, current.text)) {
      backup = p.claudeSettingsBackup;
    }
    await updateSwitchState((s) => ({ ...s, claude: state }));
    if (changed) writeUserFile(file, patched.text, current?.mode);
    const after = parseSettings(patched.text);
    const env = (after.env ?? {}) as Record<string, unknown>;
    return {
      outcome: fresh
        ? changed
          ? "switched"
          : "unchanged"
        : prior.port !== options.port
          ? "port-changed"
          : "unchanged",
      file,
      port: options.port,
      previousPort: fresh ? null : prior.port,
      backup,
      placeholderToken: env[TOKEN_KEY] === PLACEHOLDER_TOKEN,
    };
  });
}

export interface ClaudeSwitchOffResult {
  outcome: "restored" | "deleted" | "backup" | "not-switched" | "stale-state";
  file: string;
  detail?: string;
}

export async function switchOffClaude(options: { force?: boolean } = {}): Promise<ClaudeSwitchOffResult> {
  const p = paths();
  const file = p.claudeSettings;
  return withLock(file, async (): Promise<ClaudeSwitchOffResult> => {
    const prior = readSwitchState().claude;
    const current = readUserFile(file);
    const clear = () => updateSwitchState((s) => ({ ...s, claude: undefined }));
    // Without a record, --force only helps a file that still points at a local port: an old backup must not replace
    // settings the user has edited since the last switch-off.
    const pointsAtUs = () => {
      if (current === undefined) return false;
      try {
        return claudeProxyPort(parseSettings(current.text)).port !== null;
      } catch {
        return true; // unreadable settings: restoring the backup is what --force is for
      }
    };
    if (options.force && (prior !== undefined || pointsAtUs())) {
      const backup = readUserFile(p.claudeSettingsBackup);
      if (backup !== undefined) {
        writeUserFile(file, backup.text, current?.mode);
        await clear();
        return { outcome: "backup", file, detail: p.claudeSettingsBackup };
      }
      if (prior !== undefined && !prior.file_existed) {
        removeUserFile(file);
        await clear();
        return { outcome: "deleted", file };
      }
      throw new UserError(`${p.claudeSettingsBackup}: no backup to restore; nothing changed`);
    }
    if (prior === undefined) return { outcome: "not-switched", file };
    if (current === undefined) {
      await clear();
      return { outcome: "stale-state", file, detail: `${file} does not exist` };
    }
    const doc = refuse(file, () => parseSettings(current.text));
    if (hasNoClaudeEntries(doc, prior.port)) {
      await clear();
      return { outcome: "stale-state", file, detail: "the proxy entries were already removed" };
    }
    const drift = describeClaudeDrift(doc, prior.port, recordOf(prior));
    if (drift.length > 0) {
      const how = existsSync(p.claudeSettingsBackup)
        ? `\`codex-helper switch-off --claude --force\` restores ${p.claudeSettingsBackup} byte for byte`
        : "fix them by hand, or `codex-helper switch-off --claude --force`";
      throw new UserError(
        `${file}: the proxy entries were changed since switch-on (${drift.join("; ")}); nothing changed. ${how}`,
      );
    }
    const restored = refuse(file, () => unpatchClaudeSettings(current.text, recordOf(prior)));
    if (!prior.file_existed && Object.keys(parseSettings(restored)).length === 0) {
      removeUserFile(file);
      await clear();
      return { outcome: "deleted", file };
    }
    writeUserFile(file, restored, current.mode);
    await clear();
    return { outcome: "restored", file };
  });
}

export interface ClaudeSwitchStatus {
  file: string;
  exists: boolean;
  base_url: string | null;
  switched_on: boolean;
  port: number | null;
  proxy: ProbeResult | null;
  /** Our record of the switch; the old base URL is left out (URLs can carry credentials). */
  state: Pick<ClaudeSwitchState, "port" | "added_placeholder_token" | "file_existed" | "switched_at"> | null;
  error?: string;
}

export async function claudeSwitchStatus(fetchImpl: typeof fetch = fetch): Promise<ClaudeSwitchStatus> {
  const p = paths();
  const current = readUserFile(p.claudeSettings);
  const saved = readSwitchState().claude;
  const state = saved
    ? {
        port: saved.port,
        added_placeholder_token: saved.added_placeholder_token,
        file_existed: saved.file_existed,
        switched_at: saved.switched_at,
      }
    : null;
  const base: ClaudeSwitchStatus = {
    file: p.claudeSettings,
    exists: current !== undefined,
    base_url: null,
    switched_on: false,
    port: null,
    proxy: null,
    state,
  };
  if (!current) return base;
  let doc: Record<string, unknown>;
  try {
    doc = parseSettings(current.text);
  } catch (error) {
    return { ...base, error: `${p.claudeSettings}: ${(error as Error).message}` };
  }
  const target = claudeProxyPort(doc);
  return {
    ...base,
    base_url: target.baseUrl,
    // A loopback base URL we did not write may be the user's own local gateway: "switched on" needs our record too.
    switched_on: target.port !== null && state !== null,
    port: target.port,
    proxy: target.port !== null ? await probeProxy(target.port, fetchImpl) : null,
  };
}
