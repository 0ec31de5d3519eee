// Doctor's verdicts (pure): each check's facts in, a ✓/!/✗ line with a one-line fix out.
import { parse as parseToml } from "smol-toml";
import type { ConfigFile, Service } from "../config/schema";

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** One line telling the user what to do (absent when all is well). */
  fix?: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function clockCheck(now: number): CheckResult {
  const year = new Date(now).getUTCFullYear();
  const when = new Date(now).toISOString().replace("T", " ").slice(0, 16);
  if (year >= 2024 && year < 2100) return { name: "clock", status: "ok", detail: `${when} UTC` };
  return {
    name: "clock",
    status: "fail",
    detail: `the system clock says ${when} UTC`,
    fix: "set the system time (e.g. enable NTP: timedatectl set-ntp true); TLS and cooldowns need a sane clock",
  };
}

export interface CodexTarget {
  provider: string;
  baseUrl: string | null;
  envKey: string | null;
  /** The proxy port when base_url is a loopback http URL, else null. */
  loopbackPort: number | null;
}

/** What Codex's config.toml points at; throws with a one-line message when it does not parse. */
export function codexTarget(text: string): CodexTarget {
  const doc = parseToml(text) as Record<string, unknown>;
  const provider = typeof doc.model_provider === "string" ? doc.model_provider : "openai";
  const providers = (doc.model_providers ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const block = providers[provider];
  const baseUrl = typeof block?.base_url === "string" ? block.base_url : null;
  const envKey = typeof block?.env_key === "string" ? block.env_key : null;
  let loopbackPort: number | null = null;
  if (baseUrl !== null) {
    try {
      const url = new URL(baseUrl);
      if (url.protocol === "http:" && LOOPBACK.test(url.hostname)) loopbackPort = Number(url.port || "80");
    } catch {
      // not a URL: Codex will say so itself
    }
  }
  return { provider, baseUrl, envKey, loopbackPort };
}

export function codexConfigCheck(
  file: string,
  text: string | undefined,
  proxyPort: number,
  env: Record<string, string | undefined>,
): CheckResult[] {
  const name = "Codex config";
  if (text === undefined) {
    return [
      {
        name,
        status: "warn",
        detail: `${file} does not exist: Codex talks to OpenAI directly`,
        fix: "to route Codex through the proxy: codex-helper switch-on",
      },
    ];
  }
  let target: CodexTarget;
  try {
    target = codexTarget(text);
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    return [{ name, status: "fail", detail: `${file} does not parse: ${first}`, fix: `fix the TOML in ${file}` }];
  }
  const results: CheckResult[] = [];
  if (target.loopbackPort === null) {
    results.push({
      name,
      status: "warn",
      detail: `provider "${target.provider}" → ${target.baseUrl ?? "OpenAI's default"}: not through the proxy`,
      fix: "to route Codex through the proxy: codex-helper switch-on",
    });
  } else if (target.loopbackPort !== proxyPort) {
    results.push({
      name,
      status: "fail",
      detail: `provider "${target.provider}" → ${target.baseUrl}, but the proxy checked here is on port ${proxyPort}`,
      fix: `run serve on port ${target.loopbackPort}, or switch Codex again: codex-helper switch-on`,
    });
  } else {
    results.push({ name, status: "ok", detail: `provider "${target.provider}" → ${target.baseUrl} (the proxy)` });
  }
  if (target.envKey !== null && !env[target.envKey]) {
    results.push({
      name: "Codex provider key",
      status: "fail",
      detail: `provider "${target.provider}" has env_key = "${target.envKey}", which is not set: Codex will refuse to start`,
      fix: `export ${target.envKey}=anything (the proxy adds the real key), or remove env_key from ${file}`,
    });
  }
  return results;
}

export interface UpstreamRef {
  service: Service;
  config: string;
  index: number;
  baseUrl: string;
  hasCredential: boolean;
}

export function upstreamsOf(config: ConfigFile): UpstreamRef[] {
  const refs: UpstreamRef[] = [];
  for (const service of ["codex", "claude"] as const) {
    for (const [name, pool] of Object.entries(config[service].configs)) {
      pool.upstreams.forEach((u, index) => {
        refs.push({
          service,
          config: name,
          index,
          baseUrl: u.base_url,
          hasCredential: Boolean(u.auth.auth_token || u.auth.api_key),
        });
      });
    }
  }
  return refs;
}

export function credentialsCheck(refs: readonly UpstreamRef[]): CheckResult {
  const missing = refs.filter((r) => !r.hasCredential);
  if (refs.length === 0) {
    return {
      name: "tokens",
      status: "warn",
      detail: "no upstream configured",
      fix: "codex-helper config add NAME --base-url URL --auth-token TOKEN",
    };
  }
  if (missing.length === 0) {
    return { name: "tokens", status: "ok", detail: `every upstream (${refs.length}) has a credential` };
  }
  const list = missing.map((r) => `${r.service}/${r.config}#${r.index} ${r.baseUrl}`).join(", ");
  return {
    name: "tokens",
    status: "warn",
    detail: `no credential for ${list} (fine for a local model server, not for a paid API)`,
    fix: "codex-helper config add NAME --base-url URL --auth-token TOKEN (then remove the old entry)",
  };
}

/** Usage providers name their token's environment variable; an unset one means the provider cannot poll. */
export function usageTokenCheck(
  text: string | undefined,
  env: Record<string, string | undefined>,
): CheckResult | undefined {
  if (text === undefined) return undefined;
  let providers: unknown;
  try {
    providers = (JSON.parse(text) as { providers?: unknown }).providers;
  } catch {
    return {
      name: "usage providers",
      status: "fail",
      detail: "usage_providers.json is not valid JSON",
      fix: "fix or delete usage_providers.json (it is recreated with defaults)",
    };
  }
  if (!Array.isArray(providers)) return undefined;
  const unset = providers
    .map((p) => p as { id?: unknown; token_env?: unknown })
    .filter((p) => typeof p.token_env === "string" && p.token_env !== "" && !env[p.token_env]);
  if (unset.length === 0)
    return { name: "usage providers", status: "ok", detail: `${providers.length} provider(s), tokens resolvable` };
  return {
    name: "usage providers",
    status: "warn",
    detail: unset.map((p) => `${String(p.id)}: $${String(p.token_env)} is not set`).join("; "),
    fix: `export ${String(unset[0]!.token_env)}=… before codex-helper serve, or set token_env to null to use the upstream's own token`,
  };
}

export interface FileMode {
  path: string;
  /** st_mode & 0o777; undefined when the file does not exist. */
  mode: number | undefined;
  kind: "file" | "dir";
  /** Files holding secrets: group/other access is a failure, not a warning. */
  secret: boolean;
}

export function permissionsCheck(files: readonly FileMode[], platform: string): CheckResult {
  if (platform === "win32") return { name: "permissions", status: "ok", detail: "not checked on Windows" };
  const open = files.filter((f) => f.mode !== undefined && (f.mode & 0o077) !== 0);
  if (open.length === 0) {
    const seen = files.filter((f) => f.mode !== undefined).length;
    return { name: "permissions", status: "ok", detail: `${seen} file(s) and folder(s) private to you` };
  }
  const describe = (f: FileMode) => `${f.path} is ${f.mode!.toString(8).padStart(3, "0")}`;
  const chmod = open.map((f) => `chmod ${f.kind === "dir" ? "700" : "600"} ${f.path}`).join(" && ");
  return {
    name: "permissions",
    status: open.some((f) => f.secret) ? "fail" : "warn",
    detail: `readable by others: ${open.map(describe).join(", ")}`,
    fix: chmod,
  };
}

export function probeVerdict(ref: UpstreamRef, outcome: { status?: number; error?: string; ms: number }): CheckResult {
  const name = `upstream ${ref.service}/${ref.config}#${ref.index}`;
  if (outcome.status !== undefined) {
    return {
      name,
      status: "ok",
      detail: `${ref.baseUrl} answered HTTP ${outcome.status} in ${Math.round(outcome.ms)} ms`,
    };
  }
  return {
    name,
    status: "fail",
    detail: `${ref.baseUrl} unreachable: ${outcome.error ?? "no answer"}`,
    fix: `check the URL and your network, or remove it: codex-helper config remove ${ref.config}${ref.service === "claude" ? " --claude" : ""}`,
  };
}

const MARK: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗" };

export function renderChecks(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${MARK[r.status]} ${r.name}: ${r.detail}`);
    if (r.fix && r.status !== "ok") lines.push(`    fix: ${r.fix}`);
  }
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warn").length;
  lines.push(
    "",
    failed === 0
      ? `all checks passed${warned > 0 ? ` (${warned} note${warned === 1 ? "" : "s"})` : ""}`
      : `${failed} problem${failed === 1 ? "" : "s"} found`,
  );
  return `${lines.join("\n")}\n`;
}
