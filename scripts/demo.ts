// `bun run demo`: on a machine with no keys, a fake upstream + the real `serve` in a temp home, one streamed request.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { responsesEvents, sseResponse, startFakeUpstream } from "../tests/fixtures/fake-upstream";

const root = mkdtempSync(join(tmpdir(), "codex-helper-demo-"));
const env = {
  ...process.env,
  HOME: join(root, "home"),
  CODEX_HOME: join(root, "home", ".codex"),
  CODEX_HELPER_HOME: join(root, "home", ".codex-proxy"),
  CLAUDE_CONFIG_DIR: join(root, "home", ".claude"),
};
mkdirSync(env.CODEX_HELPER_HOME, { recursive: true });

const answer = "Hello from the fake upstream! Every word of this answer streamed through codex-helper.";
const upstream = startFakeUpstream(() =>
  sseResponse(responsesEvents(answer, { input_tokens: 42, cached_tokens: 10, output_tokens: 17 }, 8), { gapMs: 80 }),
);
writeFileSync(
  join(env.CODEX_HELPER_HOME, "config.json"),
  JSON.stringify({
    codex: {
      active: "demo",
      configs: {
        demo: {
          name: "demo",
          upstreams: [{ base_url: `${upstream.url}/v1`, auth: { auth_token: "sk-demo-not-a-real-key" } }],
        },
      },
    },
  }),
  { mode: 0o600 },
);

console.log(`temp home: ${env.HOME}`);
console.log(`fake upstream: ${upstream.url}/v1\n`);
const serve = Bun.spawn(["bun", join(import.meta.dir, "../src/main.ts"), "serve", "--port", "0"], {
  env,
  stderr: "pipe",
  stdout: "inherit",
});

try {
  const reader = serve.stderr.getReader();
  let banner = "";
  const deadline = Date.now() + 10_000;
  while (!/http:\/\/127\.0\.0\.1:\d+/.test(banner)) {
    if (Date.now() > deadline) throw new Error(`serve did not start:\n${banner}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve exited:\n${banner}`);
    banner += new TextDecoder().decode(value);
  }
  process.stdout.write(`serve: ${banner.trim()}\n\n`);
  const proxyUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(banner)![0];

  console.log(`POST ${proxyUrl}/responses (streaming), text as it arrives:\n`);
  const res = await fetch(`${proxyUrl}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ model: "demo-model", input: "Say hello", stream: true }),
  });
  const decoder = new TextDecoder();
  let buffer = "";
  process.stdout.write("  ");
  for await (const chunk of res.body!) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const data = buffer
        .slice(0, end)
        .split("\n")
        .find((l) => l.startsWith("data: "));
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      const event = data ? JSON.parse(data.slice(6)) : undefined;
      if (event?.type === "response.output_text.delta") process.stdout.write(event.delta);
    }
  }
  process.stdout.write("\n\n");

  await Bun.sleep(100);
  const logFile = join(env.CODEX_HELPER_HOME, "logs", "requests.jsonl");
  const line = readFileSync(logFile, "utf8").trim().split("\n").at(-1) ?? "";
  console.log(`request log (${logFile}):`);
  console.log(JSON.stringify(JSON.parse(line), null, 2));
} finally {
  serve.kill("SIGTERM");
  await serve.exited;
  await upstream.stop();
  rmSync(root, { recursive: true, force: true });
}
