// The release platforms, their Bun compile targets and artifact names, and the `--only` selection (pure).

export interface ReleaseTarget {
  /** Our name for the platform, as in the artifact name and `--only`: `linux-x64-musl`. */
  id: string;
  os: "linux" | "darwin" | "windows";
  arch: "x64" | "arm64";
  libc?: "musl";
  /** Bun's `--target` for cross-compiling (the runtime is fetched from the npm registry). */
  bunTarget: Bun.Build.CompileTarget;
}

export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  { id: "linux-x64", os: "linux", arch: "x64", bunTarget: "bun-linux-x64" },
  { id: "linux-arm64", os: "linux", arch: "arm64", bunTarget: "bun-linux-arm64" },
  { id: "linux-x64-musl", os: "linux", arch: "x64", libc: "musl", bunTarget: "bun-linux-x64-musl" },
  { id: "linux-arm64-musl", os: "linux", arch: "arm64", libc: "musl", bunTarget: "bun-linux-arm64-musl" },
  { id: "darwin-x64", os: "darwin", arch: "x64", bunTarget: "bun-darwin-x64" },
  { id: "darwin-arm64", os: "darwin", arch: "arm64", bunTarget: "bun-darwin-arm64" },
  { id: "windows-x64", os: "windows", arch: "x64", bunTarget: "bun-windows-x64" },
];

/** `codex-helper-0.1.0-linux-x64-musl`, `codex-helper-0.1.0-windows-x64.exe` (install.sh builds the same names). */
export function artifactName(version: string, target: ReleaseTarget): string {
  return `codex-helper-${version}-${target.id}${target.os === "windows" ? ".exe" : ""}`;
}

export function targetById(id: string): ReleaseTarget | undefined {
  return RELEASE_TARGETS.find((target) => target.id === id);
}

/**
 * The targets named by `--only` (comma-separated or repeated); all of them when none is named.
 * An unknown name is an error listing the known ones, so a typo never builds nothing silently.
 */
export function selectTargets(
  names: readonly string[],
): { ok: true; targets: ReleaseTarget[] } | { ok: false; message: string } {
  const wanted = names
    .flatMap((name) => name.split(","))
    .map((name) => name.trim())
    .filter(Boolean);
  if (wanted.length === 0) return { ok: true, targets: [...RELEASE_TARGETS] };
  const unknown = wanted.filter((name) => !targetById(name));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `unknown target ${unknown.map((n) => `"${n}"`).join(", ")}; known: ${RELEASE_TARGETS.map((t) => t.id).join(", ")}`,
    };
  }
  return { ok: true, targets: RELEASE_TARGETS.filter((target) => wanted.includes(target.id)) };
}

/** One line of a `sha256sum` file: hex digest, two spaces (text mode), file name. */
export function checksumLine(sha256: string, fileName: string): string {
  return `${sha256}  ${fileName}`;
}

/** Parses `sha256sum` output (text `  ` or binary ` *` mode); blank lines skipped, anything else malformed. */
export function parseChecksums(
  text: string,
): { ok: true; entries: { sha256: string; file: string }[] } | { ok: false; line: number } {
  const entries: { sha256: string; file: string }[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) return { ok: false, line: index + 1 };
    entries.push({ sha256: match[1]!, file: match[2]! });
  }
  return { ok: true, entries };
}
