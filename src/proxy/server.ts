// The only Bun.serve: binds the app, lifts Bun's idle timeout for proxied requests, stops gracefully.
import type { Server } from "bun";
import type { Hono } from "hono";

export interface ServerOptions {
  hostname: string;
  port: number;
}

export interface RunningServer {
  server: Server<undefined>;
  url: string;
  stop(force?: boolean): Promise<void>;
}

export function startServer(app: Hono, options: ServerOptions): RunningServer {
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    // Codex re-sends the whole history every turn: bodies of many MB are normal. Our own limit (413) applies first.
    maxRequestBodySize: 1024 * 1024 * 1024,
    fetch(req, srv) {
      // Bun closes a connection idle for 10 s; a reasoning model can think quietly for minutes (BUN.md #2).
      srv.timeout(req, 0);
      return app.fetch(req, { server: srv });
    },
  });
  const host = server.hostname?.includes(":") ? `[${server.hostname}]` : server.hostname;
  return {
    server,
    url: `http://${host}:${server.port}`,
    stop: (force = false) => server.stop(force),
  };
}
