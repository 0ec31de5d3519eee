// `bun run build:check`: proves the artifacts in dist/ — checksums, platform of every file, and the linux-x64 binary
// run from an empty folder with a clean environment (no Bun on PATH): --version, --help, session list, a streamed serve.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };
import { closedPort, responsesEvents, sseResponse, startFakeUpstream } from "../tests/fixtures/fake-upstream";
import { sha256File } from "./build";
import { inspectExecutable } from "./executable-format";
import { artifactName, parseChecksums, type ReleaseTarget, targetById } from "./release-targets";

type Outcome = { status: "pass" | "fail" | "skip"; detail: string };
const pass = (detail: string): Outcome => ({ status: "pass", detail });
const fail = (detail: string): Outcome => ({ status: "fail", detail });
const skip = (detail: string): Outcome => ({ status: "skip", detail });

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { dir: { type: "string" }, strict: { type: "boolean" }, help: { type: "boolean", short: "h" } },
});
if (values.help) {
  console.log(`usage: bun run build:check [--dir dist] [--strict]

  --dir     the folder \`bun run build\` wrote (default: dist)
  --strict  a skipped step (no qemu or musl loader to run the arm64 / musl builds) counts as a failure`);
  process.exit(0);
}
const DIST = resolve(import.meta.dir, "..", values.dir ?? "dist");
const X64 = targetById("linux-x64")!;
const ARM64 = targetById("linux-arm64")!;
const X64_MUSL = targetById("linux-x64-musl")!;
const stripAnsi = (text: string) => Bun.stripANSI(text);

// The sandbox: an empty working folder, a temp HOME with the three homes, and a PATH holding only `sh` (no Bun).
const root = mkdtempSync(join(tmpdir(), "codex-helper-build-check-"));
const sandbox = {
  cwd: join(root, "empty"),
  bin: join(root, "bin"),
  env: {
    HOME: join(root, "home"),
    CODEX_HOME: join(root, "home", ".codex"),
    CODEX_HELPER_HOME: join(root, "home", ".codex-proxy"),
    CLAUDE_CONFIG_DIR: join(root, "home", ".claude"),
    PATH: join(root, "bin"),
  },
};
for (const dir of [sandbox.cwd, sandbox.bin, sandbox.env.CODEX_HOME, sandbox.env.CODEX_HELPER_HOME]) {
  mkdirSync(dir, { recursive: true });
}
symlinkSync("/bin/sh", join(sandbox.bin, "sh"));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function run(command: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const proc = Bun.spawn(command, {
    cwd: options.cwd ?? sandbox.cwd,
    env: options.env ?? sandbox.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    timeout: 30_000,
  });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr) };
}

const describe = (r: Run) =>
  `exit ${r.code}; stdout: ${r.stdout.trim().slice(0, 300)}; stderr: ${r.stderr.trim().slice(0, 300)}`;
const artifact = (target: ReleaseTarget) => join(DIST, artifactName(pkg.version, target));

async function checkChecksums(): Promise<Outcome> {
  const sumsPath = join(DIST, "SHA256SUMS");
  if (!existsSync(sumsPath)) return fail(`${sumsPath} is missing (run bun run build)`);
  const parsed = parseChecksums(readFileSync(sumsPath, "utf8"));
  if (!parsed.ok) return fail(`SHA256SUMS line ${parsed.line} is not "<sha256>  <file>"`);
  if (parsed.entries.length === 0) return fail("SHA256SUMS lists no file");
  for (const entry of parsed.entries) {
    const path = join(DIST, entry.file);
    if (!existsSync(path)) return fail(`${entry.file} is listed but missing`);
    const actual = await sha256File(path);
    if (actual !== entry.sha256) return fail(`${entry.file}: sha256 ${actual}, SHA256SUMS says ${entry.sha256}`);
  }
  const listed = new Set(parsed.entries.map((entry) => entry.file));
  const unlisted = readdirSync(DIST).filter((name) => name.startsWith("codex-helper-") && !listed.has(name));
  if (unlisted.length > 0) return fail(`not in SHA256SUMS: ${unlisted.join(", ")}`);
  return pass(`${parsed.entries.length} file(s) verified`);
}

