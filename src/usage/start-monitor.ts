// Starts usage polling for a running proxy: loads usage_providers.json (creating the default), reports bad entries.
import { messageOf } from "../errors";
import { paths } from "../paths";
import type { ProxyRuntime } from "../proxy/runtime";
import { UsageMonitor } from "./poller";
import { loadProviders } from "./providers-file";

export interface MonitorOptions {
  report: { warn(message: string): void; info(message: string): void };
  env?: Record<string, string | undefined>;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  now?: () => number;
  pollTimeoutMs?: number;
}

/** A broken usage_providers.json costs quota-awareness, never serving: problems are reported and skipped. */
export function startUsageMonitor(
  runtime: Pick<ProxyRuntime, "pool" | "balancer">,
  options: MonitorOptions,
): UsageMonitor {
  const env = options.env ?? process.env;
  let providers: ReturnType<typeof loadProviders>["providers"] = [];
  try {
    const loaded = loadProviders(paths(env).usageProviders);
    providers = loaded.providers;
    for (const problem of loaded.problems) options.report.warn(`${problem} (this provider is not polled)`);
  } catch (error) {
    options.report.warn(`${messageOf(error)} (no usage provider is polled; the file is left as it is)`);
  }
  const monitor = new UsageMonitor({
    providers,
    upstreams: () => runtime.pool().entries,
    balancer: runtime.balancer,
    fetch: options.fetch ?? fetch,
    now: options.now ?? Date.now,
    env,
    report: options.report.info,
    pollTimeoutMs: options.pollTimeoutMs,
  });
  monitor.start();
  return monitor;
}
