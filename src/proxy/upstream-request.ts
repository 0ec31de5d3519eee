// Pure: the upstream URL (base_url + path, never doubling `/v1`) and the headers sent upstream and back.
import type { Auth, Service } from "../config/schema";

/** Hop-by-hop headers (RFC 9110 §7.6.1) and others that describe one connection, not the message. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

/** Credentials the client sent for the proxy: always replaced by the upstream's own. */
const CLIENT_CREDENTIALS = new Set(["authorization", "x-api-key", "api-key", "x-goog-api-key"]);

const VERSION_SEGMENT = /^v\d+[a-z0-9]*$/i;

/**
 * `https://api.openai.com/v1` + `/responses` and + `/v1/responses` both give `https://api.openai.com/v1/responses`:
 * Codex pointed at the proxy with or without `/v1` must reach the same place.
 */
export function upstreamUrl(baseUrl: string, pathAndQuery: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  let path = pathAndQuery.startsWith("/") ? pathAndQuery : `/${pathAndQuery}`;
  const schemeEnd = base.indexOf("//") + 2;
  const lastSlash = base.lastIndexOf("/");
  // Only a path segment counts (not the host of `http://v1`).
  const baseLast = lastSlash >= schemeEnd ? base.slice(lastSlash + 1) : "";
  if (VERSION_SEGMENT.test(baseLast)) {
    const prefix = `/${baseLast}`;
    if (path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`)) {
      path = path.slice(prefix.length);
    }
  }
  return `${base}${path}`;
}

function connectionTokens(headers: Headers): Set<string> {
  const value = headers.get("connection");
  if (!value) return new Set();
  return new Set(value.split(",").map((t) => t.trim().toLowerCase()));
}

/** Client headers as the upstream should see them: no hop-by-hop, no client credentials, the upstream's instead. */
export function upstreamHeaders(client: Headers, auth: Auth, service: Service, bodyLength: number | null): Headers {
  const dropped = connectionTokens(client);
  const out = new Headers();
  client.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || CLIENT_CREDENTIALS.has(name) || dropped.has(name)) return;
    // The body may have been filtered or decoded: its length and encoding are ours to state.
    if (name === "content-length" || name === "content-encoding") return;
    // Ask for plain answers: the usage tap reads them as they pass, and on loopback compression buys nothing
    // (Claude Code asks for gzip/br/zstd). An upstream that compresses anyway is still forwarded as it is.
    if (name === "accept-encoding") return;
    out.set(name, value);
  });
  if (auth.auth_token) out.set("authorization", `Bearer ${auth.auth_token}`);
  if (auth.api_key) {
    out.set("x-api-key", auth.api_key);
    // OpenAI-style upstreams know only Bearer: a lone api_key is their bearer token too.
    if (service === "codex" && !auth.auth_token) out.set("authorization", `Bearer ${auth.api_key}`);
  }
  if (bodyLength !== null) out.set("content-length", String(bodyLength));
  return out;
}

/** Upstream response headers as the client should see them. Content-Encoding stays: the bytes are still encoded. */
export function clientResponseHeaders(upstream: Headers): Headers {
  const dropped = connectionTokens(upstream);
  const out = new Headers();
  upstream.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || dropped.has(name)) return;
    out.append(name, value);
  });
  return out;
}
