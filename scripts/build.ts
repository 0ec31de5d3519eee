// `bun run build`: one self-contained executable per release platform in dist/, plus dist/SHA256SUMS.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };
import { artifactName, checksumLine, type ReleaseTarget, selectTargets } from "./release-targets";

const ROOT = join(import.meta.dir, "..");

const USAGE = `usage: bun run build [--only <target>[,<target>…]] [--outdir dist] [--no-bytecode] [--no-minify] [--no-splitting]

  --only, --target   build only these targets (default: all): linux-x64, linux-arm64, linux-x64-musl,
                     linux-arm64-musl, darwin-x64, darwin-arm64, windows-x64
  --outdir           where the binaries and SHA256SUMS go (default: dist)
  --no-bytecode, --no-minify, --no-splitting
                     turn off a start-up optimisation (to measure what it buys)`;

/** The commit the binary is built from, as `--version` shows it; `-dirty` when tracked files differ from it. */
function gitCommit(): string {
  const rev = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: ROOT, stderr: "ignore" });
  if (rev.exitCode !== 0) return "unknown";
  const sha = rev.stdout.toString().trim();
  const status = Bun.spawnSync(["git", "status", "--porcelain", "--untracked-files=no"], {
    cwd: ROOT,
    stderr: "ignore",
  });
  return status.exitCode === 0 && status.stdout.toString().trim() !== "" ? `${sha}-dirty` : sha;
}

export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}

interface BuildOptions {
  outdir: string;
  commit: string;
  minify: boolean;
  bytecode: boolean;
  splitting: boolean;
}

async function buildTarget(target: ReleaseTarget, options: BuildOptions): Promise<string> {
  const outfile = join(options.outdir, artifactName(pkg.version, target));
  const result = await Bun.build({
    entrypoints: [join(ROOT, "src/main.ts")],
    // ESM keeps the top-level `await runMain()`; Bun's default for bytecode would be CommonJS.
    format: "esm",
    minify: options.minify,
    bytecode: options.bytecode,
    // Lazily imported subcommands become separate embedded chunks, so `--version` parses none of them.
    splitting: options.splitting,
    define: { CODEX_HELPER_COMMIT: JSON.stringify(options.commit) },
    compile: {
      target: target.bunTarget,
      outfile,
      // A user's project .env or bunfig.toml in the current folder must never change the helper (BUN.md).
      autoloadDotenv: false,
      autoloadBunfig: false,
      autoloadTsconfig: false,
      autoloadPackageJson: false,
    },
  }).catch((error: unknown) => ({ success: false as const, logs: [error], outputs: [] }));
  if (!result.success) {
    const logs = result.logs.map((log) => String(log)).join("\n");
    throw new Error(`${target.id} (${target.bunTarget}) failed:\n${logs}`);
  }
  return outfile;
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const selection = selectTargets([...(values.only ?? []), ...(values.target ?? [])]);
  if (!selection.ok) {
    console.error(selection.message);
    return 2;
  }
  const outdir = resolve(ROOT, values.outdir ?? "dist");
  const options: BuildOptions = {
    outdir,
    // A source tarball has no .git: packagers pass the commit in.
    commit: process.env.CODEX_HELPER_COMMIT || gitCommit(),
    minify: !values["no-minify"],
    bytecode: !values["no-bytecode"],
    splitting: !values["no-splitting"],
  };

  // SHA256SUMS describes exactly one build: stale binaries of an earlier build would be listed or shadowed.
  mkdirSync(outdir, { recursive: true });
  for (const name of readdirSync(outdir)) {
    if (name.startsWith("codex-helper-") || name === "SHA256SUMS") rmSync(join(outdir, name), { force: true });
  }

  const flags = (["minify", "bytecode", "splitting"] as const).filter((flag) => options[flag]).join(", ") || "none";
  console.log(
    `codex-helper ${pkg.version} (${options.commit}) → ${outdir.startsWith(ROOT) ? relative(ROOT, outdir) || "." : outdir}/ [${flags}]`,
  );
  const started = performance.now();
  const lines: string[] = [];
  for (const target of selection.targets) {
    const t0 = performance.now();
    let outfile: string;
    try {
      outfile = await buildTarget(target, options);
    } catch (error) {
      console.error(`✗ ${(error as Error).message}`);
      return 1;
    }
    const name = artifactName(pkg.version, target);
    lines.push(checksumLine(await sha256File(outfile), name));
    const ms = Math.round(performance.now() - t0);
    console.log(`  ${name.padEnd(44)} ${formatMiB(statSync(outfile).size).padStart(10)}  ${ms} ms`);
  }
  writeFileSync(join(outdir, "SHA256SUMS"), `${lines.join("\n")}\n`);
  console.log(`  SHA256SUMS (${lines.length} files) — ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
  return 0;
}

function parseCli() {
  return parseArgs({
    args: Bun.argv.slice(2),
    options: {
      only: { type: "string", multiple: true },
      target: { type: "string", multiple: true },
      outdir: { type: "string" },
      "no-bytecode": { type: "boolean" },
      "no-minify": { type: "boolean" },
      "no-splitting": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}

if (import.meta.main) process.exitCode = await main();