/** Each artifact's headers name the OS, CPU and libc its file name claims (darwin: code-signed). */
async function checkPlatforms(): Promise<Outcome> {
  const parsed = parseChecksums(
    existsSync(join(DIST, "SHA256SUMS")) ? readFileSync(join(DIST, "SHA256SUMS"), "utf8") : "",
  );
  if (!parsed.ok || parsed.entries.length === 0) return fail("no SHA256SUMS to read the artifact list from");
  const seen: string[] = [];
  const prefix = `codex-helper-${pkg.version}-`;
  for (const { file } of parsed.entries) {
    const id = file.startsWith(prefix) ? file.slice(prefix.length).replace(/\.exe$/, "") : "";
    const target = targetById(id);
    if (!target || artifactName(pkg.version, target) !== file) return fail(`${file}: not a release artifact name`);
    const head = new Uint8Array(await Bun.file(join(DIST, file)).slice(0, 65536).arrayBuffer());
    const inspection = inspectExecutable(head);
    if (!inspection.ok) return fail(`${file}: ${inspection.reason}`);
    const { info } = inspection;
    const libc = target.os === "linux" ? (target.libc ?? "glibc") : undefined;
    if (info.os !== target.os || info.arch !== target.arch || info.libc !== libc) {
      return fail(`${file}: built for ${info.os}-${info.arch}${info.libc ? `-${info.libc}` : ""}`);
    }
    if (info.os === "darwin" && !info.signed)
      return fail(`${file}: no code signature (macOS on arm64 refuses to run it)`);
    seen.push(target.id);
  }
  return pass(seen.join(", "));
}

async function checkVersion(bin: string): Promise<Outcome> {
  const r = await run([bin, "--version"]);
  const expected = new RegExp(`^${pkg.version.replaceAll(".", "\\.")} \\([0-9a-f]{7,40}(-dirty)?\\)$`);
  if (r.code !== 0 || !expected.test(r.stdout.trim()))
    return fail(`expected "${pkg.version} (<commit>)"; ${describe(r)}`);
  return pass(r.stdout.trim());
}

async function checkHelp(bin: string): Promise<{ outcome: Outcome; commands: string }> {
  const r = await run([bin, "--help"]);
  if (r.code !== 0 || !/USAGE/.test(r.stdout) || !/\bserve\b/.test(r.stdout)) {
    return { outcome: fail(`expected usage naming serve; ${describe(r)}`), commands: "" };
  }
  const commands = /USAGE\s+codex-helper\s+(\S+)/.exec(r.stdout)?.[1] ?? "";
  return { outcome: pass(commands), commands };
}

/** A user's project folder with a .env and a bunfig.toml: a compiled binary that autoloads them would change. */
async function checkIgnoresProjectFiles(bin: string): Promise<Outcome> {
  const project = join(root, "project");
  const elsewhere = join(root, "dotenv-home");
  mkdirSync(project, { recursive: true });
  mkdirSync(elsewhere, { recursive: true });
  writeFileSync(
    join(elsewhere, "config.json"),
    JSON.stringify({ codex: { configs: { "from-dotenv": { name: "from-dotenv", upstreams: [] } } } }),
  );
  writeFileSync(join(project, ".env"), `CODEX_HELPER_HOME=${elsewhere}\n`);
  writeFileSync(join(project, "preload.js"), 'console.error("BUNFIG-PRELOADED");\n');
  writeFileSync(join(project, "bunfig.toml"), 'preload = ["./preload.js"]\n');
  // Bun's .env never overrides a variable already set: leave CODEX_HELPER_HOME unset (it defaults to $HOME/.codex-proxy).
  const { CODEX_HELPER_HOME: _, ...env } = sandbox.env;
  const r = await run([bin, "config", "list"], { cwd: project, env });
  const output = r.stdout + r.stderr;
  if (output.includes("from-dotenv")) return fail(`read the project's .env; ${describe(r)}`);
  if (output.includes("BUNFIG-PRELOADED")) return fail(`loaded the project's bunfig.toml; ${describe(r)}`);
  if (r.code !== 0) return fail(`config list failed; ${describe(r)}`);
  return pass("config list in a folder with .env and bunfig.toml used neither");
}

