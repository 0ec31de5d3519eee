// Runs doctor's checks: reads the files, asks the proxy and each upstream (bounded), and hands the facts to checks.ts.
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { parseConfigText, readTextIfExists } from "../config/load";
import type { ConfigFile } from "../config/schema";
import { messageOf } from "../errors";
import { requestLogFiles } from "../log/read";
import { paths } from "../paths";
import { upstreamUrl } from "../proxy/upstream-request";
import {
  type CheckResult,
  clockCheck,
  codexConfigCheck,
  codexTarget,
  credentialsCheck,
  type FileMode,
  permissionsCheck,
  probeVerdict,
  upstreamsOf,
  usageTokenCheck,
} from "./checks";

export interface DoctorOptions {
  env: Record<string, string | undefined>;
  /** The proxy port to check; default: the one Codex points at, else 3211. */
  port?: number;
  now: () => number;
  fetch: typeof fetch;
  platform: string;
  probeTimeoutMs?: number;
  onProgress?: (text: string) => void;
}

function readText(file: string): string | undefined {
  try {
    return readTextIfExists(file);
  } catch {
    return undefined;
  }
}

function modeOf(path: string, kind: FileMode["kind"], secret: boolean): FileMode {
  try {
    return { path, kind, secret, mode: statSync(path).mode & 0o777 };
  } catch {
    return { path, kind, secret, mode: undefined };
  }
}

function describeError(error: unknown): string {
  if ((error as Error)?.name === "TimeoutError") return "no answer in time";
  const code = (error as { code?: string }).code;
  return code ? `connect: ${code}` : messageOf(error).split("\n")[0]!;
}

async function proxyCheck(options: DoctorOptions, port: number, token: string | undefined, codexUsesProxy: boolean) {
  const url = `http://127.0.0.1:${port}/_codex-helper/health`;
  const name = "proxy";
  try {
    const res = await options.fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(options.probeTimeoutMs ?? 3000),
    });
    if (res.status === 401) {
      await res.body?.cancel();
      return {
        name,
        status: "fail",
        detail: `127.0.0.1:${port} wants an access token this shell does not have`,
        fix: "export CODEX_HELPER_TOKEN=… (the token serve was started with)",
      } satisfies CheckResult;
    }
    const body = (await res.json().catch(() => ({}))) as { ok?: boolean; version?: string; service?: string };
    if (!res.ok || body.ok !== true) {
      return {
        name,
        status: "fail",
        detail: `something else answers on 127.0.0.1:${port} (HTTP ${res.status})`,
        fix: "stop it, or run the proxy on another port: codex-helper serve --port N (and codex-helper switch-on)",
      } satisfies CheckResult;
    }
    return {
      name,
      status: "ok",
      detail: `answers on 127.0.0.1:${port} (${body.service ?? "?"}, version ${body.version ?? "?"})`,
    } satisfies CheckResult;
  } catch (error) {
    return {
      name,
      status: codexUsesProxy ? "fail" : "warn",
      detail: `nothing answers on 127.0.0.1:${port} (${describeError(error)})${codexUsesProxy ? ": Codex requests will fail" : ""}`,
      fix: `start it: codex-helper serve${port === 3211 ? "" : ` --port ${port}`}`,
    } satisfies CheckResult;
  }
}

async function probe(options: DoctorOptions, baseUrl: string) {
  const t0 = performance.now();
  try {
    const res = await options.fetch(upstreamUrl(baseUrl, "/models"), {
      method: "GET",
      redirect: "manual",
      signal: AbortSignal.timeout(options.probeTimeoutMs ?? 3000),
    });
    await res.body?.cancel().catch(() => {});
    return { status: res.status, ms: performance.now() - t0 };
  } catch (error) {
    return { error: describeError(error), ms: performance.now() - t0 };
  }
}

/** Writable log: the file itself when it exists, else the nearest folder that exists (serve creates the rest). */
function logWritableCheck(file: string): CheckResult {
  let target = file;
  while (!existsSync(target) && dirname(target) !== target) target = dirname(target);
  try {
    accessSync(target, constants.W_OK);
    return { name: "request log", status: "ok", detail: `${file} is writable` };
  } catch (error) {
    return {
      name: "request log",
      status: "fail",
      detail: `${target} is not writable (${(error as { code?: string }).code ?? messageOf(error)})`,
      fix: `fix the owner or mode of ${target} (e.g. chown -R $USER ${dirname(file)})`,
    };
  }
}

export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const p = paths(options.env);
  const results: CheckResult[] = [clockCheck(options.now())];

  options.onProgress?.("reading config.json…");
  let config: ConfigFile | undefined;
  const configText = readText(p.config);
  if (configText === undefined || configText.trim() === "") {
    results.push({
      name: "config.json",
      status: "warn",
      detail: `${p.config} does not exist yet`,
      fix: "codex-helper serve creates it from your Codex settings, or: codex-helper config add NAME --base-url URL",
    });
  } else {
    try {
      config = parseConfigText(configText, p.config);
      const pools = Object.keys(config.codex.configs).length + Object.keys(config.claude.configs).length;
      results.push({ name: "config.json", status: "ok", detail: `${p.config} is valid (${pools} config(s))` });
    } catch (error) {
      results.push({
        name: "config.json",
        status: "fail",
        detail: messageOf(error),
        fix: `fix the field named above in ${p.config} (the proxy keeps its last good config meanwhile)`,
      });
    }
  }

  const codexText = readText(p.codexConfig);
  let codexPort: number | null = null;
  try {
    codexPort = codexText === undefined ? null : codexTarget(codexText).loopbackPort;
  } catch {
    codexPort = null;
  }
  const port = options.port ?? codexPort ?? 3211;
  results.push(...codexConfigCheck(p.codexConfig, codexText, port, options.env));

  options.onProgress?.(`asking the proxy on 127.0.0.1:${port}…`);
  const token = options.env.CODEX_HELPER_TOKEN || config?.settings?.access_token;
  results.push(await proxyCheck(options, port, token, codexPort !== null && codexPort === port));

  const refs = config ? upstreamsOf(config) : [];
  results.push(credentialsCheck(refs));
  const usage = usageTokenCheck(readText(p.usageProviders), options.env);
  if (usage) results.push(usage);

  // One probe per distinct base URL, all at once: the whole step takes at most one timeout.
  const distinct = [...new Set(refs.map((r) => r.baseUrl))];
  let done = 0;
  options.onProgress?.(`probing ${distinct.length} upstream(s)…`);
  const outcomes = new Map(
    await Promise.all(
      distinct.map(async (url) => {
        const outcome = await probe(options, url);
        done++;
        options.onProgress?.(`probing upstreams… ${done}/${distinct.length}`);
        return [url, outcome] as const;
      }),
    ),
  );
  for (const ref of refs) results.push(probeVerdict(ref, outcomes.get(ref.baseUrl)!));

  const files: FileMode[] = [
    modeOf(p.helperHome, "dir", false),
    modeOf(p.config, "file", true),
    modeOf(p.usageProviders, "file", true),
    modeOf(p.logDir, "dir", false),
    ...requestLogFiles(p.requestLog).map((f) => modeOf(f.path, "file", false)),
    modeOf(p.codexAuth, "file", true),
  ];
  results.push(permissionsCheck(files, options.platform));
  results.push(logWritableCheck(p.requestLog));
  return results;
}
