// Starts Debian's nginx as a streaming reverse proxy with its own config in a temp folder (no system files touched).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { childPids, drain, freePort } from "./procs";

export interface RunningNginx {
  url: string;
  child: Subprocess;
  /** Master and workers: CPU and RSS are summed over these. */
  pids(): number[];
  version: string;
}

export function nginxBinary(): string | null {
  return Bun.which("nginx") ?? Bun.which("nginx", { PATH: "/usr/sbin:/usr/local/sbin:/usr/local/nginx/sbin" });
}

/**
 * The config a careful operator would use in front of an SSE API: HTTP/1.1 and a keep-alive pool to the upstream,
 * no response buffering (events pass at once), request bodies streamed too, no access log. One worker: the same
 * single core a Bun process runs JavaScript on.
 */
export function nginxConfig(dir: string, port: number, upstreamPort: number, workers: number): string {
  const user = process.getuid?.() === 0 ? "user root;\n" : "";
  return `${user}worker_processes ${workers};
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 64m;
  keepalive_requests 1000000;
  upstream bench_upstream {
    server 127.0.0.1:${upstreamPort};
    keepalive 256;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 3600s;
      proxy_send_timeout 3600s;
    }
  }
}
`;
}

export async function startNginx(dir: string, upstreamPort: number, workers = 1): Promise<RunningNginx> {
  const binary = nginxBinary();
  if (!binary) throw new Error("nginx not installed");
  mkdirSync(dir, { recursive: true });
  const port = freePort();
  const conf = join(dir, "nginx.conf");
  await Bun.write(conf, nginxConfig(dir, port, upstreamPort, workers));
  const version = Bun.spawnSync([binary, "-v"])
    .stderr.toString()
    .trim()
    .replace(/^nginx version: /, "");
  const child = Bun.spawn([binary, "-p", dir, "-c", conf], { stdout: "ignore", stderr: "pipe" });
  const errors = drain(child.stderr);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${errors.text().trim()}`);
    const ok = await fetch(`${url}/v1/small`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer on ${url}: ${errors.text().trim()}`);
    await Bun.sleep(50);
  }
  return { url, child, version, pids: () => [child.pid, ...childPids(child.pid)] };
}