async function checkSessionList(bin: string, commands: string): Promise<Outcome> {
  if (!commands.split("|").includes("session")) return fail(`no session command in --help (${commands})`);
  const id = "0199a7c2-5b1e-7d40-9f3a-3c2b1a0e9d87";
  // Codex names the folder and file in local time; a session from a minute ago, in the folder we run from.
  const now = new Date(Date.now() - 60_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const [y, mo, d] = [now.getFullYear(), pad(now.getMonth() + 1), pad(now.getDate())];
  const stamp = `${y}-${mo}-${d}T${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
  const day = join(sandbox.env.CODEX_HOME, "sessions", String(y), mo, d);
  mkdirSync(day, { recursive: true });
  const at = now.toISOString();
  const lines = [
    {
      timestamp: at,
      type: "session_meta",
      payload: {
        id,
        timestamp: at,
        cwd: sandbox.cwd,
        originator: "codex_exec",
        cli_version: "0.169.0",
        source: "exec",
      },
    },
    {
      timestamp: at,
      type: "event_msg",
      payload: { type: "user_message", message: "smoke test prompt from build-check" },
    },
  ];
  writeFileSync(join(day, `rollout-${stamp}-${id}.jsonl`), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  const r = await run([bin, "session", "list", "--json"]);
  let listed: { id?: string; prompt?: string; matches_project?: boolean }[] = [];
  try {
    listed = JSON.parse(r.stdout);
  } catch {}
  const found = Array.isArray(listed) ? listed.find((session) => session.id === id) : undefined;
  if (r.code !== 0 || !found?.matches_project || found.prompt !== "smoke test prompt from build-check") {
    return fail(`expected the fixture session as this folder's, with its prompt; ${describe(r)}`);
  }
  const lastRun = await run([bin, "session", "last"]);
  if (lastRun.code !== 0 || !lastRun.stdout.includes(`codex resume ${id}`)) {
    return fail(`session last: expected "codex resume ${id}"; ${describe(lastRun)}`);
  }
  return pass(`session list --json and session last found fixture session ${id.slice(0, 8)}… of this folder`);
}

