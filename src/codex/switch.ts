// Points Codex's config.toml at the proxy and back: lock, parse, back up once, record, verify, write atomically.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CodexSwitchState } from "../config/switch-state";
import { readSwitchState, updateSwitchState } from "../config/switch-state-file";
import { UserError } from "../errors";
import { withLock } from "../fs/lock";
import { backupOnce, readUserFile, removeUserFile, writeUserFile } from "../fs/user-file";
import { paths } from "../paths";
import {
  type CodexPatchRecord,
  codexProxyTarget,
  describeDrift,
  hasNoOurEntries,
  PROVIDER_ID,
  parseCodexToml,
  patchCodexConfig,
  TomlSyntaxError,
  UnsafeEditError,
  unpatchCodexConfig,
} from "./config-toml";
import { type ProbeResult, probeProxy } from "./probe-proxy";
import { profileWarnings } from "./profile-warning";

type Table = Record<string, unknown>;

/** Parse or refuse with the parser's line and column; the file is left as it is. */
function parseOrRefuse(text: string, file: string): Table {
  try {
    return parseCodexToml(text);
  } catch (error) {
    if (error instanceof TomlSyntaxError) {
      throw new UserError(
        `${file}: not valid TOML at line ${error.line}, column ${error.column}: ${error.message}; nothing changed`,
      );
    }
    throw error;
  }
}

function refuseUnsafe<T>(file: string, edit: () => T): T {
  try {
    return edit();
  } catch (error) {
    if (error instanceof UnsafeEditError) throw new UserError(`${file}: ${error.message}; nothing changed`);
    throw error;
  }
}

function recordOf(state: CodexSwitchState): CodexPatchRecord {
  return {
    previous_model_provider: state.previous_model_provider,
    previous_model_provider_text: state.previous_model_provider_text ?? null,
    previous_table_text: state.previous_table_text ?? null,
    had_model_providers_table: state.had_model_providers_table,
    added_blank_line: state.added_blank_line ?? false,
  };
}

/** Profile files (`<name>.config.toml` next to config.toml) whose own model_provider would win under `codex -p`. */
export function codexProfileWarnings(codexHome: string = paths().codexHome): string[] {
  let names: string[];
  try {
    names = readdirSync(codexHome).filter((name) => name.endsWith(".config.toml"));
  } catch {
    return [];
  }
  const files = names.sort().flatMap((name) => {
    const path = join(codexHome, name);
    const file = readUserFile(path);
    return file ? [{ path, text: file.text }] : [];
  });
  return profileWarnings(files);
}

export interface CodexSwitchOnResult {
  /** switched: first switch-on; port-changed: was on, now another port; unchanged: already exactly so. */
  outcome: "switched" | "port-changed" | "unchanged";
  file: string;
  port: number;
  previousPort: number | null;
  /** The backup path when this run wrote it. */
  backup: string | null;
  warnings: string[];
}

export interface SwitchOnOptions {
  port: number;
  /** Rewrite our entries even when someone changed them since switch-on. */
  force?: boolean;
  now?: () => Date;
}

export async function switchOnCodex(options: SwitchOnOptions): Promise<CodexSwitchOnResult> {
  const p = paths();
  const file = p.codexConfig;
  const result = await withLock(file, async (): Promise<CodexSwitchOnResult> => {
    const current = readUserFile(file);
    const text = current?.text ?? "";
    const doc = parseOrRefuse(text, file);
    const prior = readSwitchState().codex;
    // A state whose entries are gone from the file is stale (undone by hand, or a restored backup): start afresh.
    const fresh = prior === undefined || current === undefined || hasNoOurEntries(doc);
    if (!fresh && !options.force) {
      const drift = describeDrift(doc, prior.port);
      if (drift.length > 0) {
        throw new UserError(
          `${file}: the proxy entries were changed since switch-on (${drift.join("; ")}); nothing changed. ` +
            `Run \`codex-helper switch-on --force\` to rewrite them, or \`codex-helper switch-off --force\` to restore ${p.codexConfigBackup}`,
        );
      }
    }
    const patched = refuseUnsafe(file, () => patchCodexConfig(text, options.port));
    const changed = current === undefined || patched.text !== text;
    const state: CodexSwitchState =
      fresh || prior === undefined
        ? {
            port: options.port,
            ...patched.record,
            file_existed: current !== undefined,
            switched_at: (options.now?.() ?? new Date()).toISOString(),
          }
        : { ...prior, port: options.port };
    let backup: string | null = null;
    if (changed && fresh && current !== undefined && backupOnce(p.codexConfigBackup, current.text)) {
      backup = p.codexConfigBackup;
    }
    // State first: if we die before the config is written, the next run sees a stale state and starts afresh.
    await updateSwitchState((s) => ({ ...s, codex: state }));
    if (changed) writeUserFile(file, patched.text, current?.mode);
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
      warnings: [],
    };
  });
  result.warnings = codexProfileWarnings(p.codexHome);
  return result;
}

