// The version from package.json and the git commit baked in by scripts/build.ts (`--define`).
import pkg from "../package.json" with { type: "json" };

declare const CODEX_HELPER_COMMIT: string | undefined;

export const version: string = pkg.version;
export const commit: string = typeof CODEX_HELPER_COMMIT === "string" ? CODEX_HELPER_COMMIT : "dev";

export function versionLine(): string {
  return `${version} (${commit})`;
}
