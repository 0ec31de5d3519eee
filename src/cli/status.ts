// `codex-helper status [--port] [--json]` and `codex-helper reset UPSTREAM [--port]`: a running proxy's live state.
import { defineCommand } from "citty";
import { type AdminTarget, DEFAULT_PORT, fetchStatus, resetUpstream } from "../admin/client";
import { renderStatus } from "../admin/status-table";
import { loadConfig } from "../config/load";
import { UserError } from "../errors";
import { action } from "./action";
import { logger, printData, printJson } from "./output";

const targetArgs = {
  port: { type: "string", description: `Port of the proxy (default ${DEFAULT_PORT})` },
  host: { type: "string", description: "Address of the proxy (default 127.0.0.1)", default: "127.0.0.1" },
} as const;

/** The proxy's access token, if the user has one: the environment first, then config.json (a bad file: none). */
function accessToken(): string | undefined {
  if (process.env.CODEX_HELPER_TOKEN) return process.env.CODEX_HELPER_TOKEN;
  try {
    return loadConfig().settings?.access_token;
  } catch {
    return undefined;
  }
}

export function adminTarget(args: { port?: string; host?: string }): AdminTarget {
  const port = args.port === undefined || args.port === "" ? DEFAULT_PORT : Number(args.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new UserError(`--port: "${args.port}" is not a port number`);
  return { host: args.host ?? "127.0.0.1", port, token: accessToken() };
}

export const status = defineCommand({
  meta: { name: "status", description: "Show the running proxy's upstreams, cooldowns and counters" },
  args: { ...targetArgs, json: { type: "boolean", description: "Print JSON", default: false } },
  run: action(async ({ args }) => {
    const snapshot = await fetchStatus(adminTarget(args));
    if (args.json) printJson(snapshot);
    else printData(renderStatus(snapshot));
  }),
});

export const reset = defineCommand({
  meta: { name: "reset", description: "Clear an upstream's cooldown (by #, base URL or key as shown by status)" },
  args: {
    upstream: { type: "positional", required: true, description: "Upstream # (from status), base URL or key" },
    ...targetArgs,
  },
  run: action(async ({ args }) => {
    const result = await resetUpstream(adminTarget(args), args.upstream);
    for (const u of result.upstreams)
      logger.success(`upstream #${u.index} ${u.base_url}: cooldown cleared, ${u.state}`);
  }),
});

export default status;