export interface CodexSwitchOffResult {
  /** restored: our entries undone; deleted: the file we created is gone; backup: --force copied the backup back. */
  outcome: "restored" | "deleted" | "backup" | "not-switched" | "stale-state";
  file: string;
  detail?: string;
}

export async function switchOffCodex(options: { force?: boolean } = {}): Promise<CodexSwitchOffResult> {
  const p = paths();
  const file = p.codexConfig;
  return withLock(file, async (): Promise<CodexSwitchOffResult> => {
    const prior = readSwitchState().codex;
    const current = readUserFile(file);
    const clear = () => updateSwitchState((s) => ({ ...s, codex: undefined }));
    // Without a record, --force only helps a file that still points at us: an old backup must not replace a file the
    // user has edited for months since the last switch-off.
    const pointsAtUs = () => current !== undefined && parseOrRefuse(current.text, file).model_provider === PROVIDER_ID;
    if (options.force && (prior !== undefined || pointsAtUs())) {
      const backup = readUserFile(p.codexConfigBackup);
      if (backup !== undefined) {
        writeUserFile(file, backup.text, current?.mode);
        await clear();
        return { outcome: "backup", file, detail: p.codexConfigBackup };
      }
      if (prior !== undefined && !prior.file_existed) {
        removeUserFile(file);
        await clear();
        return { outcome: "deleted", file };
      }
      throw new UserError(`${p.codexConfigBackup}: no backup to restore; nothing changed`);
    }
    if (prior === undefined) {
      if (pointsAtUs()) {
        const how = existsSync(p.codexConfigBackup)
          ? `\`codex-helper switch-off --force\` restores ${p.codexConfigBackup}`
          : `edit model_provider in ${file} by hand`;
        throw new UserError(
          `${file} uses "${PROVIDER_ID}", but ${p.switchState} has no record of a switch-on; nothing changed. ${how}`,
        );
      }
      return { outcome: "not-switched", file };
    }
    if (current === undefined) {
      await clear();
      return { outcome: "stale-state", file, detail: `${file} does not exist` };
    }
    const doc = parseOrRefuse(current.text, file);
    if (hasNoOurEntries(doc)) {
      await clear();
      return { outcome: "stale-state", file, detail: "the proxy entries were already removed" };
    }
    const drift = describeDrift(doc, prior.port);
    if (drift.length > 0) {
      const how = existsSync(p.codexConfigBackup)
        ? `\`codex-helper switch-off --force\` restores ${p.codexConfigBackup} byte for byte`
        : "fix them by hand, or `codex-helper switch-off --force`";
      throw new UserError(
        `${file}: the proxy entries were changed since switch-on (${drift.join("; ")}); nothing changed. ${how}`,
      );
    }
    const restored = refuseUnsafe(file, () => unpatchCodexConfig(current.text, recordOf(prior)));
    if (!prior.file_existed && restored.trim() === "") {
      removeUserFile(file);
      await clear();
      return { outcome: "deleted", file };
    }
    writeUserFile(file, restored, current.mode);
    await clear();
    return { outcome: "restored", file };
  });
}

export interface CodexSwitchStatus {
  file: string;
  exists: boolean;
  /** The provider Codex uses (Codex's default is "openai"). */
  provider: string | null;
  base_url: string | null;
  switched_on: boolean;
  port: number | null;
  proxy: ProbeResult | null;
  /** Our record of the switch (null when we have none); the saved old text is left out, it may hold header secrets. */
  state: Pick<CodexSwitchState, "port" | "previous_model_provider" | "file_existed" | "switched_at"> | null;
  error?: string;
  warnings: string[];
}

export async function codexSwitchStatus(fetchImpl: typeof fetch = fetch): Promise<CodexSwitchStatus> {
  const p = paths();
  const current = readUserFile(p.codexConfig);
  const saved = readSwitchState().codex;
  const state = saved
    ? {
        port: saved.port,
        previous_model_provider: saved.previous_model_provider,
        file_existed: saved.file_existed,
        switched_at: saved.switched_at,
      }
    : null;
  const base: CodexSwitchStatus = {
    file: p.codexConfig,
    exists: current !== undefined,
    provider: null,
    base_url: null,
    switched_on: false,
    port: null,
    proxy: null,
    state,
    warnings: codexProfileWarnings(p.codexHome),
  };
  let doc: Table;
  try {
    doc = parseOrRefuse(current?.text ?? "", p.codexConfig);
  } catch (error) {
    return { ...base, error: (error as Error).message.replace(/; nothing changed$/, "") };
  }
  const target = codexProxyTarget(doc);
  const switchedOn = target.provider === PROVIDER_ID;
  return {
    ...base,
    provider: target.provider,
    base_url: target.baseUrl,
    switched_on: switchedOn,
    port: target.proxyPort,
    proxy: target.proxyPort !== null ? await probeProxy(target.proxyPort, fetchImpl) : null,
  };
}
