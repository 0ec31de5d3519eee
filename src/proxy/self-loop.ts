// Pure: does an upstream URL point back at the proxy's own listener (a request storm if we forwarded to it)?

const LOOPBACK_OR_ANY = /^(localhost|127(?:\.\d{1,3}){3}|::1|0\.0\.0\.0|::|)$/i;

/** `listenHost` is what we bound; an upstream on the same port at a loopback, wildcard or our own host is ourselves. */
export function pointsAtSelf(baseUrl: string, listenHost: string, listenPort: number): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  const port = url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  if (port !== listenPort) return false;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const bound = listenHost.replace(/^\[|\]$/g, "").toLowerCase();
  return host === bound || LOOPBACK_OR_ANY.test(host) || (LOOPBACK_OR_ANY.test(bound) && host.endsWith(".localhost"));
}