/** `serve` on a free port in front of a fake upstream: one streamed Responses request arrives whole, and is logged. */
async function checkServe(bin: string): Promise<Outcome> {
  const answer = "Streamed through the compiled codex-helper binary.";
  await using upstream = startFakeUpstream(() =>
    sseResponse(responsesEvents(answer, { input_tokens: 12, output_tokens: 7 }, 4), { gapMs: 20 }),
  );
  const config = {
    codex: {
      active: "smoke",
      configs: {
        smoke: {
          name: "smoke",
          upstreams: [{ base_url: `${upstream.url}/v1`, auth: { auth_token: "sk-build-check-not-a-real-key" } }],
        },
      },
    },
  };
  writeFileSync(join(sandbox.env.CODEX_HELPER_HOME, "config.json"), JSON.stringify(config, null, 2), { mode: 0o600 });
  const port = await closedPort();
  const proc = Bun.spawn([bin, "serve", "--port", String(port)], {
    cwd: sandbox.cwd,
    env: sandbox.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const output = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]).then((parts) =>
    stripAnsi(parts.join("")),
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) return fail(`serve exited with ${proc.exitCode}: ${(await output).slice(0, 500)}`);
      const ok = await fetch(`${base}/_codex-helper/health`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) return fail("serve did not answer its health route within 10 s");
      await Bun.sleep(50);
    }
    const res = await fetch(`${base}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ model: "smoke-model", input: "say something", stream: true }),
    });
    const body = await res.text();
    const text = body
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)) as { type?: string; delta?: string })
      .filter((event) => event.type === "response.output_text.delta")
      .map((event) => event.delta)
      .join("");
    if (res.status !== 200 || text !== answer || !body.includes("response.completed")) {
      return fail(`expected the streamed answer; got ${res.status}: ${body.slice(0, 300)}`);
    }
    const hit = upstream.hits[0];
    if (upstream.hits.length !== 1 || hit?.path !== "/v1/responses") {
      return fail(`upstream saw ${upstream.hits.map((h) => h.path).join(", ") || "nothing"}`);
    }
    if (hit.headers.authorization !== "Bearer sk-build-check-not-a-real-key") {
      return fail("upstream did not receive the configured credential");
    }
    const logFile = join(sandbox.env.CODEX_HELPER_HOME, "logs", "requests.jsonl");
    const logDeadline = Date.now() + 3_000;
    while (!(existsSync(logFile) && readFileSync(logFile, "utf8").trim() !== "") && Date.now() < logDeadline) {
      await Bun.sleep(50);
    }
    if (!existsSync(logFile)) return fail(`no request log at ${logFile}`);
    proc.kill("SIGTERM");
    const code = await Promise.race([proc.exited, Bun.sleep(5_000).then(() => "hung" as const)]);
    if (code !== 0) return fail(`serve did not stop cleanly on SIGTERM (${code})`);
    return pass(`streamed ${res.headers.get("content-type")} answer via ${hit.path}, logged, stopped on SIGTERM`);
  } finally {
    if (proc.exitCode === null) proc.kill("SIGKILL");
  }
}

/** linux-arm64 `--version` under qemu-aarch64, with Debian's aarch64 glibc (libc6-arm64-cross) as its root. */
async function checkArm64(): Promise<Outcome> {
  const bin = artifact(ARM64);
  if (!existsSync(bin)) return skip(`${artifactName(pkg.version, ARM64)} was not built`);
  const qemu = Bun.which("qemu-aarch64");
  if (!qemu) return skip("qemu-aarch64 not found (apt-get install qemu-user libc6-arm64-cross)");
  const prefix = ["/usr/aarch64-linux-gnu", "/"].find((dir) => existsSync(join(dir, "lib/ld-linux-aarch64.so.1")));
  if (!prefix) return skip("no aarch64 glibc loader (apt-get install libc6-arm64-cross)");
  const r = await run([qemu, "-L", prefix, bin, "--version"]);
  if (r.code !== 0 || !r.stdout.startsWith(`${pkg.version} (`)) return fail(describe(r));
  return pass(`${r.stdout.trim()} (qemu-aarch64 -L ${prefix})`);
}

/** linux-x64-musl `--version`, where a musl loader and its libstdc++ exist (Alpine, or a musl container). */
async function checkMusl(): Promise<Outcome> {
  const bin = artifact(X64_MUSL);
  if (!existsSync(bin)) return skip(`${artifactName(pkg.version, X64_MUSL)} was not built`);
  if (!existsSync("/lib/ld-musl-x86_64.so.1")) return skip("no musl loader on this machine (headers checked above)");
  const r = await run([bin, "--version"]);
  if (r.code !== 0 || !r.stdout.startsWith(`${pkg.version} (`)) return fail(describe(r));
  return pass(r.stdout.trim());
}

async function main(): Promise<number> {
  const results: [string, Outcome][] = [];
  const step = async (name: string, check: () => Promise<Outcome>) => {
    const outcome = await check().catch((error: unknown) => fail(String((error as Error).stack ?? error)));
    results.push([name, outcome]);
    const mark = { pass: "✓", fail: "✗", skip: "–" }[outcome.status];
    console.log(`${mark} ${name}: ${outcome.status === "skip" ? "skipped, " : ""}${outcome.detail}`);
  };
  console.log(`build:check ${DIST} (sandbox ${root}, PATH=${sandbox.env.PATH})`);
  await step("clean environment", async () =>
    Bun.which("bun", { PATH: sandbox.env.PATH })
      ? fail(`bun is reachable on PATH=${sandbox.env.PATH}`)
      : pass(`no bun on PATH; env: ${Object.keys(sandbox.env).join(", ")}`),
  );
  await step("SHA256SUMS", checkChecksums);
  await step("platforms", checkPlatforms);
  const bin = artifact(X64);
  if (!existsSync(bin)) {
    await step("linux-x64", async () => fail(`${bin} is missing (bun run build --only linux-x64)`));
  } else {
    await step("linux-x64 --version", () => checkVersion(bin));
    let commands = "";
    await step("linux-x64 --help", async () => {
      const help = await checkHelp(bin);
      commands = help.commands;
      return help.outcome;
    });
    await step("linux-x64 ignores .env and bunfig.toml", () => checkIgnoresProjectFiles(bin));
    await step("linux-x64 session list", () => checkSessionList(bin, commands));
    await step("linux-x64 serve", () => checkServe(bin));
  }
  await step("linux-arm64 --version (qemu)", checkArm64);
  await step("linux-x64-musl --version", checkMusl);
  rmSync(root, { recursive: true, force: true });
  const failed = results.filter(([, o]) => o.status === "fail" || (values.strict && o.status === "skip"));
  const skipped = results.filter(([, o]) => o.status === "skip").length;
  const passed = results.filter(([, o]) => o.status === "pass").length;
  console.log(
    `${passed} passed, ${skipped} skipped, ${failed.length} failed${values.strict ? " (--strict: skips fail)" : ""}`,
  );
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
