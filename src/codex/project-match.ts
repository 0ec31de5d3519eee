// Pure: does a session's cwd belong to the current project (same folder, an ancestor or a descendant, whole segments)?

/** Path segments, with Windows separators and drive letters handled; empty segments dropped. */
function segments(path: string, caseInsensitive: boolean): string[] {
  const normal = path.replace(/\\/g, "/");
  const parts = normal.split("/").filter((part) => part !== "" && part !== ".");
  return caseInsensitive ? parts.map((part) => part.toLowerCase()) : parts;
}

function isPrefix(shorter: string[], longer: string[]): boolean {
  if (shorter.length > longer.length) return false;
  return shorter.every((part, i) => part === longer[i]);
}

/**
 * `/a/b` matches `/a/b`, `/a` and `/a/b/c`, but not `/a/bc` or `/x`. Both paths should already be resolved (symlinks).
 * The root alone is nobody's project: a session started in `/` would otherwise match everything.
 */
export function matchesProject(sessionCwd: string, projectDir: string, caseInsensitive: boolean): boolean {
  const session = segments(sessionCwd, caseInsensitive);
  const project = segments(projectDir, caseInsensitive);
  if (session.length === 0 || project.length === 0) return session.length === project.length;
  return isPrefix(session, project) || isPrefix(project, session);
}

/** Windows and macOS default volumes compare paths case-insensitively. */
export function caseInsensitivePaths(platform: string): boolean {
  return platform === "win32" || platform === "darwin";
}
