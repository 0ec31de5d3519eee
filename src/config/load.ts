// Reads and validates config.json; never writes. A missing file is an empty config, a bad one a UserError.
import { readFileSync } from "node:fs";
import { formatZodError, UserError } from "../errors";
import { paths } from "../paths";
import { type ConfigFile, ConfigFileSchema, emptyConfig } from "./schema";

/** Parse config.json text; `file` names it in errors. Pure apart from nothing: exported for tests and fuzzing. */
export function parseConfigText(text: string, file: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = ConfigFileSchema.safeParse(raw);
  if (!result.success) throw new UserError(formatZodError(file, result.error));
  return result.data;
}

export function readTextIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UserError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export function loadConfig(file: string = paths().config): ConfigFile {
  const text = readTextIfExists(file);
  if (text === undefined || text.trim() === "") return emptyConfig();
  return parseConfigText(text, file);
}

/** A JSON object from a file we only read (a client's settings); undefined when absent or empty, one line when bad. */
export function readJsonIfExists(file: string): Record<string, unknown> | undefined {
  const text = readTextIfExists(file);
  if (text === undefined || text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}
