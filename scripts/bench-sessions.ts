// `bun scripts/bench-sessions.ts [--sessions 20000] [--big 1%] [--big-mb 10] [--runs 20] [--binary PATH]`: a synthetic
// Codex history, then wall time and peak RSS of `session last` and `session list` (compiled binary when given).
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, utimesSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sessionLines } from "../tests/fixtures/session-files";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "20000" },
    big: { type: "string", default: "0.01" },
    "big-mb": { type: "string", default: "10" },
    runs: { type: "string", default: "20" },
    binary: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const count = Number(values.sessions);
const bigEvery = Math.max(1, Math.round(1 / Number(values.big)));
const bigBytes = Number(values["big-mb"]) * 1024 * 1024;
const runs = Number(values.runs);
const root = mkdtempSync(join(tmpdir(), "codex-helper-sessions-bench-"));
const codexHome = join(root, "codex");
const project = join(root, "projects", "target");
mkdirSync(project, { recursive: true });

const t0 = performance.now();
const now = Date.now();
const filler = `${JSON.stringify({ type: "event_msg", payload: { type: "agent_reasoning", text: "r".repeat(4000) } })}\n`;
for (let i = 0; i < count; i++) {
  const mtime = now - i * 60_000;
  const day = new Date(mtime).toISOString().slice(0, 10);
  const [y, m, d] = day.split("-");
  const dir = join(codexHome, "sessions", y!, m!, d!);
  mkdirSync(dir, { recursive: true });
  // The target project's newest session sits deep in the history: `last` must look past 15,000 others.
  const cwd = i === Math.floor(count * 0.75) ? project : join(root, "projects", `p${i % 300}`);
  const id = `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`;
  const path = join(dir, `rollout-${day}T00-00-00-${id}.jsonl`);
  const fd = openSync(path, "w");
  writeSync(
    fd,
    `${sessionLines({ id, cwd, prompts: [`task number ${i}`], mtime, instructionsBytes: 14_000 }).join("\n")}\n`,
  );
  if (i % bigEvery === 0) for (let written = 0; written < bigBytes; written += filler.length) writeSync(fd, filler);
  closeSync(fd);
  utimesSync(path, mtime / 1000, mtime / 1000);
}
console.log(
  `history: ${count} sessions (${Math.ceil(count / bigEvery)} of ${values["big-mb"]} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const command = values.binary ? [values.binary] : ["bun", join(import.meta.dir, "../src/main.ts")];
const env = { ...process.env, CODEX_HOME: codexHome, NODE_ENV: "production" };

function measure(args: string[]): { p50: number; p90: number; rssMb: number } {
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const proc = Bun.spawnSync([...command, ...args], { cwd: project, env, stdout: "pipe", stderr: "pipe" });
    times.push(performance.now() - start);
    rss = Math.max(rss, (proc.resourceUsage?.maxRSS ?? 0) / (1024 * 1024));
    if (proc.exitCode !== 0) throw new Error(`${args.join(" ")} failed: ${proc.stderr.toString()}`);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(runs / 2)]!, p90: times[Math.floor(runs * 0.9)]!, rssMb: rss };
}

for (const args of [
  ["session", "last"],
  ["session", "list"],
  ["session", "list", "--all"],
]) {
  const r = measure(args);
  console.log(
    `${args.join(" ").padEnd(22)} p50 ${r.p50.toFixed(0)} ms  p90 ${r.p90.toFixed(0)} ms  peak RSS ${r.rssMb.toFixed(0)} MB  (${runs} runs, ${values.binary ? "compiled binary" : "bun src/main.ts"})`,
  );
}
if (!values.keep) rmSync(root, { recursive: true, force: true });
else console.log(`kept: ${root}`);
