// Pure: which upstreams a usage provider speaks for (host equal to a domain or a subdomain of it) and its token.
import type { Upstream } from "../config/schema";
import type { Provider } from "./provider-schema";

function normalHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

/** `api.packycode.com` and `packycode.com` belong to `packycode.com`; `notpackycode.com` does not. */
export function hostMatchesDomain(host: string, domain: string): boolean {
  const h = normalHost(host);
  const d = normalHost(domain);
  return d !== "" && (h === d || h.endsWith(`.${d}`));
}

export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

export function isAssociated(provider: Provider, upstream: Pick<Upstream, "base_url">): boolean {
  const host = hostOf(upstream.base_url);
  return host !== undefined && provider.domains.some((domain) => hostMatchesDomain(host, domain));
}

/** The env var named by token_env when set and non-empty, else the first non-empty auth_token of an associated upstream. */
export function resolveToken(
  provider: Provider,
  associated: readonly Pick<Upstream, "auth">[],
  env: Record<string, string | undefined>,
): string | undefined {
  if (provider.token_env) {
    const value = env[provider.token_env]?.trim();
    if (value) return value;
  }
  for (const upstream of associated) {
    const token = upstream.auth.auth_token?.trim();
    if (token) return token;
  }
  return undefined;
}
