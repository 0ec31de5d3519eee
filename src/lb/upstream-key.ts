// An upstream's identity (base URL + credential fingerprint), so reloads keep the state of unchanged upstreams.
import type { Upstream } from "../config/schema";

/** FNV-1a, 32 bit: a fingerprint for telling credentials apart, not for hiding them (they never leave anyway). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

export function upstreamKey(upstream: Pick<Upstream, "base_url" | "auth">): string {
  const auth = upstream.auth ?? {};
  return `${upstream.base_url}#${fnv1a(`${auth.auth_token ?? ""}\u0000${auth.api_key ?? ""}`)}`;
}
