// Pure: point Claude Code's settings.json env block at the proxy and back, keeping every other key, byte and key order.
import {
  type JsonNode,
  leadingIndent,
  lineIndent,
  member,
  parseJsonSpans,
  removeMember,
  type Style,
  setMember,
} from "./json-spans";

export const BASE_URL_KEY = "ANTHROPIC_BASE_URL";
export const TOKEN_KEY = "ANTHROPIC_AUTH_TOKEN";
/** Claude Code asks to log in without a token; the proxy replaces this one with the real credential. */
export const PLACEHOLDER_TOKEN = "codex-helper-proxy-holds-the-real-key";

type Json = Record<string, unknown>;

export interface ClaudePatchRecord {
  /** `env.ANTHROPIC_BASE_URL` before, null when absent. */
  previous_base_url: string | null;
  /** Its exact JSON text (escapes kept), null when absent. */
  previous_base_url_text: string | null;
  added_placeholder_token: boolean;
  had_env_object: boolean;
}

/** The settings text is not JSON, or not a shape we can edit: refuse, change nothing. */
export class SettingsError extends Error {}

export function claudeBaseUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

function asObject(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function parseSettings(text: string): Json {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`not valid JSON (${(error as Error).message})`);
  }
  const doc = asObject(raw);
  if (!doc) throw new SettingsError("not a JSON object");
  if (doc.env !== undefined && !asObject(doc.env)) throw new SettingsError('"env" is not an object');
  return doc;
}

function styleOf(text: string, root: JsonNode): Style {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const first = root.kind === "object" ? root.members[0] : undefined;
  const indent = first ? lineIndent(text, first.keyStart) : null;
  return { unit: indent ? indent.slice(leadingIndent(text, root.start).length) || indent : "  ", eol };
}

/** Needs a token? Not when the env block, or an apiKeyHelper, already gives Claude Code one. */
function hasCredential(doc: Json): boolean {
  const env = asObject(doc.env) ?? {};
  return env[TOKEN_KEY] !== undefined || env.ANTHROPIC_API_KEY !== undefined || doc.apiKeyHelper !== undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  // Key order matters here (we promise to keep it), so compare serialisations.
  return JSON.stringify(a) === JSON.stringify(b);
}

function verify(result: string, expected: Json, what: string): void {
  let actual: Json;
  try {
    actual = parseSettings(result);
  } catch (error) {
    throw new SettingsError(`${what} would not be valid (${(error as Error).message})`);
  }
  if (!sameJson(actual, expected)) throw new SettingsError(`${what} would change more than our entries`);
}

function withEnv(doc: Json, change: (env: Json) => void): Json {
  const next: Json = { ...doc };
  const env: Json = { ...(asObject(doc.env) ?? {}) };
  change(env);
  next.env = env;
  return next;
}

export interface ClaudePatchResult {
  text: string;
  record: ClaudePatchRecord;
}

/** A new settings.json holding only our env entries. */
export function newSettingsText(port: number): string {
  return `${JSON.stringify({ env: { [BASE_URL_KEY]: claudeBaseUrl(port), [TOKEN_KEY]: PLACEHOLDER_TOKEN } }, null, 2)}\n`;
}

/** Set env.ANTHROPIC_BASE_URL (and a placeholder token when Claude Code would have none). */
export function patchClaudeSettings(text: string, port: number): ClaudePatchResult {
  const doc = parseSettings(text);
  const root = parseJsonSpans(text);
  const style = styleOf(text, root);
  const url = JSON.stringify(claudeBaseUrl(port));
  const env = asObject(doc.env);
  const needsToken = !hasCredential(doc);
  const envNode = member(root, "env");
  const previous = envNode ? member(envNode.value, BASE_URL_KEY) : undefined;
  let result: string;
  if (!envNode) {
    const last = root.kind === "object" ? root.members.at(-1) : undefined;
    const indent = (last ? lineIndent(text, last.keyStart) : null) ?? (last ? "" : style.unit);
    const inner = `${indent}${style.unit}`;
    const entries = [`${JSON.stringify(BASE_URL_KEY)}: ${url}`];
    if (needsToken) entries.push(`${JSON.stringify(TOKEN_KEY)}: ${JSON.stringify(PLACEHOLDER_TOKEN)}`);
    const value = `{${style.eol}${entries.map((e) => inner + e).join(`,${style.eol}`)}${style.eol}${indent}}`;
    result = setMember(text, root, "env", value, style);
  } else {
    result = setMember(text, envNode.value, BASE_URL_KEY, url, style);
    if (needsToken) {
      const envAgain = member(parseJsonSpans(result), "env")!;
      result = setMember(result, envAgain.value, TOKEN_KEY, JSON.stringify(PLACEHOLDER_TOKEN), style);
    }
  }
  const expected = withEnv(doc, (e) => {
    e[BASE_URL_KEY] = claudeBaseUrl(port);
    if (needsToken) e[TOKEN_KEY] = PLACEHOLDER_TOKEN;
  });
  verify(result, expected, "the switched-on settings.json");
  const old = env?.[BASE_URL_KEY];
  return {
    text: result,
    record: {
      previous_base_url: typeof old === "string" ? old : old === undefined ? null : JSON.stringify(old),
      previous_base_url_text: previous ? text.slice(previous.valueStart, previous.valueEnd) : null,
      added_placeholder_token: needsToken,
      had_env_object: env !== undefined,
    },
  };
}

