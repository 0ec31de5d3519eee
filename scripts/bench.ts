// `bun run bench`: direct vs codex-helper vs nginx in front of a fake streaming upstream, interleaved, into BENCHMARKS.md.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Subprocess } from "bun";
import type { BodyResult, StreamResult } from "./bench/client";
import { FILTER_NEEDLE, logSummary, type RunningHelper, startHelper } from "./bench/helper";
import { nginxBinary, type RunningNginx, startNginx } from "./bench/nginx";
import { childPids, cpuMs, drain, rssMb, runClient, stopChild } from "./bench/procs";
import { type PathName, type Results, renderReport, replaceSection } from "./bench/report";
import { buildBinary, sessionScanReport, timeCommand, writeFakeSessions } from "./bench/startup";
import { percentile, sum } from "./bench/stats";
import { runWrk, type WrkResult, writeWrkScript, wrkAvailable } from "./bench/wrk";

const ROOT = join(import.meta.dir, "..");
const USAGE = `usage: bun run bench [--quick] [--no-nginx] [--source] [--no-write] [--events N] [--bytes N] [--gap MS]

  --quick      about a minute: fewer rounds and samples (figures noisier)
  --no-nginx   skip the nginx path
  --source     run \`bun src/main.ts serve\` instead of the compiled binary
  --no-write   print the tables, leave BENCHMARKS.md alone
  --events, --bytes, --gap   shape of the paced streams (default 50 events of ~300 bytes, 10 ms apart)`;

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "no-nginx": { type: "boolean", default: false },
    source: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    events: { type: "string" },
    bytes: { type: "string" },
    gap: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

const quick = flags.quick;
const profile = {
  rounds: quick ? 1 : 3,
  c1Streams: quick ? 100 : 300,
  c64Streams: quick ? 128 : 256,
  floodStreams: quick ? 64 : 128,
  wrkSeconds: quick ? 2 : 5,
  wrk1Seconds: quick ? 1 : 3,
  openStreams: 1000,
  leakRequests: quick ? 20_000 : 100_000,
  bodies: quick
    ? [
        { bytes: 1024, samples: 40 },
        { bytes: 300 * 1024, samples: 15 },
        { bytes: 5 * 1024 * 1024, samples: 5 },
      ]
    : [
        { bytes: 1024, samples: 200 },
        { bytes: 300 * 1024, samples: 60 },
        { bytes: 5 * 1024 * 1024, samples: 15 },
      ],
  startupRuns: quick ? 5 : 20,
};
const paced = {
  events: Number(flags.events ?? 50),
  bytes: Number(flags.bytes ?? 300),
  gap: Number(flags.gap ?? 10),
};
// c=1 time to first event: short streams so hundreds of samples fit in seconds (the first event does not wait for them).
const short = { events: 5, bytes: paced.bytes, gap: 1 };
const flood = { events: 200, bytes: paced.bytes, gap: 0 };
const open = { events: 40, bytes: paced.bytes, gap: 50 };

const log = (message: string) => process.stderr.write(`${message}\n`);
const root = mkdtempSync(join(tmpdir(), "codex-helper-bench-"));
const children: Subprocess[] = [];
const startedAt = performance.now();

interface Target {
  name: PathName;
  url: string;
  /** Processes whose CPU and memory count as this path's proxy (the upstream for direct). */
  pids(): number[];
}

function streamUrl(base: string, shape: { events: number; bytes: number; gap: number }): string {
  return `${base}/v1/responses?events=${shape.events}&bytes=${shape.bytes}&gap=${shape.gap}`;
}

/** The value stored under a path's name, created on first use. */
function entry<T>(table: Partial<Record<PathName, T>>, name: PathName, create: () => T): T {
  const existing = table[name];
  if (existing !== undefined) return existing;
  const made = create();
  table[name] = made;
  return made;
}

function cpuOf(target: Target): number {
  return sum(target.pids().map(cpuMs));
}

function rssOf(target: Target): number {
  return sum(target.pids().map(rssMb));
}

