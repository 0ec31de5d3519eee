// `bun scripts/soak.ts [--seconds 180] [--concurrency 50]`: streams continuously through a real serve with a flapping
// upstream (loopback only, bounded in time) and reports the proxy's RSS and open file descriptors over time.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { jsonResponse, responsesEvents, sseResponse, startFakeUpstream } from "../tests/fixtures/fake-upstream";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "180" }, concurrency: { type: "string", default: "50" } },
});
const seconds = Math.min(Number(values.seconds), 1800);
const concurrency = Number(values.concurrency);
const root = mkdtempSync(join(tmpdir(), "codex-helper-soak-"));
const home = join(root, ".codex-proxy");
mkdirSync(home, { recursive: true });

let flip = 0;
const answer = () =>
  sseResponse(responsesEvents("soak ".repeat(40), { input_tokens: 10, output_tokens: 40 }, 20), { gapMs: 10 });
const flapping = startFakeUpstream(() => {
  flip++;
  // Healthy for a while, then failing in every way for a while.
  const phase = Math.floor(Date.now() / 5000) % 2;
  if (phase === 0) return answer();
  if (flip % 3 === 0) return jsonResponse({ error: { message: "down" } }, 503);
  if (flip % 3 === 1)
    return sseResponse([{ event: "response.failed", data: { type: "response.failed", response: {} } }]);
  return sseResponse(responsesEvents("partial", { input_tokens: 1, output_tokens: 1 }), { cutAfter: 3, gapMs: 5 });
});
const steady = startFakeUpstream(answer);
writeFileSync(
  join(home, "config.json"),
  JSON.stringify({
    codex: {
      active: "m",
      configs: {
        m: {
          name: "m",
          upstreams: [
            { base_url: flapping.url, auth: {} },
            { base_url: steady.url, auth: {} },
          ],
        },
      },
    },
  }),
);
const serve = Bun.spawn(["bun", join(import.meta.dir, "../src/main.ts"), "serve", "--port", "0"], {
  env: { ...process.env, CODEX_HELPER_HOME: home, CODEX_HOME: join(root, ".codex"), NODE_ENV: "production" },
  stderr: "pipe",
});
const reader = serve.stderr.getReader();
let banner = "";
while (!/127\.0\.0\.1:\d+/.test(banner)) {
  const { value, done } = await reader.read();
  if (done) throw new Error(`serve did not start: ${banner}`);
  banner += new TextDecoder().decode(value);
}
const base = `http://${/127\.0\.0\.1:\d+/.exec(banner)![0]}`;

function sample(pid: number): { rssMb: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssMb: rssKb / 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}

const deadline = Date.now() + seconds * 1000;
let ok = 0;
let failed = 0;
const rows: string[] = ["| t (s) | requests ok | failed | RSS (MB) | open fds |", "|---|---|---|---|---|"];
const worker = async () => {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/responses`, { method: "POST", body: "{}" });
      const text = await res.text();
      if (res.ok && text.includes("response.completed")) ok++;
      else failed++;
    } catch {
      failed++;
    }
    // Now and then reset the flapping upstream's cooldown so it keeps flapping instead of resting for minutes.
    if (Math.random() < 0.02)
      await fetch(`${base}/_codex-helper/upstreams/0/reset`, { method: "POST" }).catch(() => {});
  }
};
const t0 = Date.now();
const sampler = setInterval(
  () => {
    const s = sample(serve.pid);
    rows.push(`| ${Math.round((Date.now() - t0) / 1000)} | ${ok} | ${failed} | ${s.rssMb.toFixed(1)} | ${s.fds} |`);
    console.log(rows.at(-1));
  },
  Math.max(5000, (seconds * 1000) / 12),
);
console.log(rows.slice(0, 2).join("\n"));
await Promise.all(Array.from({ length: concurrency }, worker));
clearInterval(sampler);
const last = sample(serve.pid);
rows.push(
  `| ${Math.round((Date.now() - t0) / 1000)} (end) | ${ok} | ${failed} | ${last.rssMb.toFixed(1)} | ${last.fds} |`,
);
console.log(rows.at(-1));
serve.kill("SIGTERM");
await serve.exited;
await flapping.stop();
await steady.stop();
rmSync(root, { recursive: true, force: true });
console.log(
  `\nsoak: ${seconds} s, ${concurrency} concurrent streams, ${ok} completed, ${failed} failed (streams the flapping upstream cut after output began: they end with response.failed by design); Bun ${Bun.version}`,
);
