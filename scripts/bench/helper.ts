// Starts the real `codex-helper serve` (the compiled binary when given, else `bun src/main.ts`) in a temp home whose
// config has one healthy upstream, a filter rule and the request log on: the full request path, as users run it.
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { drain } from "./procs";

export const FILTER_NEEDLE = "secret-project-name";

export interface RunningHelper {
  url: string;
  child: Subprocess;
  env: Record<string, string>;
  logFile: string;
  command: string;
  logBytes(): number;
}

export function homeEnv(root: string): Record<string, string> {
  const home = join(root, "home");
  return {
    HOME: home,
    CODEX_HOME: join(home, ".codex"),
    CODEX_HELPER_HOME: join(home, ".codex-proxy"),
    CLAUDE_CONFIG_DIR: join(home, ".claude"),
  };
}

export async function startHelper(
  root: string,
  upstreamUrl: string,
  binary: string | undefined,
): Promise<RunningHelper> {
  const env = homeEnv(root);
  mkdirSync(env.CODEX_HELPER_HOME!, { recursive: true });
  mkdirSync(env.CODEX_HOME!, { recursive: true });
  await Bun.write(
    join(env.CODEX_HELPER_HOME!, "config.json"),
    JSON.stringify({
      codex: {
        active: "bench",
        configs: {
          bench: {
            name: "bench",
            upstreams: [{ base_url: `${upstreamUrl}/v1`, auth: { auth_token: "sk-bench-not-a-real-key" } }],
          },
        },
      },
    }),
  );
  // A literal rule that matches every benchmark body: the filter parses, rewrites and re-serialises each one.
  await Bun.write(
    join(env.CODEX_HELPER_HOME!, "filter.json"),
    JSON.stringify([{ op: "replace", source: FILTER_NEEDLE, target: "project" }]),
  );
  const argv = binary ? [binary] : ["bun", join(import.meta.dir, "../../src/main.ts")];
  const child = Bun.spawn([...argv, "serve", "--port", "0"], {
    env: { ...process.env, ...env, NO_COLOR: "1" },
    stdout: "ignore",
    stderr: "pipe",
  });
  const output = drain(child.stderr);
  const match = await output.waitFor(/http:\/\/127\.0\.0\.1:\d+/, 15_000);
  const logFile = join(env.CODEX_HELPER_HOME!, "logs", "requests.jsonl");
  return {
    url: match[0],
    child,
    env,
    logFile,
    command: argv.map((a) => a.replace(/^.*\/(src\/main\.ts)$/, "$1")).join(" "),
    logBytes: () => {
      try {
        return statSync(logFile).size;
      } catch {
        return 0;
      }
    },
  };
}

/** What the request log says about the run: lines, lines with tapped usage, failures (client hang-ups aside). */
export function logSummary(file: string): { lines: number; withUsage: number; errors: number; firstError?: string } {
  const summary: { lines: number; withUsage: number; errors: number; firstError?: string } = {
    lines: 0,
    withUsage: 0,
    errors: 0,
  };
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return summary;
  }
  for (const line of text.split("\n")) {
    if (line === "") continue;
    summary.lines++;
    const record = JSON.parse(line) as { usage?: unknown; error?: string; client_aborted?: boolean };
    if (record.usage) summary.withUsage++;
    if (record.error && !record.client_aborted) {
      summary.errors++;
      summary.firstError ??= record.error;
    }
  }
  return summary;
}
