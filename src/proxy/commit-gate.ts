// Pure: before a Responses stream is committed to the client, is this event still a preamble, output, or a failure?
import type { SseMessage } from "./sse";

/** Events that announce a response without any output: safe to hold back while the upstream may still fail. */
const LIFECYCLE = new Set(["response.created", "response.in_progress", "response.queued"]);

export type GateVerdict = { kind: "hold" } | { kind: "commit" } | { kind: "fail"; reason: string };

function typeOf(message: SseMessage): { type: string | undefined; json: Record<string, unknown> | undefined } {
  let json: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(message.data);
    if (typeof parsed === "object" && parsed !== null) json = parsed as Record<string, unknown>;
  } catch {
    // not JSON: judged by its event name alone
  }
  const type = typeof json?.type === "string" ? json.type : message.event;
  return { type, json };
}

function errorText(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const error = value as Record<string, unknown>;
  const code = typeof error.code === "string" ? error.code : typeof error.type === "string" ? error.type : undefined;
  const message = typeof error.message === "string" ? error.message : undefined;
  return [code, message].filter(Boolean).join(": ") || undefined;
}

/**
 * An upstream that answers 200 and then `response.failed` or `error` before any output (overload, quota) has given
 * the client nothing yet: that is a failover, not the client's problem. The first event that carries output
 * commits the stream.
 */
export function gateVerdict(message: SseMessage): GateVerdict {
  const { type, json } = typeOf(message);
  if (type !== undefined && LIFECYCLE.has(type)) return { kind: "hold" };
  if (type === "response.failed" || type === "response.incomplete") {
    const response = json?.response as Record<string, unknown> | undefined;
    return { kind: "fail", reason: `${type}${errorText(response?.error) ? ` (${errorText(response?.error)})` : ""}` };
  }
  if (type === "error")
    return {
      kind: "fail",
      reason: `error event${errorText(json?.error ?? json) ? ` (${errorText(json?.error ?? json)})` : ""}`,
    };
  return { kind: "commit" };
}
