// Pure: a first Claude pool from Claude Code's own settings (env.ANTHROPIC_BASE_URL and its token or key).
import { PLACEHOLDER_TOKEN } from "../claude/settings";
import type { BootstrapResult } from "./bootstrap";
import type { ClaudeSwitchState } from "./switch-state";

export const ANTHROPIC_DEFAULT_BASE = "https://api.anthropic.com";

export interface ClaudeSettingsInput {
  /** Parsed settings.json, or the legacy claude.json when settings.json is absent. */
  settings: Record<string, unknown> | undefined;
  /** Which file that was, for messages. */
  file: string;
  switchState: ClaudeSwitchState | undefined;
  /** The process environment: Claude Code's own variables count too when settings.json does not set them. */
  env: Record<string, string | undefined>;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\./.test(host);
  } catch {
    return false;
  }
}

/**
 * The base URL Claude Code really used before switch-on: when the settings point at our own proxy (switch state says
 * so, or a loopback URL on the recorded port), the value recorded before the switch — never ourselves.
 */
function upstreamBase(current: string | undefined, state: ClaudeSwitchState | undefined): string {
  if (current !== undefined && state !== undefined && isLoopbackUrl(current)) {
    const port = new URL(current).port;
    if (port === String(state.port)) return state.previous_base_url ?? ANTHROPIC_DEFAULT_BASE;
  }
  return current ?? ANTHROPIC_DEFAULT_BASE;
}

export function bootstrapClaude(input: ClaudeSettingsInput): BootstrapResult {
  const env = (input.settings?.env ?? {}) as Record<string, unknown>;
  const current = text(env.ANTHROPIC_BASE_URL) ?? text(input.env.ANTHROPIC_BASE_URL);
  const base = upstreamBase(current, input.switchState);
  const fix =
    "add one with: codex-helper config add NAME --claude --base-url URL --api-key KEY (or --auth-token TOKEN)";
  if (isLoopbackUrl(base) && input.switchState !== undefined && base === current) {
    return {
      ok: false,
      message: `cannot build a first Claude upstream: ${input.file} points at this proxy and no earlier base URL was recorded; ${fix}`,
    };
  }
  const token = [text(env.ANTHROPIC_AUTH_TOKEN), text(input.env.ANTHROPIC_AUTH_TOKEN)].find(
    (t) => t !== undefined && t !== PLACEHOLDER_TOKEN,
  );
  const apiKey = text(env.ANTHROPIC_API_KEY) ?? text(input.env.ANTHROPIC_API_KEY);
  if (token === undefined && apiKey === undefined) {
    return {
      ok: false,
      message: `cannot build a first Claude upstream: no ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY in ${input.file} (env) or the environment; ${fix}`,
    };
  }
  const name = "claude";
  return {
    ok: true,
    name,
    from: input.file,
    pool: {
      name,
      upstreams: [
        {
          base_url: base,
          auth: token !== undefined ? { auth_token: token } : { api_key: apiKey! },
          tags: { source: "claude-settings" },
        },
      ],
    },
  };
}