/** Rotates the order of the paths every round, so no path always runs first (or right after another). */
function rotated<T>(list: T[], round: number): T[] {
  const k = round % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

async function startUpstream(): Promise<{ url: string; child: Subprocess }> {
  const child = Bun.spawn(["bun", join(import.meta.dir, "bench/upstream.ts")], { stdout: "pipe", stderr: "inherit" });
  children.push(child);
  const out = drain(child.stdout);
  const match = await out.waitFor(/\{"port":(\d+)\}/, 10_000);
  return { url: `http://127.0.0.1:${match[1]}`, child };
}

async function main(): Promise<void> {
  if (!wrkAvailable())
    throw new Error("wrk not found: apt-get install -y wrk (the throughput part needs a real load generator)");
  const notes: string[] = [];

  log("building the compiled binary…");
  let binary: Awaited<ReturnType<typeof buildBinary>> | undefined;
  try {
    binary = await buildBinary(join(root, "dist"));
  } catch (error) {
    notes.push(`compiled binary: build failed (${(error as Error).message.split("\n")[0]}); start-up not measured`);
  }

  const upstream = await startUpstream();
  const helper: RunningHelper = await startHelper(root, upstream.url, flags.source ? undefined : binary?.path);
  children.push(helper.child);
  let nginx: RunningNginx | undefined;
  if (flags["no-nginx"]) notes.push("nginx: skipped (--no-nginx)");
  else if (!nginxBinary()) notes.push("nginx: not installed (apt-get install -y nginx-light), its column is empty");
  else {
    try {
      nginx = await startNginx(join(root, "nginx"), Number(new URL(upstream.url).port));
      children.push(nginx.child);
    } catch (error) {
      notes.push(`nginx: could not start (${(error as Error).message.split("\n")[0]})`);
    }
  }

  const targets: Target[] = [
    { name: "direct", url: upstream.url, pids: () => [upstream.child.pid] },
    // `serve` may relaunch itself as a child (to set BUN_CONFIG_MAX_HTTP_REQUESTS): count both processes.
    { name: "codex-helper", url: helper.url, pids: () => [helper.child.pid, ...childPids(helper.child.pid)] },
  ];
  if (nginx) {
    const n = nginx;
    targets.push({ name: "nginx", url: n.url, pids: () => n.pids() });
  }
  const proxies = targets.filter((t) => t.name !== "direct");
  const env = { ...process.env };

  await Bun.sleep(1000);
  const results: Results = {
    meta: {
      date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? "?",
      kernel: release(),
      bun: Bun.version,
      nginx: nginx?.version,
      wrk: Bun.spawnSync(["wrk", "-v"]).stdout.toString().split("\n")[0]?.split(" [")[0]?.trim() ?? "wrk",
      mode: quick ? "quick" : "full",
      commit: Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: ROOT }).stdout.toString().trim(),
      helperCommand: helper.command,
      binaryHow: binary?.how,
      durationS: 0,
      notes,
      paced,
      short,
      flood,
      open,
      rounds: profile.rounds,
    },
    paths: targets.map((t) => t.name),
    ttfe1: {},
    ttfe64: {},
    ttfe64burst: {},
    full64: {},
    flood64: {},
    wrk1: {},
    wrk32: {},
    cpu: {},
    rss: {},
    bodies: {},
  };
  for (const p of proxies) results.rss[p.name] = { idle: rssOf(p) };
  const helperChildren = childPids(helper.child.pid);
  if (helperChildren.length > 0) {
    results.rss["codex-helper"]!.wrapperIdle = rssMb(helper.child.pid);
    notes.push(
      `codex-helper runs as two processes (serve relaunches itself with BUN_CONFIG_MAX_HTTP_REQUESTS set); CPU and RSS are the sum of both`,
    );
  }

  // 1. Time to first event, one stream at a time, then 64 at once (paced streams, as a model answers).
  const c1: Partial<Record<PathName, StreamResult[]>> = {};
  const c64: Partial<Record<PathName, StreamResult[]>> = {};
  const c64b: Partial<Record<PathName, StreamResult[]>> = {};
  const streamCpu: Partial<Record<PathName, { ms: number; streams: number }>> = {};
  for (let round = 0; round < profile.rounds; round++) {
    for (const t of rotated(targets, round)) {
      log(`round ${round + 1}/${profile.rounds}: ${t.name}: 1 stream × ${profile.c1Streams}`);
      const r1 = await runClient<StreamResult>(
        {
          mode: "stream",
          url: streamUrl(t.url, short),
          concurrency: 1,
          total: profile.c1Streams,
          warmup: 20,
          expectEvents: short.events,
        },
        env,
      );
      entry(c1, t.name, () => []).push(r1);
    }
    for (const burst of [false, true]) {
      for (const t of rotated(targets, round)) {
        log(
          `round ${round + 1}/${profile.rounds}: ${t.name}: 64 streams × ${profile.c64Streams / 64}, ${burst ? "burst" : "steady"}`,
        );
        const cpu0 = cpuOf(t);
        const r64 = await runClient<StreamResult>(
          {
            mode: "stream",
            url: streamUrl(t.url, paced),
            concurrency: 64,
            total: profile.c64Streams,
            warmup: 64,
            expectEvents: paced.events,
            // Steady: starts spread over one stream's length, as 64 busy sessions would; burst: all 64 in the same ms.
            staggerMs: burst ? 0 : paced.events * paced.gap,
          },
          env,
        );
        const cpu = cpuOf(t) - cpu0;
        const acc = entry(streamCpu, t.name, () => ({ ms: 0, streams: 0 }));
        // Warm-up streams ran through the proxy too.
        acc.ms += cpu;
        acc.streams += profile.c64Streams + 64;
        entry(burst ? c64b : c64, t.name, () => []).push(r64);
      }
    }
  }
  const fl: Partial<Record<PathName, StreamResult[]>> = {};
  for (let round = 0; round < profile.rounds; round++) {
    for (const t of rotated(targets, round)) {
      log(`round ${round + 1}/${profile.rounds}: ${t.name}: 64 unpaced streams (events/s capacity)`);
      const r = await runClient<StreamResult>(
        {
          mode: "stream",
          url: streamUrl(t.url, flood),
          concurrency: 64,
          total: profile.floodStreams,
          warmup: 0,
          expectEvents: flood.events,
        },
        env,
      );
      entry(fl, t.name, () => []).push(r);
    }
  }
  for (const t of targets) {
    const one = c1[t.name] ?? [];
    const many = c64[t.name] ?? [];
    const fls = fl[t.name] ?? [];
    const ttfe1 = one.flatMap((r) => r.ttfeMs);
    const ttfe64 = many.flatMap((r) => r.ttfeMs);
    const burst = c64b[t.name] ?? [];
    const ttfe64b = burst.flatMap((r) => r.ttfeMs);
    const total64 = many.flatMap((r) => r.totalMs);
    const errors = [...one, ...many, ...burst, ...fls].flatMap((r) => r.errors);
    if (errors.length > 0) notes.push(`${t.name}: ${errors.length} stream errors (first: ${errors[0]})`);
    results.ttfe1[t.name] = { p50: percentile(ttfe1, 50), p99: percentile(ttfe1, 99), n: ttfe1.length };
    results.ttfe64[t.name] = { p50: percentile(ttfe64, 50), p99: percentile(ttfe64, 99), n: ttfe64.length };
    results.ttfe64burst[t.name] = { p50: percentile(ttfe64b, 50), p99: percentile(ttfe64b, 99), n: ttfe64b.length };
    results.full64[t.name] = {
      p50: percentile(total64, 50),
      p99: percentile(total64, 99),
      eventsPerS: sum(many.map((r) => r.events)) / (sum(many.map((r) => r.wallMs)) / 1000),
      lost: sum(many.map((r) => r.lostEvents)),
    };
    results.flood64[t.name] = {
      eventsPerS: sum(fls.map((r) => r.events)) / (sum(fls.map((r) => r.wallMs)) / 1000),
      lost: sum(fls.map((r) => r.lostEvents)),
    };
    const sc = streamCpu[t.name];
    results.cpu[t.name] = { perStreamMs: sc ? sc.ms / sc.streams : Number.NaN, perRequestUs: Number.NaN };
  }

  // 2. Small JSON with wrk: latency at 1 connection, throughput and CPU per request at 32.
  const script = await writeWrkScript(root);
  const w1: Partial<Record<PathName, WrkResult[]>> = {};
  const w32: Partial<Record<PathName, WrkResult[]>> = {};
  const reqCpu: Partial<Record<PathName, { ms: number; requests: number }>> = {};
  for (let round = 0; round < profile.rounds; round++) {
    for (const t of rotated(targets, round)) {
      log(`round ${round + 1}/${profile.rounds}: ${t.name}: wrk 1 connection, ${profile.wrk1Seconds} s`);
      entry(w1, t.name, () => []).push(await runWrk(`${t.url}/v1/small`, script, 1, profile.wrk1Seconds));
    }
    for (const t of rotated(targets, round)) {
      log(`round ${round + 1}/${profile.rounds}: ${t.name}: wrk 32 connections, ${profile.wrkSeconds} s`);
      const cpu0 = cpuOf(t);
      const r = await runWrk(`${t.url}/v1/small`, script, 32, profile.wrkSeconds);
      const acc = entry(reqCpu, t.name, () => ({ ms: 0, requests: 0 }));
      acc.ms += cpuOf(t) - cpu0;
      acc.requests += r.requests;
      entry(w32, t.name, () => []).push(r);
    }
  }
  for (const t of targets) {
    const ones = w1[t.name] ?? [];
    const many = w32[t.name] ?? [];
    // wrk gives percentiles per run: the median run's figure, not a pooled percentile.
    results.wrk1[t.name] = {
      p50: percentile(
        ones.map((r) => r.p50),
        50,
      ),
      p99: percentile(
        ones.map((r) => r.p99),
        50,
      ),
    };
    results.wrk32[t.name] = {
      rps: sum(many.map((r) => r.requests)) / sum(many.map((r) => r.seconds)),
      errors: sum([...ones, ...many].map((r) => r.errors)),
    };
    const rc = reqCpu[t.name];
    results.cpu[t.name]!.perRequestUs = rc ? (rc.ms * 1000) / rc.requests : Number.NaN;
  }

  // 4. Memory with 1,000 streams open at once (before the large bodies, whose garbage would blur it).
  for (const t of proxies) {
    log(`${t.name}: ${profile.openStreams} concurrent open streams`);
    results.rss[t.name]!.beforeOpen = rssOf(t);
    let peak = rssOf(t);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(t));
    }, 100);
    const r = await runClient<StreamResult>(
      {
        mode: "stream",
        url: streamUrl(t.url, open),
        concurrency: profile.openStreams,
        total: profile.openStreams,
        warmup: 0,
        expectEvents: open.events,
        verify: true,
      },
      env,
    );
    clearInterval(sampler);
    const m = results.rss[t.name]!;
    m.open = peak;
    m.openLost = r.lostEvents + r.errors.length * open.events;
    m.openReordered = r.reordered;
    m.openTtfeP99 = percentile(r.ttfeMs, 99);
    if (r.errors.length > 0)
      notes.push(`${t.name}: ${r.errors.length} of 1,000 open streams failed (first: ${r.errors[0]})`);
  }
  // 3. Request bodies with the filter rule matching (parse, rewrite, serialise), sequential.
  const bodyRuns: Partial<Record<PathName, BodyResult[]>> = {};
  for (let round = 0; round < profile.rounds; round++) {
    for (const t of rotated(targets, round)) {
      log(`round ${round + 1}/${profile.rounds}: ${t.name}: request bodies 1 KB / 300 KB / 5 MB`);
      const r = await runClient<BodyResult>(
        { mode: "body", url: `${t.url}/v1/small`, sizes: profile.bodies, needle: FILTER_NEEDLE },
        env,
      );
      if (r.errors.length > 0) notes.push(`${t.name}: ${r.errors.length} body errors (first: ${r.errors[0]})`);
      entry(bodyRuns, t.name, () => []).push(r);
    }
  }
  for (const t of proxies) results.rss[t.name]!.afterBodies = rssOf(t);
  for (const t of targets) {
    const runs = bodyRuns[t.name] ?? [];
    results.bodies[t.name] = profile.bodies.map((size) => {
      const ms = runs.flatMap((r) => r.bySize.find((s) => s.bytes === size.bytes)?.ms ?? []);
      return { bytes: size.bytes, p50: percentile(ms, 50), p99: percentile(ms, 99) };
    });
  }

  // Leak check: first a warm-up with the same load (heap, JIT and connection pools reach their working size),
  // then N requests in five slices; RSS after each slice shows a plateau or a slope.
  const sendRequests = async (t: Target, count: number): Promise<number> => {
    let done = 0;
    while (done < count) {
      const rps = Math.max(500, results.wrk32[t.name]?.rps ?? 1000);
      const seconds = Math.max(1, Math.min(30, Math.ceil(((count - done) / rps) * 1.05)));
      done += (await runWrk(`${t.url}/v1/small`, script, 32, seconds)).requests;
    }
    return done;
  };
  for (const t of proxies) {
    log(`${t.name}: leak check, warm-up then ${profile.leakRequests.toLocaleString("en")} requests`);
    await sendRequests(t, profile.leakRequests / 5);
    await Bun.sleep(1000);
    const before = rssOf(t);
    const series: number[] = [];
    let done = 0;
    for (let slice = 0; slice < 5; slice++) {
      done += await sendRequests(t, profile.leakRequests / 5);
      series.push(rssOf(t));
    }
    await Bun.sleep(1000);
    const m = results.rss[t.name]!;
    m.beforeLeak = before;
    m.afterLeak = rssOf(t);
    m.leakRequests = done;
    m.leakSeries = series;
  }

  // Proof that the helper did its full job on this run: a log line per request, usage tapped from every answer.
  const summary = logSummary(helper.logFile);
  notes.push(
    `codex-helper request log (requests.jsonl; rotated files aside): ${summary.lines.toLocaleString("en")} lines (${(helper.logBytes() / 1024 / 1024).toFixed(1)} MB), ` +
      `${summary.withUsage.toLocaleString("en")} with usage tapped, ${summary.errors} failures` +
      (summary.firstError ? ` (first: ${summary.firstError})` : "") +
      " (lines without usage are requests wrk cut off at the end of each run)",
  );

  await stopChild(nginx?.child);
  await stopChild(helper.child);
  await stopChild(upstream.child);

  // 5. Start-up of the compiled binary, and the sessions helper's scan figures.
  if (binary) {
    log("start-up of the compiled binary…");
    const startupRoot = join(root, "startup");
    const home = {
      HOME: join(startupRoot, "home"),
      CODEX_HOME: join(startupRoot, "home", ".codex"),
      CODEX_HELPER_HOME: join(startupRoot, "home", ".codex-proxy"),
      CLAUDE_CONFIG_DIR: join(startupRoot, "home", ".claude"),
    };
    const cwd = join(startupRoot, "project");
    await Bun.write(join(cwd, ".keep"), "");
    await writeFakeSessions(home.CODEX_HOME, 200, cwd);
    const runEnv = { ...process.env, ...home, NO_COLOR: "1" };
    results.startup = {
      how: binary.how,
      sizeMb: Bun.file(binary.path).size / 1024 / 1024,
      version: timeCommand([binary.path, "--version"], runEnv, profile.startupRuns, cwd),
      sessionLast: timeCommand([binary.path, "session", "last"], runEnv, profile.startupRuns, cwd),
      bunVersion: timeCommand(["bun", "--version"], runEnv, profile.startupRuns, cwd),
    };
  }
  results.sessions = sessionScanReport(quick);

  results.meta.durationS = (performance.now() - startedAt) / 1000;
  const section = renderReport(results);
  process.stdout.write(`${section}\n`);
  if (!flags["no-write"]) {
    const file = join(ROOT, "BENCHMARKS.md");
    const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    writeFileSync(file, replaceSection(current, section));
    log(`wrote ${file}`);
  }
}

async function cleanup(): Promise<void> {
  for (const child of children) await stopChild(child);
  rmSync(root, { recursive: true, force: true });
}

process.once("SIGINT", () => {
  void cleanup().then(() => process.exit(130));
});

try {
  await main();
} catch (error) {
  log(`bench failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
