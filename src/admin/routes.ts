// Admin routes under /_codex-helper (status JSON, upstream reset, Prometheus metrics), reading the one admin state.
import { Hono } from "hono";
import type { AdminState } from "./state";

export function adminRoutes(state: AdminState): Hono {
  const app = new Hono();

  app.get("/status", (c) => {
    c.header("cache-control", "no-store");
    return c.json(state.status());
  });

  app.get("/metrics", (c) => {
    c.header("cache-control", "no-store");
    return c.body(state.metrics(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });

  app.post("/upstreams/:id/reset", (c) => {
    const result = state.reset(c.req.param("id"));
    if (!result.ok) return c.json({ error: { message: result.message, type: "not_found" } }, 404);
    return c.json({ reset: result.upstreams });
  });

  return app;
}
