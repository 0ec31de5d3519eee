// Can a TCP connection to an upstream's host and port be opened within a time limit? (Off the hot path: used only
// when an attempt has had no response headers for the connect timeout.)

export type ReachabilityProbe = (baseUrl: string, timeoutMs: number) => Promise<boolean>;

export const tcpProbe: ReachabilityProbe = async (baseUrl, timeoutMs) => {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  const port = url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const attempt = Bun.connect({ hostname, port, socket: { data() {}, error() {} } }).then(
    (socket) => {
      socket.end();
      return true;
    },
    () => false,
  );
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
};
