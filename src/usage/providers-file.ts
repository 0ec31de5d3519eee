// Loads usage_providers.json, creating it with the default packycode entry when it does not exist; never rewrites it.
import { existsSync } from "node:fs";
import { readTextIfExists } from "../config/load";
import { formatZodError, UserError } from "../errors";
import { atomicWriteFile } from "../fs/atomic-write";
import { KINDS } from "./kinds";
import { DEFAULT_PROVIDERS, type Provider, ProviderSchema } from "./provider-schema";

export interface LoadedProviders {
  providers: Provider[];
  /** One line per provider left out (file and field named); serving continues without it. */
  problems: string[];
}

/** Each provider is validated on its own: one bad entry costs that provider, not the others. */
export function parseProvidersText(text: string, file: string): LoadedProviders {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const list = (raw as { providers?: unknown } | null)?.providers;
  if (typeof raw !== "object" || raw === null || !Array.isArray(list)) {
    throw new UserError(`${file}: providers: expected a list of providers`);
  }
  const providers: Provider[] = [];
  const problems: string[] = [];
  list.forEach((entry, i) => {
    const parsed = ProviderSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push(formatZodError(file, parsed.error).replace(`${file}: `, `${file}: providers.${i}.`));
    } else if (!KINDS[parsed.data.kind]) {
      problems.push(
        `${file}: providers.${i}.kind: unknown kind "${parsed.data.kind}" (known: ${Object.keys(KINDS).join(", ")})`,
      );
    } else {
      providers.push(parsed.data);
    }
  });
  return { providers, problems };
}

/** The providers in force; a missing file is created with the defaults (atomically, 0600). */
export function loadProviders(file: string): LoadedProviders {
  if (!existsSync(file)) {
    atomicWriteFile(file, `${JSON.stringify(DEFAULT_PROVIDERS, null, 2)}\n`);
    return { providers: DEFAULT_PROVIDERS.providers, problems: [] };
  }
  return parseProvidersText(readTextIfExists(file) ?? "", file);
}
