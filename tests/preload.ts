// Runs before any test file loads: every home points at a temp folder and no API key leaks in from the machine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "codex-helper-test-"));
process.env.HOME = join(root, "home");
process.env.USERPROFILE = process.env.HOME;
process.env.CODEX_HOME = join(root, "home", ".codex");
process.env.CODEX_HELPER_HOME = join(root, "home", ".codex-proxy");
process.env.CLAUDE_CONFIG_DIR = join(root, "home", ".claude");
process.env.NO_COLOR = "1";
for (const name of Object.keys(process.env)) {
  if (/^(OPENAI|ANTHROPIC|CODEX_HELPER_TOKEN|CLAUDE_CODE_)/.test(name)) delete process.env[name];
}
process.on("exit", () => rmSync(root, { recursive: true, force: true }));
