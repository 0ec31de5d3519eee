// `codex-helper serve`: bootstrap a first upstream if needed, then run the proxy until interrupted.
import { defineCommand } from "citty";
import { readCodexSettings } from "../codex/bootstrap-source";
import { bootstrapCodex } from "../config/bootstrap";
import { loadConfig } from "../config/load";
import { updateConfig } from "../config/save";
import { activePool, type ConfigFile } from "../config/schema";
import { UserError } from "../errors";
import { paths } from "../paths";
import { isLoopbackHostName } from "../proxy/guard";
import { action } from "./action";
import { logger } from "./output";
import { relaunchWithEnv } from "./relaunch";

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`--port: "${value}" is not a port number`);
  return port;
}

/** First run: no Codex config yet, so build one from the user's own Codex settings and save it. */
async function ensureCodexConfig(config: ConfigFile): Promise<ConfigFile> {
  if (Object.keys(config.codex.configs).length > 0) return config;
  const result = bootstrapCodex(readCodexSettings());
  if (!result.ok) throw new UserError(result.message);
  const next = await updateConfig((current) => {
    if (Object.keys(current.codex.configs).length > 0) return current;
    return { ...current, codex: { active: result.name, configs: { [result.name]: result.pool } } };
  });
  logger.info(`bootstrapped codex config "${result.name}" from your Codex settings (key from ${result.from})`);
  return next;
}

export default defineCommand({
  meta: { name: "serve", description: "Run the proxy (Codex on 127.0.0.1:3211 by default)" },
  args: {
    port: { type: "string", description: "Port to listen on (default 3211)" },
    host: { type: "string", description: "Address to bind (default 127.0.0.1)", default: "127.0.0.1" },
    token: { type: "string", description: "Access token clients must present (required beyond loopback)" },
  },
  run: action(async ({ args }) => {
    // Bun's fetch runs at most 256 requests at once and queues the rest silently (BUN.md #1). Bun reads the limit only
    // at start-up, so when it is not set yet, serve runs as a child process that has it.
    const relaunched = await relaunchWithEnv({ BUN_CONFIG_MAX_HTTP_REQUESTS: "65535" });
    if (relaunched !== undefined) {
      process.exitCode = relaunched;
      return;
    }
    const port = parsePort(args.port, 3211);
    const hostname = args.host;
    const config = await ensureCodexConfig(loadConfig());
    const accessToken = args.token ?? process.env.CODEX_HELPER_TOKEN ?? config.settings?.access_token;
    if (!isLoopbackHostName(hostname) && !accessToken) {
      throw new UserError(
        `refusing to listen on ${hostname} without an access token: pass --token, set CODEX_HELPER_TOKEN, or settings.access_token in ${paths().config}`,
      );
    }
    const { startProxy } = await import("../proxy/runtime");
    const { createAdminState } = await import("../admin/state");
    const { adminRoutes } = await import("../admin/routes");
    const { startUsageMonitor } = await import("../usage/start-monitor");
    const report = { warn: (m: string) => logger.warn(m), info: (m: string) => logger.info(m) };
    let adminState: ReturnType<typeof createAdminState> | undefined;
    let monitor: ReturnType<typeof startUsageMonitor> | undefined;
    let runtime: ReturnType<typeof startProxy>;
    try {
      runtime = startProxy({
        onUpstreamFailure: (key, status) => monitor?.onUpstreamFailure(key, status),
        service: "codex",
        hostname,
        port,
        config,
        accessToken,
        report: { warn: (m) => logger.warn(m), info: (m) => logger.info(m) },
        // status, reset and metrics under /_codex-helper (the dashboard reads the same state).
        admin: (sources) => {
          adminState = createAdminState(sources);
          return adminRoutes(adminState);
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE")
        throw new UserError(`${hostname}:${port} is already in use (another codex-helper serve?)`);
      throw error;
    }
    // Quota-aware routing: poll usage providers and mark spent upstreams (requests never wait for a poll).
    monitor = startUsageMonitor(runtime, { report });
    adminState?.setUsageSource(() => monitor?.status());
    const pool = activePool(config, "codex");
    logger.success(
      `codex-helper serving codex on ${runtime.server.url} — config "${pool?.name ?? "none"}", ${pool?.upstreams.length ?? 0} upstream(s); log: ${paths().requestLog}`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        logger.info("stopping…");
        monitor?.stop();
        void runtime.stop(false).then(resolve);
        // A second signal, or streams that never end: do not hang the terminal.
        setTimeout(() => void runtime.stop(true).then(resolve), 3000).unref();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  }),
});
