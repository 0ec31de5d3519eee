import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { claudeSwitchStatus, switchOffClaude, switchOnClaude } from "../../src/claude/switch";
import { readSwitchState } from "../../src/config/switch-state-file";
import { closedPort } from "../fixtures/fake-upstream";
import { tempHome } from "../fixtures/temp-home";
import { SETTINGS_CORPUS } from "./settings-corpus";

const read = (file: string) => readFileSync(file, "utf8");

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("switch-on --claude / switch-off --claude on real files", () => {
  for (const c of SETTINGS_CORPUS) {
    test(`${c.name}: switch-off restores the original bytes; the backup holds the original`, async () => {
      using home = tempHome();
      const { claudeSettings, claudeSettingsBackup } = home.paths;
      writeFileSync(claudeSettings, c.text);
      await switchOnClaude({ port: 3210 });
      expect(JSON.parse(read(claudeSettings)).env.ANTHROPIC_BASE_URL).toBe("http://127.0.0.1:3210");
      expect(read(claudeSettingsBackup)).toBe(c.text);
      expect(readSwitchState().claude).toMatchObject({ port: 3210, file_existed: true });
      expect((await switchOffClaude()).outcome).toBe("restored");
      expect(read(claudeSettings)).toBe(c.text);
      expect(readSwitchState().claude).toBeUndefined();
    });
  }

  test("no settings.json: switch-on creates one with a placeholder token, switch-off deletes it", async () => {
    using home = tempHome();
    const result = await switchOnClaude({ port: 3210 });
    expect(result.placeholderToken).toBe(true);
    expect(JSON.parse(read(home.paths.claudeSettings))).toEqual({
      env: {
        ANTHROPIC_BASE_URL: "http://127.0.0.1:3210",
        ANTHROPIC_AUTH_TOKEN: "codex-helper-proxy-holds-the-real-key",
      },
    });
    expect(existsSync(home.paths.claudeSettingsBackup)).toBe(false);
    expect((await switchOffClaude()).outcome).toBe("deleted");
    expect(existsSync(home.paths.claudeSettings)).toBe(false);
  });

  test("the user's token is kept and never replaced by the placeholder, and ANTHROPIC_API_KEY is never added", async () => {
    using home = tempHome();
    writeFileSync(home.paths.claudeSettings, '{ "env": { "ANTHROPIC_AUTH_TOKEN": "sk-ant-mine" } }');
    const result = await switchOnClaude({ port: 3210 });
    expect(result.placeholderToken).toBe(false);
    const env = JSON.parse(read(home.paths.claudeSettings)).env;
    expect(env).toEqual({ ANTHROPIC_AUTH_TOKEN: "sk-ant-mine", ANTHROPIC_BASE_URL: "http://127.0.0.1:3210" });
  });

  test("a legacy claude.json without settings.json is not hidden behind a new settings.json", async () => {
    using home = tempHome();
    writeFileSync(home.paths.claudeLegacySettings, '{ "model": "opus" }');
    const message = await refusal(() => switchOnClaude({ port: 3210 }));
    expect(message).toContain("claude.json holds your Claude Code settings");
    expect(existsSync(home.paths.claudeSettings)).toBe(false);
    expect(existsSync(home.paths.switchState)).toBe(false);
  });

  test("invalid JSON is refused and nothing changes", async () => {
    using home = tempHome();
    const bad = '{\n  "model": "opus",\n}\n';
    writeFileSync(home.paths.claudeSettings, bad);
    const message = await refusal(() => switchOnClaude({ port: 3210 }));
    expect(message).toContain(home.paths.claudeSettings);
    expect(message).toContain("not valid JSON");
    expect(read(home.paths.claudeSettings)).toBe(bad);
    expect(existsSync(home.paths.claudeSettingsBackup)).toBe(false);
    expect(existsSync(home.paths.switchState)).toBe(false);
  });

  test("a changed base URL stops switch-off; --force restores the backup byte for byte", async () => {
    using home = tempHome();
    const original = '{\n  "model": "opus"\n}\n';
    writeFileSync(home.paths.claudeSettings, original);
    await switchOnClaude({ port: 3210 });
    const tampered = read(home.paths.claudeSettings).replace(":3210", ":9999");
    writeFileSync(home.paths.claudeSettings, tampered);
    const message = await refusal(() => switchOffClaude());
    expect(message).toContain('ANTHROPIC_BASE_URL is "http://127.0.0.1:9999"');
    expect(read(home.paths.claudeSettings)).toBe(tampered);
    expect((await switchOffClaude({ force: true })).outcome).toBe("backup");
    expect(read(home.paths.claudeSettings)).toBe(original);
  });

  test("Codex and Claude switches share one state file without losing each other's record", async () => {
    using home = tempHome();
    const { switchOnCodex, switchOffCodex } = await import("../../src/codex/switch");
    await switchOnCodex({ port: 3211 });
    await switchOnClaude({ port: 3210 });
    expect(readSwitchState()).toMatchObject({ codex: { port: 3211 }, claude: { port: 3210 } });
    await switchOffCodex();
    expect(readSwitchState()).toMatchObject({ claude: { port: 3210 } });
    await switchOffClaude();
    expect(existsSync(home.paths.switchState)).toBe(false);
  });

  test("status reports the port and that nothing runs there", async () => {
    using _home = tempHome();
    const port = await closedPort();
    await switchOnClaude({ port });
    expect(await claudeSwitchStatus()).toMatchObject({ switched_on: true, port, proxy: "not running" });
  });
});
