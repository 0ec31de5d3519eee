// Who may use the proxy: loopback Host names when bound to loopback, no browser pages, the access token when required.
import { createHash, timingSafeEqual } from "node:crypto";

export interface GuardOptions {
  /** Bound to a loopback address: only loopback Host names are accepted (DNS-rebinding defence). */
  loopbackOnly: boolean;
  /** When set, every request must present it as `Authorization: Bearer` or `x-api-key`. */
  accessToken?: string;
}

export type GuardVerdict = { ok: true } | { ok: false; status: number; message: string };

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** The host name of a Host header, without the port. */
export function hostName(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return colon === -1 ? host : host.slice(0, colon);
}

export function isLoopbackHostName(name: string): boolean {
  return LOOPBACK_HOST.test(name) || name.toLowerCase().endsWith(".localhost");
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Constant-time comparison (hashing first makes the lengths equal, so the length leaks nothing either). */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

export function presentedToken(headers: Headers): string | undefined {
  const authorization = headers.get("authorization");
  if (authorization?.toLowerCase().startsWith("bearer ")) return authorization.slice(7).trim();
  return headers.get("x-api-key") ?? undefined;
}

/** Checks for the API paths: browsers (any Origin header) are refused outright. */
export function checkRequest(headers: Headers, options: GuardOptions, allowSameOrigin = false): GuardVerdict {
  const host = headers.get("host") ?? "";
  if (options.loopbackOnly && !isLoopbackHostName(hostName(host))) {
    return {
      ok: false,
      status: 403,
      message: `codex-helper: Host "${host}" refused: this proxy answers loopback names only`,
    };
  }
  const origin = headers.get("origin");
  if (origin !== null && !(allowSameOrigin && sameOrigin(origin, host))) {
    return { ok: false, status: 403, message: "codex-helper: requests from web pages are refused" };
  }
  if (options.accessToken !== undefined && !tokenMatches(presentedToken(headers), options.accessToken)) {
    return { ok: false, status: 401, message: "codex-helper: missing or wrong access token" };
  }
  return { ok: true };
}

/** A client socket address on loopback: 127.0.0.0/8, ::1, or either mapped into IPv6. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.toLowerCase().replace(/^::ffff:/, "");
  return /^127(?:\.\d{1,3}){3}$/.test(plain) || plain === "::1" || plain === "0:0:0:0:0:0:0:1";
}

/**
 * Admin paths (status, reset, metrics, dashboard) answer loopback clients only, whatever the bind address: a token
 * shared with LAN clients for the API must not also hand them control of the proxy. Unknown address (tests through
 * app.request) passes.
 */
export function checkAdminClient(address: string | undefined): GuardVerdict {
  if (address === undefined || isLoopbackAddress(address)) return { ok: true };
  return { ok: false, status: 403, message: `codex-helper: admin paths answer loopback clients only (not ${address})` };
}

function sameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