/** Undo `patchClaudeSettings` as `record` says; the user's other changes stay. */
export function unpatchClaudeSettings(text: string, record: ClaudePatchRecord): string {
  const doc = parseSettings(text);
  const style = styleOf(text, parseJsonSpans(text));
  const envOf = (t: string) => member(parseJsonSpans(t), "env");
  let result = text;
  let env = envOf(result);
  if (env && record.added_placeholder_token) result = removeMember(result, env.value, TOKEN_KEY);
  env = envOf(result);
  if (env) {
    if (record.previous_base_url_text !== null) {
      result = setMember(result, env.value, BASE_URL_KEY, record.previous_base_url_text, style);
    } else if (record.previous_base_url !== null) {
      result = setMember(result, env.value, BASE_URL_KEY, JSON.stringify(record.previous_base_url), style);
    } else {
      result = removeMember(result, env.value, BASE_URL_KEY);
    }
  }
  env = envOf(result);
  const envEmpty = env?.value.kind === "object" && env.value.members.length === 0;
  if (env && envEmpty && !record.had_env_object) result = removeMember(result, parseJsonSpans(result), "env");

  const expected = withEnv(doc, (e) => {
    if (record.added_placeholder_token) delete e[TOKEN_KEY];
    if (record.previous_base_url_text !== null) e[BASE_URL_KEY] = JSON.parse(record.previous_base_url_text);
    else if (record.previous_base_url !== null) e[BASE_URL_KEY] = record.previous_base_url;
    else delete e[BASE_URL_KEY];
  });
  if (doc.env === undefined) delete expected.env;
  else if (!record.had_env_object && Object.keys(asObject(expected.env) ?? {}).length === 0) delete expected.env;
  verify(result, expected, "the switched-off settings.json");
  return result;
}

/** How the env block differs from what switch-on wrote for `port` (empty: untouched). */
export function describeClaudeDrift(doc: Json, port: number, record: ClaudePatchRecord): string[] {
  const env = asObject(doc.env) ?? {};
  const drift: string[] = [];
  if (env[BASE_URL_KEY] !== claudeBaseUrl(port)) {
    drift.push(
      env[BASE_URL_KEY] === undefined
        ? `env.${BASE_URL_KEY} was removed`
        : `env.${BASE_URL_KEY} is ${JSON.stringify(env[BASE_URL_KEY])}, switch-on wrote "${claudeBaseUrl(port)}"`,
    );
  }
  if (record.added_placeholder_token && env[TOKEN_KEY] !== PLACEHOLDER_TOKEN) {
    drift.push(`env.${TOKEN_KEY} is no longer the placeholder switch-on wrote`);
  }
  return drift;
}

/** Neither our URL nor our placeholder is there any more: the switch was already undone. */
export function hasNoClaudeEntries(doc: Json, port: number): boolean {
  const env = asObject(doc.env) ?? {};
  return env[BASE_URL_KEY] !== claudeBaseUrl(port) && env[TOKEN_KEY] !== PLACEHOLDER_TOKEN;
}

/** The port of a loopback ANTHROPIC_BASE_URL, when Claude Code points at one. */
export function claudeProxyPort(doc: Json): { baseUrl: string | null; port: number | null } {
  const value = asObject(doc.env)?.[BASE_URL_KEY];
  const baseUrl = typeof value === "string" ? value : null;
  const match = baseUrl ? /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)\/?$/.exec(baseUrl) : null;
  return { baseUrl, port: match ? Number(match[1]) : null };
}
