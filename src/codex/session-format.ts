// Pure: how sessions look in a terminal (id on its own line for copying) and in --json.
import { preview } from "./session-meta";

export interface ListedSession {
  id: string;
  updated: number;
  cwd: string;
  prompt: string | undefined;
  file: string;
  matchesProject: boolean;
  snippet?: string;
}

/** "3m ago", "5h ago", "2d ago" — `now` passed in. */
export function relativeTime(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.round(hours / 24)}d ago`;
}

/** Local `YYYY-MM-DD HH:MM`, with the offset applied by the caller's clock (`offsetMinutes` = -getTimezoneOffset()). */
export function localStamp(ms: number, offsetMinutes: number): string {
  const shifted = new Date(ms + offsetMinutes * 60_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
}

export function formatSession(session: ListedSession, now: number, offsetMinutes: number): string {
  const lines = [
    session.id,
    `  updated  ${localStamp(session.updated, offsetMinutes)} (${relativeTime(session.updated, now)})`,
    `  cwd      ${session.cwd}`,
    `  prompt   ${session.prompt === undefined ? "(no typed prompt)" : preview(session.prompt)}`,
  ];
  if (session.snippet !== undefined) lines.push(`  match    ${session.snippet}`);
  return lines.join("\n");
}

export function formatList(sessions: ListedSession[], now: number, offsetMinutes: number): string {
  const out: string[] = [];
  let shownOthers = false;
  for (const session of sessions) {
    if (!session.matchesProject && !shownOthers && sessions.some((s) => s.matchesProject)) {
      out.push("— other folders —");
      shownOthers = true;
    }
    out.push(formatSession(session, now, offsetMinutes), "");
  }
  return out.join("\n");
}

export function sessionJson(session: ListedSession) {
  return {
    id: session.id,
    updated: new Date(session.updated).toISOString(),
    cwd: session.cwd,
    prompt: session.prompt ?? null,
    file: session.file,
    matches_project: session.matchesProject,
    ...(session.snippet !== undefined ? { snippet: session.snippet } : {}),
  };
}
