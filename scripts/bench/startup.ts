// Start-up of the compiled binary (`--version`, `session last`) and the sessions helper's scan figures.
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { percentile } from "./stats";

const ROOT = join(import.meta.dir, "../..");

export interface Binary {
  path: string;
  how: string;
}

/** A linux-x64 binary: `scripts/build.ts --only linux-x64` when it exists, else `bun build --compile` directly. */
export async function buildBinary(outdir: string): Promise<Binary> {
  mkdirSync(outdir, { recursive: true });
  if (existsSync(join(ROOT, "scripts/build.ts"))) {
    const run = Bun.spawnSync(["bun", join(ROOT, "scripts/build.ts"), "--only", "linux-x64", "--outdir", outdir], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
    });
    const built = readdirSync(outdir).find((name) => name.startsWith("codex-helper-") && name.endsWith("linux-x64"));
    if (run.exitCode === 0 && built) {
      return { path: join(outdir, built), how: "scripts/build.ts --only linux-x64" };
    }
  }
  const outfile = join(outdir, "codex-helper");
  const run = Bun.spawnSync(
    [
      "bun",
      "build",
      "--compile",
      "--minify",
      "--no-compile-autoload-dotenv",
      "--no-compile-autoload-bunfig",
      join(ROOT, "src/main.ts"),
      "--outfile",
      outfile,
    ],
    { cwd: ROOT, stdout: "pipe", stderr: "pipe" },
  );
  if (run.exitCode !== 0) throw new Error(`bun build --compile failed: ${run.stderr.toString().trim()}`);
  return { path: outfile, how: "bun build --compile --minify" };
}

/** A Codex home with `count` small rollout files (first line session_meta, then a user message), mtimes spread. */
export async function writeFakeSessions(codexHome: string, count: number, cwd: string): Promise<void> {
  const day = join(codexHome, "sessions", "2026", "11", "25");
  mkdirSync(day, { recursive: true });
  const now = Date.now() / 1000;
  for (let i = 0; i < count; i++) {
    const id = `0199aaaa-bbbb-7ccc-8ddd-${String(i).padStart(12, "0")}`;
    const stamp = `2026-11-25T01-${String(Math.floor(i / 60) % 60).padStart(2, "0")}-${String(i % 60).padStart(2, "0")}`;
    const file = join(day, `rollout-${stamp}-${id}.jsonl`);
    const meta = {
      timestamp: "2026-11-25T01:00:00.000Z",
      type: "session_meta",
      payload: {
        id,
        timestamp: "2026-11-25T01:00:00.000Z",
        cwd,
        originator: "codex_exec",
        cli_version: "0.169.0",
        source: "exec",
        model_provider: "codex_proxy",
        base_instructions: { text: "You are Codex. ".repeat(400) },
      },
    };
    const prompt = {
      timestamp: "2026-11-25T01:00:01.000Z",
      type: "event_msg",
      payload: { type: "user_message", message: `benchmark prompt number ${i}` },
    };
    await Bun.write(file, `${JSON.stringify(meta)}\n${JSON.stringify(prompt)}\n`);
    utimesSync(file, now - (count - i), now - (count - i));
  }
}

export interface StartupFigure {
  p50: number;
  p99: number;
  runs: number;
  /** Set when the command failed (e.g. not in this build yet). */
  failure?: string;
}

/** Wall time of `binary ...args` from spawn to exit, as a user's shell sees it. */
export function timeCommand(
  argv: string[],
  env: Record<string, string | undefined>,
  runs: number,
  cwd: string,
): StartupFigure {
  const ms: number[] = [];
  for (let i = -1; i < runs; i++) {
    const t0 = performance.now();
    const run = Bun.spawnSync(argv, { env, cwd, stdout: "pipe", stderr: "pipe" });
    const elapsed = performance.now() - t0;
    if (run.exitCode !== 0) {
      const why = (run.stderr.toString().trim() || run.stdout.toString().trim()).split("\n")[0] ?? "";
      return { p50: Number.NaN, p99: Number.NaN, runs: 0, failure: `exit ${run.exitCode}: ${why.slice(0, 120)}` };
    }
    if (i >= 0) ms.push(elapsed);
  }
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), runs };
}

/** Runs scripts/bench-sessions.ts (the sessions helper's scan benchmark) when present; its Markdown output as is. */
export function sessionScanReport(quick: boolean): string | undefined {
  const script = join(ROOT, "scripts/bench-sessions.ts");
  if (!existsSync(script) || !statSync(script).isFile()) return undefined;
  const run = Bun.spawnSync(["bun", script, ...(quick ? ["--quick"] : [])], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (run.exitCode !== 0) {
    return `scripts/bench-sessions.ts failed (exit ${run.exitCode}): ${run.stderr.toString().trim().split("\n")[0]}`;
  }
  return run.stdout.toString().trim();
}
