// `codex-helper dashboard [--port]`: open the running proxy's dashboard in the browser, or print its address.
import { defineCommand } from "citty";
import { UserError } from "../errors";
import { action } from "./action";
import { logger, printData } from "./output";

function opener(): string[] | undefined {
  if (process.platform === "darwin") return ["open"];
  if (process.platform === "win32") return ["cmd", "/c", "start", ""];
  // A headless server has no display to open a browser on.
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return undefined;
  return ["xdg-open"];
}

export default defineCommand({
  meta: { name: "dashboard", description: "Open the live dashboard of a running proxy (or print its address)" },
  args: {
    port: { type: "string", description: "Proxy port (default 3211)", default: "3211" },
    host: { type: "string", description: "Proxy address", default: "127.0.0.1" },
  },
  run: action(async ({ args }) => {
    const url = `http://${args.host}:${args.port}/_codex-helper/`;
    try {
      const res = await fetch(`http://${args.host}:${args.port}/_codex-helper/health`, {
        signal: AbortSignal.timeout(1000),
      });
      await res.body?.cancel();
    } catch {
      throw new UserError(
        `no codex-helper proxy is running on ${args.host}:${args.port} (start one: codex-helper serve)`,
      );
    }
    const command = opener();
    if (command) {
      const proc = Bun.spawn([...command, url], { stdio: ["ignore", "ignore", "ignore"] });
      if ((await proc.exited) === 0) {
        logger.success(`opened ${url}`);
        return;
      }
    }
    printData(url);
  }),
});
