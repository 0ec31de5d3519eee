// Pure: a first Codex pool built from the user's own Codex settings (config.toml, auth.json, environment).

import type { Pool } from "./schema";
import type { CodexSwitchState } from "./switch-state";

type Table = Record<string, unknown>;

export const OUR_PROVIDER_ID = "codex_proxy";
const OPENAI_DEFAULT_BASE = "https://api.openai.com/v1";

export interface CodexSettingsInput {
  /** Parsed `$CODEX_HOME/config.toml` (undefined when absent). */
  configToml: Table | undefined;
  /** Parsed `config.toml.codex-proxy-backup`, consulted when config.toml already points at us. */
  backupToml: Table | undefined;
  switchState: CodexSwitchState | undefined;
  /** Parsed auth.json (undefined when absent). */
  auth: Table | undefined;
  env: Record<string, string | undefined>;
  /** File names, for messages. */
  files: { config: string; auth: string };
}

export type BootstrapResult = { ok: true; name: string; pool: Pool; from: string } | { ok: false; message: string };

function table(value: unknown): Table | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Table) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** Which provider Codex uses, looking past our own `codex_proxy` to what the user had before switch-on. */
function effectiveProvider(input: CodexSettingsInput): { id: string; providers: Table | undefined } {
  const current = text(input.configToml?.model_provider) ?? "openai";
  if (current !== OUR_PROVIDER_ID) return { id: current, providers: table(input.configToml?.model_providers) };
  if (input.switchState) {
    return {
      id: input.switchState.previous_model_provider ?? "openai",
      providers: table(input.configToml?.model_providers) ?? table(input.backupToml?.model_providers),
    };
  }
  const fromBackup = text(input.backupToml?.model_provider);
  if (input.backupToml && fromBackup !== OUR_PROVIDER_ID) {
    return {
      id: fromBackup ?? "openai",
      providers: table(input.backupToml.model_providers) ?? table(input.configToml?.model_providers),
    };
  }
  return { id: "openai", providers: table(input.configToml?.model_providers) };
}

export function bootstrapCodex(input: CodexSettingsInput): BootstrapResult {
  const { id, providers } = effectiveProvider(input);
  const provider = table(providers?.[id]);
  const baseUrl = text(provider?.base_url) ?? (id === "openai" ? OPENAI_DEFAULT_BASE : undefined);
  const looked: string[] = [`model_provider "${id}" in ${input.files.config}`];
  const fix = "add one with: codex-helper config add NAME --base-url URL --auth-token TOKEN";
  if (baseUrl === undefined) {
    return {
      ok: false,
      message: `cannot build a first upstream: provider "${id}" has no base_url in ${input.files.config}; ${fix}`,
    };
  }
  const envKey = text(provider?.env_key);
  let token: string | undefined;
  let from = "";
  if (envKey) {
    looked.push(`$${envKey}`);
    token = text(input.env[envKey]);
    from = `$${envKey}`;
  }
  if (token === undefined) {
    looked.push(`OPENAI_API_KEY in ${input.files.auth}`);
    token = text(input.auth?.OPENAI_API_KEY);
    from = input.files.auth;
  }
  if (token === undefined) {
    const chatgptOnly = input.auth !== undefined && table(input.auth.tokens) !== undefined;
    const why = chatgptOnly
      ? `${input.files.auth} holds a ChatGPT login, which has no API key a proxy can use`
      : "no API key found";
    return { ok: false, message: `cannot build a first upstream: ${why} (looked at ${looked.join(", ")}); ${fix}` };
  }
  return {
    ok: true,
    name: id,
    from,
    pool: {
      name: id,
      upstreams: [
        { base_url: baseUrl, auth: { auth_token: token }, tags: { source: "codex-config", provider_id: id } },
      ],
    },
  };
}
