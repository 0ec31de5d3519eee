#!/usr/bin/env bun
// Root command: meta and the lazily imported subcommand table, so `--version` and `session last` never load the server.
import { defineCommand, runMain } from "citty";
import { versionLine } from "./version";

const main = defineCommand({
  meta: {
    name: "codex-helper",
    version: versionLine(),
    description: "Local proxy and helper for the OpenAI Codex CLI (and, experimentally, Claude Code)",
  },
  subCommands: {
    serve: () => import("./cli/serve").then((m) => m.default),
    "switch-on": () => import("./cli/switch").then((m) => m.switchOn),
    "switch-off": () => import("./cli/switch").then((m) => m.switchOff),
    switch: () => import("./cli/switch").then((m) => m.default),
    session: () => import("./cli/session").then((m) => m.default),
    config: () => import("./cli/config").then((m) => m.default),
    status: () => import("./cli/status").then((m) => m.status),
    reset: () => import("./cli/status").then((m) => m.reset),
    usage: () => import("./cli/usage").then((m) => m.default),
    doctor: () => import("./cli/doctor").then((m) => m.default),
    dashboard: () => import("./cli/dashboard").then((m) => m.default),
  },
});

await runMain(main);
