// `bun run build --only linux-x64`: one real compile, run from an empty folder, answers --version with the baked commit.
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };

const ROOT = join(import.meta.dir, "../..");
const BUILD = join(ROOT, "scripts/build.ts");

async function run(command: string[], cwd: string, env: Record<string, string | undefined> = process.env) {
  const proc = Bun.spawn(command, { cwd, env, stdout: "pipe", stderr: "pipe" });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code, stdout, stderr };
}

describe("scripts/build.ts", () => {
  test.if(process.platform === "linux" && process.arch === "x64")(
    "compiles linux-x64 with its checksum; the binary prints the package version and git commit",
    async () => {
      const root = mkdtempSync(join(tmpdir(), "codex-helper-build-test-"));
      try {
        const outdir = join(root, "dist");
        const built = await run(["bun", BUILD, "--only", "linux-x64", "--outdir", outdir], ROOT);
        expect(built.stderr).toBe("");
        expect(built.code).toBe(0);
        const name = `codex-helper-${pkg.version}-linux-x64`;
        expect(readdirSync(outdir).sort()).toEqual(["SHA256SUMS", name]);

        const sums = readFileSync(join(outdir, "SHA256SUMS"), "utf8");
        const digest = new Bun.CryptoHasher("sha256").update(await Bun.file(join(outdir, name)).bytes()).digest("hex");
        expect(sums).toBe(`${digest}  ${name}\n`);

        const sha = (await run(["git", "rev-parse", "--short", "HEAD"], ROOT)).stdout.trim();
        const empty = join(root, "empty");
        mkdirSync(empty);
        const version = await run([join(outdir, name), "--version"], empty, { PATH: "/nonexistent", HOME: root });
        expect(version.code).toBe(0);
        expect(version.stdout).toMatch(new RegExp(`^${pkg.version.replaceAll(".", "\\.")} \\(${sha}(-dirty)?\\)\\n$`));
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );

  test("refuses an unknown --only target and names the known ones", async () => {
    const r = await run(["bun", BUILD, "--only", "linux-x86", "--outdir", join(tmpdir(), "never-written")], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown target "linux-x86"; known: linux-x64, linux-arm64, linux-x64-musl');
  });
});
