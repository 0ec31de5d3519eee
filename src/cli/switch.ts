// `switch-on`, `switch-off` and `switch status`: point Codex (or, with --claude, Claude Code) at the proxy and back.
import { defineCommand } from "citty";
import { type ClaudeSwitchStatus, claudeSwitchStatus, switchOffClaude, switchOnClaude } from "../claude/switch";
import { probeProxy } from "../codex/probe-proxy";
import { type CodexSwitchStatus, codexSwitchStatus, switchOffCodex, switchOnCodex } from "../codex/switch";
import { UserError } from "../errors";
import { action } from "./action";
import { logger, printData, printJson } from "./output";

const CODEX_PORT = 3211;
const CLAUDE_PORT = 3210;

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UserError(`--port: "${value}" is not a port number`);
  return port;
}

async function hintIfNothingListens(port: number, service: "codex" | "claude"): Promise<void> {
  if ((await probeProxy(port)) === "not running") {
    const how =
      service === "codex"
        ? `start it with \`codex-helper serve --port ${port}\``
        : "start the proxy for Claude Code there";
    logger.warn(`nothing listens on port ${port} yet: ${how}`);
  }
}

export const switchOn = defineCommand({
  meta: { name: "switch-on", description: "Point Codex (or Claude Code with --claude) at the proxy" },
  args: {
    port: { type: "string", description: `Proxy port (default ${CODEX_PORT}, or ${CLAUDE_PORT} with --claude)` },
    claude: { type: "boolean", description: "Switch Claude Code's settings.json instead of Codex's config.toml" },
    force: { type: "boolean", description: "Rewrite our entries even if someone changed them since switch-on" },
  },
  run: action(async ({ args }) => {
    if (args.claude) {
      const result = await switchOnClaude({ port: parsePort(args.port, CLAUDE_PORT), force: args.force });
      if (result.backup) logger.info(`backed up the original to ${result.backup}`);
      if (result.outcome === "unchanged")
        logger.success(`Claude Code already points at the proxy on port ${result.port}`);
      else if (result.outcome === "port-changed")
        logger.success(`Claude Code now points at port ${result.port} (was ${result.previousPort}) — ${result.file}`);
      else logger.success(`Claude Code now talks to the proxy at http://127.0.0.1:${result.port} — ${result.file}`);
      if (result.placeholderToken && result.outcome === "switched")
        logger.info("set a placeholder ANTHROPIC_AUTH_TOKEN: the proxy sends the real credential upstream");
      await hintIfNothingListens(result.port, "claude");
      return;
    }
    const result = await switchOnCodex({ port: parsePort(args.port, CODEX_PORT), force: args.force });
    if (result.backup) logger.info(`backed up the original to ${result.backup}`);
    if (result.outcome === "unchanged") logger.success(`Codex already points at the proxy on port ${result.port}`);
    else if (result.outcome === "port-changed")
      logger.success(`Codex now points at port ${result.port} (was ${result.previousPort}) — ${result.file}`);
    else {
      logger.success(`Codex now talks to the proxy at http://127.0.0.1:${result.port} — ${result.file}`);
      logger.info(
        "`codex resume` lists sessions of the current provider only; `codex-helper session list` shows them all",
      );
    }
    for (const warning of result.warnings) logger.warn(warning);
    await hintIfNothingListens(result.port, "codex");
  }),
});

export const switchOff = defineCommand({
  meta: { name: "switch-off", description: "Undo switch-on exactly (Codex, or Claude Code with --claude)" },
  args: {
    claude: { type: "boolean", description: "Switch Claude Code's settings.json back instead of Codex's config.toml" },
    force: { type: "boolean", description: "Restore the backup taken at the first switch-on, byte for byte" },
  },
  run: action(async ({ args }) => {
    const who = args.claude ? "Claude Code" : "Codex";
    const result = args.claude
      ? await switchOffClaude({ force: args.force })
      : await switchOffCodex({ force: args.force });
    switch (result.outcome) {
      case "restored":
        logger.success(`${who} no longer uses the proxy; restored what was there before — ${result.file}`);
        break;
      case "deleted":
        logger.success(`${who} no longer uses the proxy; removed ${result.file}, which switch-on had created`);
        break;
      case "backup":
        logger.success(`restored ${result.file} from ${result.detail}`);
        break;
      case "not-switched":
        logger.info(`${who} is not switched to the proxy; nothing to do`);
        break;
      case "stale-state":
        logger.info(`${who} was already switched back (${result.detail}); forgot the old switch record`);
        break;
    }
  }),
});

function describeProxy(port: number | null, proxy: string | null): string {
  if (port === null) return "";
  if (proxy === "answering") return `port ${port}, proxy answering`;
  if (proxy === "no answer") return `port ${port}, something holds the port but did not answer within 1 s`;
  return `port ${port}, proxy NOT running (start it: codex-helper serve --port ${port})`;
}

function codexLine(s: CodexSwitchStatus): string {
  if (s.error) return `Codex:  ${s.error}`;
  if (s.switched_on) {
    const where =
      s.port !== null ? describeProxy(s.port, s.proxy) : `base_url ${s.base_url ?? "(none)"} is not a local port`;
    return `Codex:  switched on — ${where} (${s.file})`;
  }
  return `Codex:  not switched on — provider "${s.provider}"${s.base_url ? ` → ${s.base_url}` : ""} (${s.file}${s.exists ? "" : ", absent"})`;
}

function claudeLine(s: ClaudeSwitchStatus): string {
  if (s.error) return `Claude: ${s.error}`;
  if (s.switched_on) return `Claude: switched on — ${describeProxy(s.port, s.proxy)} (${s.file})`;
  if (s.port !== null)
    return `Claude: ANTHROPIC_BASE_URL ${s.base_url} is a local port, not set by switch-on — ${describeProxy(s.port, s.proxy)}`;
  return `Claude: not switched on${s.base_url ? ` — ANTHROPIC_BASE_URL ${s.base_url}` : ""} (${s.file}${s.exists ? "" : ", absent"})`;
}

export const switchStatus = defineCommand({
  meta: { name: "status", description: "Whether Codex and Claude Code point at the proxy, and whether it answers" },
  args: { json: { type: "boolean", description: "Print JSON" } },
  run: action(async ({ args }) => {
    const [codex, claude] = await Promise.all([codexSwitchStatus(), claudeSwitchStatus()]);
    if (args.json) {
      printJson({ codex, claude });
      return;
    }
    printData([codexLine(codex), claudeLine(claude)].join("\n"));
    for (const warning of codex.warnings) logger.warn(warning);
  }),
});

export default defineCommand({
  meta: { name: "switch", description: "Point Codex or Claude Code at the proxy: status, on, off" },
  subCommands: { status: switchStatus, on: switchOn, off: switchOff },
});
