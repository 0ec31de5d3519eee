// The switch state file (<our home>/switch-state.json): what switch-on changed and what was there before.
import { z } from "zod";
import { formatZodError, UserError } from "../errors";

export const CodexSwitchStateSchema = z.object({
  port: z.number().int(),
  /** The `model_provider` value before switch-on, or null when the key was absent. */
  previous_model_provider: z.string().nullable(),
  /** Whether a `[model_providers]` table existed before (we remove one only if we created it). */
  had_model_providers_table: z.boolean(),
  /** Whether config.toml existed before (switch-off deletes a file we created). */
  file_existed: z.boolean(),
  switched_at: z.string().optional(),
  /** Exact text of the old `model_provider = …` statement (quoting, comment), so switch-off restores its bytes. */
  previous_model_provider_text: z.string().nullable().optional(),
  /** Exact text of an old `[model_providers.codex_proxy]` table that switch-on replaced. */
  previous_table_text: z.string().nullable().optional(),
  /** Whether switch-on added a blank line before the table it appended. */
  added_blank_line: z.boolean().optional(),
});

export const ClaudeSwitchStateSchema = z.object({
  port: z.number().int(),
  /** `env.ANTHROPIC_BASE_URL` before switch-on, or null when absent. */
  previous_base_url: z.string().nullable(),
  /** Whether we added a placeholder `env.ANTHROPIC_AUTH_TOKEN` (removed again by switch-off). */
  added_placeholder_token: z.boolean(),
  had_env_object: z.boolean(),
  file_existed: z.boolean(),
  switched_at: z.string().optional(),
  /** Exact JSON text of the old `ANTHROPIC_BASE_URL` value (escapes kept), so switch-off restores its bytes. */
  previous_base_url_text: z.string().nullable().optional(),
});

export const SwitchStateSchema = z.object({
  codex: CodexSwitchStateSchema.optional(),
  claude: ClaudeSwitchStateSchema.optional(),
});

export type CodexSwitchState = z.infer<typeof CodexSwitchStateSchema>;
export type ClaudeSwitchState = z.infer<typeof ClaudeSwitchStateSchema>;
export type SwitchState = z.infer<typeof SwitchStateSchema>;

export function parseSwitchState(text: string | undefined, file: string): SwitchState {
  if (text === undefined || text.trim() === "") return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = SwitchStateSchema.safeParse(raw);
  if (!result.success) throw new UserError(formatZodError(file, result.error));
  return result.data;
}
