// Every file location the helper reads or writes, with the environment overrides tests and power users rely on.
import { homedir } from "node:os";
import { join } from "node:path";

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value : undefined;
}

/** Codex's own home: `$CODEX_HOME` (Codex honours it too) or `~/.codex`. */
export function codexHome(env: Env = process.env): string {
  return nonEmpty(env.CODEX_HOME) ?? join(homedir(), ".codex");
}

/** Our home: `$CODEX_HELPER_HOME` or `~/.codex-proxy`. */
export function helperHome(env: Env = process.env): string {
  return nonEmpty(env.CODEX_HELPER_HOME) ?? join(homedir(), ".codex-proxy");
}

/** Claude Code's config folder: `$CLAUDE_CONFIG_DIR` or `~/.claude`. */
export function claudeConfigDir(env: Env = process.env): string {
  return nonEmpty(env.CLAUDE_CONFIG_DIR) ?? join(homedir(), ".claude");
}

export interface Paths {
  codexHome: string;
  codexConfig: string;
  codexConfigBackup: string;
  codexAuth: string;
  codexSessions: string;
  codexArchivedSessions: string;
  helperHome: string;
  config: string;
  filter: string;
  usageProviders: string;
  logDir: string;
  requestLog: string;
  switchState: string;
  /** Cache of session heads for `session list|last` (rebuilt from the rollouts when missing). */
  sessionIndex: string;
  claudeConfigDir: string;
  claudeSettings: string;
  claudeLegacySettings: string;
  claudeSettingsBackup: string;
}

/** All paths, resolved from the environment at call time (never cached, so tests can move homes). */
export function paths(env: Env = process.env): Paths {
  const codex = codexHome(env);
  const helper = helperHome(env);
  const claude = claudeConfigDir(env);
  return {
    codexHome: codex,
    codexConfig: join(codex, "config.toml"),
    codexConfigBackup: join(codex, "config.toml.codex-proxy-backup"),
    codexAuth: join(codex, "auth.json"),
    codexSessions: join(codex, "sessions"),
    codexArchivedSessions: join(codex, "archived_sessions"),
    helperHome: helper,
    config: join(helper, "config.json"),
    filter: join(helper, "filter.json"),
    usageProviders: join(helper, "usage_providers.json"),
    logDir: join(helper, "logs"),
    requestLog: join(helper, "logs", "requests.jsonl"),
    switchState: join(helper, "switch-state.json"),
    sessionIndex: join(helper, "cache", "sessions-index.json"),
    claudeConfigDir: claude,
    claudeSettings: join(claude, "settings.json"),
    claudeLegacySettings: join(claude, "claude.json"),
    claudeSettingsBackup: join(claude, "settings.json.codex-proxy-backup"),
  };
}
