// UserError: a mistake by the user or a bad file, printed once as one line by src/cli/action.ts.
import type { z } from "zod";

export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "UserError";
    this.exitCode = exitCode;
  }
}

/** One line naming the file and every failing field: `config.json: codex.configs.main.upstreams.0.base_url: Invalid URL`. */
export function formatZodError(file: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    return `${where}: ${issue.message}`;
  });
  return `${file}: ${issues.join("; ")}`;
}

/** The message of anything thrown, for one-line reports. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
