// Runs wrk (HTTP/1.1 load generator, keep-alive) with a small JSON POST and parses its summary.
import { join } from "node:path";

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  /** Latency percentiles in ms (from --latency). */
  p50: number;
  p99: number;
  /** Non-2xx answers plus socket errors; any is a failed run. */
  errors: number;
}

export function wrkAvailable(): boolean {
  return Bun.which("wrk") !== null;
}

/** Writes the Lua script wrk needs for a POST with a small JSON body; returns its path. */
export async function writeWrkScript(dir: string): Promise<string> {
  const file = join(dir, "post-small.lua");
  await Bun.write(
    file,
    [
      'wrk.method = "POST"',
      `wrk.body = '{"model":"bench-model","input":"hello secret-project-name","stream":false}'`,
      'wrk.headers["Content-Type"] = "application/json"',
      "",
    ].join("\n"),
  );
  return file;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  if (unit === "us") return n / 1000;
  if (unit === "ms") return n;
  if (unit === "s") return n * 1000;
  return n / 60_000;
}

export function parseWrk(out: string): WrkResult {
  const requests = Number(/(\d+) requests in ([\d.]+)(\w+)/.exec(out)?.[1] ?? Number.NaN);
  const dur = /\d+ requests in ([\d.]+)(\w+)/.exec(out);
  const seconds = dur ? toMs(dur[1]!, dur[2]!) / 1000 : Number.NaN;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
  const pct = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s|m)`).exec(out);
    return m ? toMs(m[1]!, m[2]!) : Number.NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { requests, seconds, rps, p50: pct("50"), p99: pct("99"), errors: non2xx + socketErrors };
}

export async function runWrk(url: string, script: string, connections: number, seconds: number): Promise<WrkResult> {
  const child = Bun.spawn(["wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, url], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`wrk failed (${code}): ${err.trim()}`);
  return parseWrk(out);
}
