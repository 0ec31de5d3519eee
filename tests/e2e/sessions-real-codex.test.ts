import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { tempHome } from "../fixtures/temp-home";

const ROOT = join(import.meta.dir, "../..");
const CODEX = join(ROOT, "node_modules/.bin/codex");

async function run(cmd: string[], cwd: string, env: Record<string, string>) {
  const proc = Bun.spawn(cmd, { cwd, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

describe("session commands on files written by the real Codex CLI", () => {
  test("list and last from inside each project, a parent, a child and elsewhere", async () => {
    using home = tempHome();
    await using up = startFakeUpstream(() =>
      sseResponse(responsesEvents("done", { input_tokens: 1, output_tokens: 1 })),
    );
    writeFileSync(
      join(home.env.CODEX_HOME, "config.toml"),
      `model_provider = "fake"\nmodel = "gpt-test"\n[model_providers.fake]\nname = "fake"\nbase_url = "${up.url}/v1"\nwire_api = "responses"\nrequest_max_retries = 0\nstream_max_retries = 0\n`,
    );
    const work = join(home.root, "work");
    const alpha = join(work, "alpha");
    const beta = join(work, "beta");
    const elsewhere = join(home.root, "elsewhere");
    for (const dir of [join(alpha, "src"), beta, elsewhere]) mkdirSync(dir, { recursive: true });
    const env = { PATH: process.env.PATH ?? "", ...home.env, NODE_ENV: "production" };

    expect((await run([CODEX, "exec", "--skip-git-repo-check", "Alpha: add a parser"], alpha, env)).code).toBe(0);
    await Bun.sleep(20);
    expect((await run([CODEX, "exec", "--skip-git-repo-check", "Beta: write docs"], beta, env)).code).toBe(0);

    const cli = (cwd: string, ...args: string[]) =>
      run(["bun", join(ROOT, "src/main.ts"), "session", ...args], cwd, env);
    const fromAlpha = JSON.parse((await cli(alpha, "list", "--json")).stdout);
    expect(fromAlpha.map((s: { prompt: string; matches_project: boolean }) => [s.prompt, s.matches_project])).toEqual([
      ["Alpha: add a parser", true],
      ["Beta: write docs", false],
    ]);
    const fromChild = JSON.parse((await cli(join(alpha, "src"), "list", "--json")).stdout);
    expect(fromChild[0]).toMatchObject({ prompt: "Alpha: add a parser", matches_project: true, cwd: alpha });
    const fromParent = JSON.parse((await cli(work, "list", "--json")).stdout);
    expect(fromParent.map((s: { prompt: string }) => s.prompt)).toEqual(["Beta: write docs", "Alpha: add a parser"]);
    expect(fromParent.every((s: { matches_project: boolean }) => s.matches_project)).toBe(true);
    const fromElsewhere = JSON.parse((await cli(elsewhere, "list", "--json")).stdout);
    expect(fromElsewhere.every((s: { matches_project: boolean }) => !s.matches_project)).toBe(true);

    const last = await cli(beta, "last");
    const betaId = fromAlpha[1].id as string;
    expect(last.code).toBe(0);
    expect(last.stdout.split("\n")[0]).toBe(betaId);
    expect(last.stdout.trim().split("\n").at(-1)).toBe(`codex resume ${betaId}`);
    const human = await cli(alpha, "list");
    expect(human.stdout.split("\n")[0]).toBe(fromAlpha[0].id);
    expect(human.stdout).toContain("prompt   Alpha: add a parser");

    const none = await cli(elsewhere, "last");
    expect(none.code).toBe(1);
    expect(none.stderr.trim().split("\n")).toHaveLength(1);
    expect(none.stderr).toContain("no Codex session found");

    const found = JSON.parse((await cli(elsewhere, "search", "PARSER", "--json")).stdout);
    expect(found.map((s: { id: string }) => s.id)).toEqual([fromAlpha[0].id]);
  });
});
