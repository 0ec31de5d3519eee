// Talks to a running proxy's admin endpoint (status, reset, health) for the `status`, `reset` and `doctor` commands.
import { UserError } from "../errors";
import type { ResetResult } from "./state";
import type { StatusSnapshot } from "./status";

export interface AdminTarget {
  host: string;
  port: number;
  /** The proxy's access token, when it requires one. */
  token?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_PORT = 3211;

function baseUrl(target: AdminTarget): string {
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return `http://${host}:${target.port}/_codex-helper`;
}

function isConnectionRefused(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return (
    code === "ConnectionRefused" ||
    code === "ECONNREFUSED" ||
    /connection refused|unable to connect/i.test(String(error))
  );
}

/** One admin request; a missing proxy, a refused token or a stranger on the port each become one clear line. */
export async function adminRequest(target: AdminTarget, path: string, init: RequestInit = {}): Promise<Response> {
  const url = `${baseUrl(target)}/${path}`;
  const where = `${target.host}:${target.port}`;
  const headers = new Headers(init.headers);
  if (target.token) headers.set("authorization", `Bearer ${target.token}`);
  let res: Response;
  try {
    res = await (target.fetch ?? fetch)(url, {
      ...init,
      headers,
      signal: AbortSignal.timeout(target.timeoutMs ?? 3000),
    });
  } catch (error) {
    if (isConnectionRefused(error)) {
      throw new UserError(`no codex-helper proxy is running on ${where} (start one: codex-helper serve)`);
    }
    if ((error as Error).name === "TimeoutError") throw new UserError(`the proxy on ${where} did not answer in time`);
    throw new UserError(`cannot reach the proxy on ${where}: ${(error as Error).message}`);
  }
  if (res.status === 401) {
    await res.body?.cancel();
    throw new UserError(
      `the proxy on ${where} wants its access token: set CODEX_HELPER_TOKEN or settings.access_token in config.json`,
    );
  }
  if (res.status === 403) {
    const text = await res.text();
    throw new UserError(`the proxy on ${where} refused the request: ${errorMessage(text) ?? `HTTP ${res.status}`}`);
  }
  return res;
}

function errorMessage(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as { error?: { message?: string } };
    return json.error?.message;
  } catch {
    return undefined;
  }
}

export async function fetchStatus(target: AdminTarget): Promise<StatusSnapshot> {
  const res = await adminRequest(target, "status");
  if (!res.ok) {
    await res.body?.cancel();
    throw new UserError(
      `${target.host}:${target.port} answered HTTP ${res.status} to /_codex-helper/status: is it a codex-helper proxy (of this version)?`,
    );
  }
  return (await res.json()) as StatusSnapshot;
}

export async function resetUpstream(target: AdminTarget, id: string): Promise<Extract<ResetResult, { ok: true }>> {
  const res = await adminRequest(target, `upstreams/${encodeURIComponent(id)}/reset`, { method: "POST" });
  const text = await res.text();
  if (res.status === 404 && errorMessage(text)) throw new UserError(errorMessage(text)!);
  if (!res.ok) throw new UserError(`reset failed: HTTP ${res.status} ${errorMessage(text) ?? ""}`.trim());
  const json = JSON.parse(text) as { reset: Extract<ResetResult, { ok: true }>["upstreams"] };
  return { ok: true, upstreams: json.reset };
}
