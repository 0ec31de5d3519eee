// The dashboard under /_codex-helper/: the page, its live SSE feed, and its two actions (CSRF-token POSTs).
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { AdminState } from "../admin/state";
import { findSessions } from "../codex/sessions";
import { setActive } from "../config/edit";
import { loadConfig } from "../config/load";
import { updateConfig } from "../config/save";
import type { Service } from "../config/schema";
import { messageOf } from "../errors";
import { paths } from "../paths";
import { ADMIN_PREFIX } from "../proxy/app";
import { version } from "../version";
import { DashboardPage } from "./page";
import { usageSummary } from "./usage-summary";

export interface DashboardOptions {
  state: AdminState;
  service: Service;
  /** The folder whose sessions are shown (where serve was started). */
  projectDir?: string;
  now?: () => number;
}

const CSRF_HEADER = "x-codex-helper-csrf";

export function dashboardRoutes(options: DashboardOptions): Hono {
  const app = new Hono();
  // A per-process token embedded in the page: a cross-site form or fetch cannot know it (and its Origin is refused).
  const csrf = randomUUID();
  const now = options.now ?? Date.now;
  const projectDir = options.projectDir ?? process.cwd();

  app.get("/", async (c) => {
    const p = paths();
    const config = loadConfig();
    const other: Service = options.service === "codex" ? "claude" : "codex";
    let sessions: ReturnType<typeof findSessions> = [];
    try {
      sessions = findSessions({
        sessionsDir: p.codexSessions,
        projectDir,
        all: false,
        limit: 8,
        indexFile: p.sessionIndex,
      }).filter((s) => s.matchesProject);
    } catch {
      // sessions are a convenience here; the page still works without them
    }
    const usage = await usageSummary(p.requestLog, now());
    c.header("cache-control", "no-store");
    return c.html(
      <DashboardPage
        data={{
          base: ADMIN_PREFIX,
          csrf,
          version,
          service: options.service,
          otherSection: {
            service: other,
            configs: Object.entries(config[other].configs).map(([name, pool]) => ({
              name,
              active: config[other].active === name,
              upstreams: pool.upstreams.map((u) => u.base_url),
            })),
          },
          usage,
          sessions: sessions.map((s) => ({ id: s.id, updated: s.updated, cwd: s.cwd, prompt: s.prompt })),
          projectDir,
        }}
      />,
    );
  });

  app.get("/events", (c) => {
    c.header("cache-control", "no-store");
    return streamSSE(c, async (stream) => {
      let closed = false;
      let statusTimer: ReturnType<typeof setTimeout> | undefined;
      const sendStatus = () => {
        statusTimer = undefined;
        if (!closed) void stream.writeSSE({ event: "status", data: JSON.stringify(options.state.status()) });
      };
      // Upstream state changes with each request: one status push at most every 250 ms, plus a slow tick for timers.
      const scheduleStatus = () => {
        statusTimer ??= setTimeout(sendStatus, 250);
      };
      sendStatus();
      await stream.writeSSE({ event: "recent", data: JSON.stringify(options.state.recent()) });
      const unsubscribe = options.state.subscribe((record) => {
        if (closed) return;
        void stream.writeSSE({ event: "request", data: JSON.stringify(record) });
        scheduleStatus();
      });
      const tick = setInterval(sendStatus, 5000);
      const keepAlive = setInterval(() => void stream.write(": keep-alive\n\n"), 15_000);
      await new Promise<void>((resolve) => {
        stream.onAbort(() => {
          closed = true;
          unsubscribe();
          clearInterval(tick);
          clearInterval(keepAlive);
          if (statusTimer) clearTimeout(statusTimer);
          resolve();
        });
      });
    });
  });

  app.post("/actions/*", async (c, next) => {
    if (c.req.header(CSRF_HEADER) !== csrf) {
      return c.json({ error: { message: "codex-helper: missing or wrong page token", type: "permission_error" } }, 403);
    }
    await next();
  });

  app.post("/actions/reset", async (c) => {
    const { id } = (await c.req.json().catch(() => ({}))) as { id?: string };
    const result = options.state.reset(String(id ?? ""));
    if (!result.ok) return c.json({ error: { message: result.message, type: "not_found" } }, 404);
    return c.json({ reset: result.upstreams.map((u) => u.base_url) });
  });

  app.post("/actions/set-active", async (c) => {
    const { name } = (await c.req.json().catch(() => ({}))) as { name?: string };
    try {
      const next = await updateConfig((config) => setActive(config, options.service, String(name ?? "")));
      return c.json({ active: next[options.service].active });
    } catch (error) {
      return c.json({ error: { message: messageOf(error), type: "invalid_request_error" } }, 400);
    }
  });

  return app;
}
