import { describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { probeProxy } from "../../src/codex/probe-proxy";
import { codexSwitchStatus, switchOffCodex, switchOnCodex } from "../../src/codex/switch";
import { readSwitchState } from "../../src/config/switch-state-file";
import { closedPort } from "../fixtures/fake-upstream";
import { tempHome } from "../fixtures/temp-home";
import { CORPUS } from "./toml-corpus";

const read = (file: string) => readFileSync(file, "utf8");

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("switch-on / switch-off on real files", () => {
  for (const c of [...CORPUS.map((x) => ({ ...x, absent: false })), { name: "no file", text: "", absent: true }]) {
    test(`${c.name}: switch-off restores the original bytes; the backup holds the original`, async () => {
      using home = tempHome();
      const { codexConfig, codexConfigBackup } = home.paths;
      if (!c.absent) writeFileSync(codexConfig, c.text);
      const on = await switchOnCodex({ port: 3211 });
      expect((parse(read(codexConfig)) as { model_provider: string }).model_provider).toBe("codex_proxy");
      if (c.absent) expect(existsSync(codexConfigBackup)).toBe(false);
      else if (on.outcome === "switched") expect(read(codexConfigBackup)).toBe(c.text);
      expect(readSwitchState().codex?.port).toBe(3211);

      const off = await switchOffCodex();
      expect(off.outcome).toBe(c.absent ? "deleted" : "restored");
      if (c.absent) expect(existsSync(codexConfig)).toBe(false);
      else expect(read(codexConfig)).toBe(c.text);
      expect(readSwitchState().codex).toBeUndefined();
    });
  }

  test("a file that does not parse is refused with line and column, left byte-identical, and no backup is written", async () => {
    using home = tempHome();
    const bad = 'model = "o3"\n\n[profiles.x]\nmodel = "a" "b"\n';
    writeFileSync(home.paths.codexConfig, bad);
    const message = await refusal(() => switchOnCodex({ port: 3211 }));
    expect(message).toContain(home.paths.codexConfig);
    expect(message).toMatch(/line 4, column \d+/);
    expect(read(home.paths.codexConfig)).toBe(bad);
    expect(existsSync(home.paths.codexConfigBackup)).toBe(false);
    expect(existsSync(home.paths.switchState)).toBe(false);
  });

  test("a second switch-on changes nothing and the backup is never overwritten", async () => {
    using home = tempHome();
    writeFileSync(home.paths.codexConfig, 'model = "first"\n');
    await switchOnCodex({ port: 3211 });
    const switched = read(home.paths.codexConfig);
    const again = await switchOnCodex({ port: 3211 });
    expect(again.outcome).toBe("unchanged");
    expect(read(home.paths.codexConfig)).toBe(switched);
    await switchOffCodex();
    writeFileSync(home.paths.codexConfig, 'model = "second"\n');
    await switchOnCodex({ port: 3211 });
    expect(read(home.paths.codexConfigBackup)).toBe('model = "first"\n');
    await switchOffCodex();
    expect(read(home.paths.codexConfig)).toBe('model = "second"\n');
  });

  test("--port on a switched-on file changes only the port and keeps what switch-off restores", async () => {
    using home = tempHome();
    writeFileSync(home.paths.codexConfig, "model_provider = 'azure'\n");
    await switchOnCodex({ port: 3211 });
    const before = read(home.paths.codexConfig);
    const moved = await switchOnCodex({ port: 4000 });
    expect(moved).toMatchObject({ outcome: "port-changed", previousPort: 3211 });
    expect(read(home.paths.codexConfig)).toBe(before.replace(":3211", ":4000"));
    expect(readSwitchState().codex).toMatchObject({ port: 4000, previous_model_provider: "azure" });
    await switchOffCodex();
    expect(read(home.paths.codexConfig)).toBe("model_provider = 'azure'\n");
  });

  test("user edits between switch-on and switch-off survive", async () => {
    using home = tempHome();
    const original = CORPUS.find((c) => c.name.startsWith("MCP servers"))!.text;
    writeFileSync(home.paths.codexConfig, original);
    await switchOnCodex({ port: 3211 });
    const edited = read(home.paths.codexConfig)
      .replace('approval_policy = "on-request"', 'approval_policy = "never" # changed')
      .concat('\n[projects."/new/project"]\ntrust_level = "trusted"\n');
    writeFileSync(home.paths.codexConfig, edited);
    await switchOffCodex();
    expect(read(home.paths.codexConfig)).toBe(
      `${original.replace('approval_policy = "on-request"', 'approval_policy = "never" # changed')}\n[projects."/new/project"]\ntrust_level = "trusted"\n`,
    );
  });

  test("when someone changed our entries, switch-off says what differs and stops; --force restores the backup byte for byte", async () => {
    using home = tempHome();
    const original = '# mine\nmodel_provider = "openai"\n';
    writeFileSync(home.paths.codexConfig, original);
    await switchOnCodex({ port: 3211 });
    const tampered = read(home.paths.codexConfig).replace("127.0.0.1:3211", "localhost:8080");
    writeFileSync(home.paths.codexConfig, tampered);
    const message = await refusal(() => switchOffCodex());
    expect(message).toContain('base_url is "http://localhost:8080", switch-on wrote "http://127.0.0.1:3211"');
    expect(message).toContain("--force");
    expect(read(home.paths.codexConfig)).toBe(tampered);
    expect(readSwitchState().codex).toBeDefined();

    const forced = await switchOffCodex({ force: true });
    expect(forced.outcome).toBe("backup");
    expect(read(home.paths.codexConfig)).toBe(original);
    expect(readSwitchState().codex).toBeUndefined();
  });

  test("switch-on refuses to overwrite changed entries without --force, and rewrites them with it", async () => {
    using home = tempHome();
    writeFileSync(home.paths.codexConfig, 'model_provider = "azure"\n');
    await switchOnCodex({ port: 3211 });
    writeFileSync(home.paths.codexConfig, `${read(home.paths.codexConfig)}env_key = "X"\n`);
    const message = await refusal(() => switchOnCodex({ port: 3211 }));
    expect(message).toContain("has a new key env_key");
    await switchOnCodex({ port: 3211, force: true });
    expect(read(home.paths.codexConfig)).not.toContain("env_key");
    await switchOffCodex();
    expect(read(home.paths.codexConfig)).toBe('model_provider = "azure"\n');
  });

  test("entries removed by hand make the state stale: switch-off forgets it, switch-on starts afresh", async () => {
    using home = tempHome();
    writeFileSync(home.paths.codexConfig, 'model = "o3"\n');
    await switchOnCodex({ port: 3211 });
    writeFileSync(home.paths.codexConfig, 'model = "o4"\n');
    expect((await switchOffCodex()).outcome).toBe("stale-state");
    expect(read(home.paths.codexConfig)).toBe('model = "o4"\n');
    expect(readSwitchState().codex).toBeUndefined();
  });

  test("switch-off without a record leaves a file that points at codex_proxy alone and says how to restore", async () => {
    using home = tempHome();
    const text = 'model_provider = "codex_proxy"\n';
    writeFileSync(home.paths.codexConfig, text);
    writeFileSync(home.paths.codexConfigBackup, 'model = "x"\n');
    const message = await refusal(() => switchOffCodex());
    expect(message).toContain("no record of a switch-on");
    expect(message).toContain("switch-off --force");
    expect(read(home.paths.codexConfig)).toBe(text);
  });

  test("switch-off --force long after a switch-off does not bring an old backup back over a file that no longer points at us", async () => {
    using home = tempHome();
    writeFileSync(home.paths.codexConfig, 'model = "old"\n');
    await switchOnCodex({ port: 3211 });
    await switchOffCodex();
    writeFileSync(home.paths.codexConfig, 'model = "edited for months"\n');
    expect((await switchOffCodex({ force: true })).outcome).toBe("not-switched");
    expect(read(home.paths.codexConfig)).toBe('model = "edited for months"\n');
  });

  test("a stale lock left by a dead process is taken over", async () => {
    using home = tempHome();
    const dead = Bun.spawn(["true"]);
    await dead.exited;
    writeFileSync(`${home.paths.codexConfig}.lock`, String(dead.pid));
    const result = await switchOnCodex({ port: 3211 });
    expect(result.outcome).toBe("switched");
    expect(existsSync(`${home.paths.codexConfig}.lock`)).toBe(false);
  });

  test("a symlinked config.toml stays a symlink and keeps its mode", async () => {
    using home = tempHome();
    const real = join(home.root, "dotfiles", "codex.toml");
    mkdirSync(join(home.root, "dotfiles"));
    writeFileSync(real, 'model = "o3"\n');
    chmodSync(real, 0o644);
    symlinkSync(real, home.paths.codexConfig);
    await switchOnCodex({ port: 3211 });
    expect(lstatSync(home.paths.codexConfig).isSymbolicLink()).toBe(true);
    expect(read(real)).toContain('model_provider = "codex_proxy"');
    expect(statSync(real).mode & 0o777).toBe(0o644);
    await switchOffCodex();
    expect(read(real)).toBe('model = "o3"\n');
  });

  test("profile files that set their own model_provider are warned about, not refused", async () => {
    using home = tempHome();
    writeFileSync(join(home.env.CODEX_HOME, "work.config.toml"), 'model_provider = "azure"\n');
    writeFileSync(join(home.env.CODEX_HOME, "plain.config.toml"), 'model = "o3"\n');
    const result = await switchOnCodex({ port: 3211 });
    expect(result.outcome).toBe("switched");
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('work.config.toml sets model_provider = "azure"');
    expect(result.warnings[0]).toContain("codex -p work");
  });
});

describe("switch status", () => {
  test("reports the port and whether a proxy answers there (any HTTP answer counts)", async () => {
    using home = tempHome();
    await using server = {
      s: Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("nope", { status: 404 }) }),
      async [Symbol.asyncDispose]() {
        await this.s.stop(true);
      },
    };
    await switchOnCodex({ port: server.s.port as number });
    const status = await codexSwitchStatus();
    expect(status).toMatchObject({
      switched_on: true,
      port: server.s.port,
      proxy: "answering",
      provider: "codex_proxy",
    });
    expect(home.paths.codexConfig).toBe(status.file);
  });

  test("a refused connection means the proxy is not running; no switch means no port", async () => {
    using _home = tempHome();
    expect(await codexSwitchStatus()).toMatchObject({ switched_on: false, port: null, proxy: null, exists: false });
    const port = await closedPort();
    await switchOnCodex({ port });
    expect(await codexSwitchStatus()).toMatchObject({ switched_on: true, port, proxy: "not running" });
  });

  test("status never prints the old table text switch-on saved (it may hold header secrets)", async () => {
    using home = tempHome();
    writeFileSync(
      home.paths.codexConfig,
      '[model_providers.codex_proxy]\nname = "old"\nbase_url = "http://x"\nhttp_headers = { Authorization = "Bearer sk-secret-9999" }\n',
    );
    await switchOnCodex({ port: await closedPort() });
    expect(readFileSync(home.paths.switchState, "utf8")).toContain("sk-secret-9999");
    expect(JSON.stringify(await codexSwitchStatus())).not.toContain("sk-secret-9999");
  });

  test("a port that accepts but never answers is reported as no answer once the time limit passes", async () => {
    const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      expect(await probeProxy(server.port, fetch, 200)).toBe("no answer");
    } finally {
      server.stop(true);
    }
  });
});
