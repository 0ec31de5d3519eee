// Pure: what a Codex rollout file says about its session — id, start, cwd, subagent or not, first typed prompt.

type Json = Record<string, unknown>;

export interface SessionHead {
  id: string;
  /** ISO time the session started, from session_meta. */
  started: string | undefined;
  cwd: string | undefined;
  /** Spawned by another agent: not a session a person typed into. */
  subagent: boolean;
  /** The first message the user typed (not injected context); undefined when none was found in what was read. */
  prompt: string | undefined;
}

/** Text Codex injects as user-role messages: context, instructions, notices — never what the person typed. */
const INJECTED_PREFIXES = [
  "<environment_context>",
  "# AGENTS.md instructions for ",
  "<user_instructions>",
  "<skill>",
  "<user_shell_command>",
  "<turn_aborted>",
  "<subagent_notification>",
  "<additional_context>",
  "<plugins>",
  "<subagents>",
];

export function isInjectedText(text: string): boolean {
  const trimmed = text.trimStart();
  return INJECTED_PREFIXES.some((prefix) => trimmed.startsWith(prefix));
}

function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function textOf(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  const parts = content
    .map((part) => obj(part))
    .filter((part) => part !== undefined && typeof part.text === "string")
    .map((part) => part!.text as string);
  return parts.length > 0 ? parts.join("\n") : undefined;
}

/** Parse one JSONL line; undefined for blank, half-written or non-object lines. */
export function parseLine(line: string): Json | undefined {
  if (line.trim() === "") return undefined;
  try {
    return obj(JSON.parse(line));
  } catch {
    return undefined;
  }
}

/**
 * The typed prompt in one rollout line, by the three rules that cover Codex's versions (CLIENTS.md): an older
 * `user_message` event, a 0.148+ `item_completed` UserMessage, or a user-role `response_item` message that is not
 * injected context.
 */
export function promptInLine(line: Json): string | undefined {
  const payload = obj(line.payload);
  if (!payload) return undefined;
  if (line.type === "event_msg") {
    if (payload.type === "user_message" && typeof payload.message === "string") {
      return isInjectedText(payload.message) ? undefined : payload.message;
    }
    const item = obj(payload.item);
    if (payload.type === "item_completed" && item?.type === "UserMessage") {
      const text = textOf(item.content);
      return text !== undefined && !isInjectedText(text) ? text : undefined;
    }
    return undefined;
  }
  if (line.type === "response_item" && payload.type === "message" && payload.role === "user") {
    const text = textOf(payload.content);
    return text !== undefined && !isInjectedText(text) ? text : undefined;
  }
  return undefined;
}

/** The session_meta of a first line; undefined when the line is not one (then the file is not a session). */
export function sessionMeta(line: Json | undefined): Omit<SessionHead, "prompt"> | undefined {
  if (line?.type !== "session_meta") return undefined;
  const payload = obj(line.payload);
  if (!payload) return undefined;
  const id =
    typeof payload.id === "string"
      ? payload.id
      : typeof payload.session_id === "string"
        ? payload.session_id
        : undefined;
  if (!id) return undefined;
  const source = payload.source;
  return {
    id,
    started: typeof payload.timestamp === "string" ? payload.timestamp : undefined,
    cwd: typeof payload.cwd === "string" ? payload.cwd : undefined,
    subagent: obj(source)?.subagent !== undefined,
  };
}

/** One line, for lists: whitespace folded, cut at `max` characters with an ellipsis. */
export function preview(text: string, max = 100): string {
  const folded = text.replace(/\s+/g, " ").trim();
  return folded.length <= max ? folded : `${folded.slice(0, max - 1)}…`;
}

/** Text around the first case-insensitive match of `needle`, on one line. */
export function snippet(text: string, needle: string, radius = 40): string | undefined {
  const at = text.toLowerCase().indexOf(needle.toLowerCase());
  if (at === -1) return undefined;
  const start = Math.max(0, at - radius);
  const end = Math.min(text.length, at + needle.length + radius);
  return `${start > 0 ? "…" : ""}${text.slice(start, end).replace(/\s+/g, " ")}${end < text.length ? "…" : ""}`;
}
