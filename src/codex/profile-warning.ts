// Pure: which Codex profile files (`$CODEX_HOME/<name>.config.toml`) set a model_provider that would win over ours.
import { parse as parseToml } from "smol-toml";
import { PROVIDER_ID } from "./config-toml";

export interface ProfileFile {
  /** The file's path, e.g. `/home/me/.codex/work.config.toml`. */
  path: string;
  text: string;
}

/** One warning per profile that would take Codex past the proxy under `codex -p <profile>`. */
export function profileWarnings(files: readonly ProfileFile[]): string[] {
  const warnings: string[] = [];
  for (const file of files) {
    const profile = (file.path.split(/[\\/]/).pop() ?? file.path).replace(/\.config\.toml$/, "");
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(file.text) as Record<string, unknown>;
    } catch {
      warnings.push(`${file.path} does not parse as TOML; check what \`codex -p ${profile}\` uses`);
      continue;
    }
    const provider = doc.model_provider;
    if (typeof provider === "string" && provider !== PROVIDER_ID) {
      warnings.push(
        `${file.path} sets model_provider = "${provider}": \`codex -p ${profile}\` will bypass the proxy (remove that line to use it)`,
      );
    }
  }
  return warnings;
}
