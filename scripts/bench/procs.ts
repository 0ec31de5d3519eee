// Process plumbing for the benchmark: spawn and wait for a listening line, CPU time and RSS from /proc.
import { readFileSync } from "node:fs";
import type { Subprocess } from "bun";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on every Linux we run on). */
const TICKS_PER_S = (() => {
  const out = Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim();
  return Number(out) || 100;
})();

/** User + system CPU time of one process (all its threads), in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_S;
}

/** Resident set size of one process, in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Direct children (nginx workers of its master). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Reads a stream to the end in the background (so a chatty child never blocks on a full pipe); keeps the text. */
export function drain(stream: ReadableStream<Uint8Array>): {
  text: () => string;
  waitFor: (re: RegExp, ms: number) => Promise<RegExpExecArray>;
} {
  let text = "";
  let done = false;
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      text += decoder.decode(chunk, { stream: true });
      // Keep memory bounded for long runs: the start-up line is all we look for.
      if (text.length > 1_000_000) text = text.slice(-100_000);
      for (const wake of waiters) wake();
    }
    done = true;
    for (const wake of waiters) wake();
  })().catch(() => {});
  return {
    text: () => text,
    waitFor(re, ms) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = re.exec(text);
          if (match) {
            cleanup();
            resolve(match);
          } else if (done) {
            cleanup();
            reject(new Error(`exited before printing ${re}:\n${text}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`nothing matching ${re} within ${ms} ms:\n${text}`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Stops a child we started, by its own pid: SIGTERM, then SIGKILL if it lingers. */
export async function stopChild(child: Subprocess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(3000).then(() => false)]);
  if (!exited) child.kill("SIGKILL");
}

/** A free loopback port (bind port 0, read it, release it). */
export function freePort(): number {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = server.port as number;
  void server.stop(true);
  return port;
}

/** Runs a JSON job in a fresh client process and returns its JSON result. */
export async function runClient<T>(job: unknown, env: Record<string, string | undefined>): Promise<T> {
  const child = Bun.spawn(["bun", `${import.meta.dir}/client.ts`, JSON.stringify(job)], {
    env: { ...env, BUN_CONFIG_MAX_HTTP_REQUESTS: "65535" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`bench client failed (${code}): ${err.trim()}`);
  return JSON.parse(out) as T;
}
