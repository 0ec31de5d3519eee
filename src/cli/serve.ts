// `codex-helper serve`: bootstrap a first upstream if needed, then run the proxy (Codex, Claude or both) until stopped.
import { statSync } from "node:fs";
import { defineCommand } from "citty";
import { readClaudeSettings } from "../claude/bootstrap-source";
import { readCodexSettings } from "../codex/bootstrap-source";
import { type BootstrapResult, bootstrapCodex } from "../config/bootstrap";
import { bootstrapClaude } from "../config/bootstrap-claude";
import { loadConfig } from "../config/load";
import { updateConfig } from "../config/save";
import { activePool, type ConfigFile, type Service } from "../config/schema";
import { UserError } from "../errors";
import { paths } from "../paths";
import { isLoopbackHostName } from "../proxy/guard";
import { pointsAtSelf } from "../proxy/self-loop";
import { action } from "./action";
import { logger } from "./output";
import { relaunchWithEnv } from "./relaunch";

const DEFAULT_PORT: Record<Service, number> = { codex: 3211, claude: 3210 };

function parsePort(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`${flag}: "${value}" is not a port number`);
  return port;
}

/** config.json holds API keys: say so when group or others can read it (we write it 0600; an editor may not). */
function warnIfReadableByOthers(file: string): void {
  if (process.platform === "win32") return;
  try {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      logger.warn(`${file} is readable by others (mode ${mode.toString(8)}) and holds API keys: chmod 600 ${file}`);
    }
  } catch {
    // not there yet
  }
}

const SOURCES: Record<Service, { read: () => BootstrapResult; what: string }> = {
  codex: { read: () => bootstrapCodex(readCodexSettings()), what: "your Codex settings" },
  claude: { read: () => bootstrapClaude(readClaudeSettings()), what: "Claude Code's settings" },
};

/** First run of a service: no config for it yet, so build one from the client's own settings and save it. */
async function ensureServiceConfig(config: ConfigFile, service: Service): Promise<ConfigFile> {
  if (Object.keys(config[service].configs).length > 0) return config;
  const result = SOURCES[service].read();
  if (!result.ok) throw new UserError(result.message);
  const next = await updateConfig((current) => {
    if (Object.keys(current[service].configs).length > 0) return current;
    return { ...current, [service]: { active: result.name, configs: { [result.name]: result.pool } } };
  });
  logger.info(`bootstrapped ${service} config "${result.name}" from ${SOURCES[service].what} (${result.from})`);
  return next;
}

export default defineCommand({
  meta: { name: "serve", description: "Run the proxy (Codex on 127.0.0.1:3211; --claude: Claude Code on 3210)" },
  args: {
    port: { type: "string", description: "Port to listen on (default 3211, or 3210 with --claude)" },
    host: { type: "string", description: "Address to bind (default 127.0.0.1)", default: "127.0.0.1" },
    token: { type: "string", description: "Access token clients must present (required beyond loopback)" },
    claude: { type: "boolean", description: "Serve Claude Code (experimental) instead of Codex", default: false },
    all: { type: "boolean", description: "Serve Codex and Claude Code, each on its own port", default: false },
    "claude-port": { type: "string", description: "Claude port with --all (default 3210)" },
  },
  run: action(async ({ args }) => {
    // Bun's fetch runs at most 256 requests at once and queues the rest silently (BUN.md #1). Bun reads the limit only
    // at start-up, so when it is not set yet, serve runs again with it set.
    const relaunched = await relaunchWithEnv({ BUN_CONFIG_MAX_HTTP_REQUESTS: "65535" });
    if (relaunched !== undefined) {
      process.exitCode = relaunched;
      return;
    }
    const services: Service[] = args.all ? ["codex", "claude"] : [args.claude ? "claude" : "codex"];
    const ports: Record<Service, number> = {
      codex: parsePort("--port", args.claude && !args.all ? undefined : args.port, DEFAULT_PORT.codex),
      claude: parsePort(
        args.all ? "--claude-port" : "--port",
        args.all ? args["claude-port"] : args.port,
        DEFAULT_PORT.claude,
      ),
    };
    const hostname = args.host;
    let config = loadConfig();
    warnIfReadableByOthers(paths().config);
    for (const service of services) config = await ensureServiceConfig(config, service);
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
    const { dashboardRoutes } = await import("../dashboard/routes");
    const report = { warn: (m: string) => logger.warn(m), info: (m: string) => logger.info(m) };

    // Each service is its own proxy (config section, balancer, listener); they share only the code and the log file.
    const running = services.map((service) => {
      let adminState: ReturnType<typeof createAdminState> | undefined;
      let monitor: ReturnType<typeof startUsageMonitor> | undefined;
      let runtime: ReturnType<typeof startProxy>;
      try {
        runtime = startProxy({
          service,
          hostname,
          port: ports[service],
          config,
          accessToken,
          report,
          onUpstreamFailure: (key, status) => monitor?.onUpstreamFailure(key, status),
          // status, reset and metrics under /_codex-helper (the dashboard reads the same state).
          admin: (sources) => {
            adminState = createAdminState(sources);
            const routes = adminRoutes(adminState);
            routes.route("/", dashboardRoutes({ state: adminState, service }));
            return routes;
          },
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
          throw new UserError(`${hostname}:${ports[service]} is already in use (another codex-helper serve?)`);
        }
        throw error;
      }
      const loops = (activePool(config, service)?.upstreams ?? []).filter((u) =>
        pointsAtSelf(u.base_url, hostname, runtime.server.server.port as number),
      );
      if (loops.length > 0) {
        void runtime.stop(true);
        throw new UserError(
          `${paths().config}: ${service} upstream ${loops[0]!.base_url} points at this proxy itself (a request loop); change it or use another --port`,
        );
      }
      // Quota-aware routing: poll usage providers and mark spent upstreams (requests never wait for a poll).
      monitor = startUsageMonitor(runtime, { report });
      adminState?.setUsageSource(() => monitor?.status());
      const pool = activePool(config, service);
      logger.success(
        `codex-helper serving ${service} on ${runtime.server.url} — config "${pool?.name ?? "none"}", ${pool?.upstreams.length ?? 0} upstream(s); dashboard: ${runtime.server.url}/_codex-helper/; log: ${paths().requestLog}`,
      );
      return { runtime, monitor };
    });

    await new Promise<void>((resolve) => {
      const stopAll = (force: boolean) =>
        Promise.all(running.map(({ runtime }) => runtime.stop(force))).then(() => resolve());
      const stop = () => {
        logger.info("stopping…");
        for (const { monitor } of running) monitor.stop();
        void stopAll(false);
        // A second signal, or streams that never end: do not hang the terminal.
        setTimeout(() => void stopAll(true), 3000).unref();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  }),
});
