// createApp(deps): the Hono app — guard, admin health route, every other request forwarded; no module state.
import { Hono } from "hono";
import { version } from "../version";
import { errorResponse } from "./error-body";
import { forward, type ProxyDeps } from "./forward";
import { checkAdminClient, checkRequest, type GuardOptions } from "./guard";

/** Admin paths live under a prefix no API uses. */
export const ADMIN_PREFIX = "/_codex-helper";

export interface AppDeps extends ProxyDeps {
  guard: GuardOptions;
  /** Extra routes under ADMIN_PREFIX (status, metrics, dashboard), mounted by their owners. */
  admin?: Hono;
  /** A bug inside the app: reported, and the client gets a clear 500. */
  onBug?: (error: unknown) => void;
}

/** The peer's IP from Bun.serve (server.ts passes `{ server }` as the env); undefined without a socket. */
function clientAddress(env: unknown, req: Request): string | undefined {
  const server = (env as { server?: { requestIP(req: Request): { address: string } | null } } | undefined)?.server;
  return server?.requestIP(req)?.address;
}

export function createApp(deps: AppDeps): Hono {
  // Not strict: the dashboard lives at `/_codex-helper/` with its trailing slash.
  const app = new Hono({ strict: false });

  app.use("*", async (c, next) => {
    const isAdmin = c.req.path === ADMIN_PREFIX || c.req.path.startsWith(`${ADMIN_PREFIX}/`);
    const address = isAdmin ? clientAddress(c.env, c.req.raw) : undefined;
    const adminVerdict = checkAdminClient(address);
    const verdict = adminVerdict.ok ? checkRequest(c.req.raw.headers, deps.guard, isAdmin) : adminVerdict;
    if (!verdict.ok) {
      return errorResponse(deps.service, {
        status: verdict.status,
        message: verdict.message,
        type: verdict.status === 401 ? "authentication_error" : "permission_error",
      });
    }
    await next();
  });

  app.get(`${ADMIN_PREFIX}/health`, (c) => c.json({ ok: true, service: deps.service, version }));
  if (deps.admin) app.route(ADMIN_PREFIX, deps.admin);
  // Nothing under the admin prefix is ever forwarded upstream.
  app.all(`${ADMIN_PREFIX}/*`, () =>
    errorResponse(deps.service, { status: 404, message: "codex-helper: no such admin path", type: "not_found_error" }),
  );

  app.all("*", (c) => {
    const req = c.req.raw;
    // Codex's built-in provider tries a WebSocket first; 426 makes it fall back to HTTP at once (CLIENTS.md).
    if (req.headers.get("upgrade")?.toLowerCase() === "websocket") {
      return errorResponse(deps.service, {
        status: 426,
        message: "codex-helper: WebSocket is not supported here, use HTTP",
        type: "invalid_request_error",
        code: "upgrade_required",
      });
    }
    return forward(req, deps);
  });

  app.onError((error) => {
    deps.onBug?.(error);
    return errorResponse(deps.service, {
      status: 500,
      message: `codex-helper internal error: ${error instanceof Error ? error.message : String(error)}`,
      type: "server_error",
    });
  });

  return app;
}
