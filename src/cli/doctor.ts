// `codex-helper doctor [--port] [--json]`: checks the setup end to end, ✓/✗ with a one-line fix each; exit 1 on a problem.
import { defineCommand } from "citty";
import { renderChecks } from "../doctor/checks";
import { runDoctor } from "../doctor/run";
import { UserError } from "../errors";
import { action } from "./action";
import { printData, printJson } from "./output";
import { progress } from "./progress";

export default defineCommand({
  meta: { name: "doctor", description: "Check Codex's config, the proxy, config.json, upstreams, tokens, permissions" },
  args: {
    port: { type: "string", description: "Proxy port to check (default: the one Codex points at, else 3211)" },
    json: { type: "boolean", description: "Print JSON", default: false },
  },
  run: action(async ({ args }) => {
    const port = args.port === undefined ? undefined : Number(args.port);
    if (port !== undefined && (!Number.isInteger(port) || port <= 0 || port > 65535)) {
      throw new UserError(`--port: "${args.port}" is not a port number`);
    }
    const bar = progress();
    const results = await runDoctor({
      env: process.env,
      port,
      now: Date.now,
      fetch,
      platform: process.platform,
      onProgress: (text) => bar.update(text),
    });
    bar.done();
    if (args.json) printJson(results);
    else printData(renderChecks(results));
    if (results.some((r) => r.status === "fail")) process.exitCode = 1;
  }),
});
