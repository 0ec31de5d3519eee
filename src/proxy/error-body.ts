// Pure: error responses in the shape each client understands (OpenAI's `{error:{…}}`, Anthropic's `{type:"error",…}`).
import type { Service } from "../config/schema";

export interface ErrorSpec {
  status: number;
  message: string;
  /** OpenAI `type` / Anthropic `error.type`. */
  type: string;
  code?: string;
  headers?: Record<string, string>;
}

export function errorBody(service: Service, spec: ErrorSpec): string {
  if (service === "claude") {
    return JSON.stringify({ type: "error", error: { type: spec.type, message: spec.message } });
  }
  return JSON.stringify({
    error: { message: spec.message, type: spec.type, code: spec.code ?? spec.type, param: null },
  });
}

export function errorResponse(service: Service, spec: ErrorSpec): Response {
  return new Response(errorBody(service, spec), {
    status: spec.status,
    headers: { "content-type": "application/json", ...spec.headers },
  });
}

/**
 * The event that ends a client's stream when the upstream fails after output began. Codex ignores plain `error`
 * events, so Responses streams get `response.failed`; Claude Code understands `event: error`. The leading blank lines
 * close any event the upstream left half-sent, so ours is parsed on its own.
 */
export function streamFailureEvent(protocol: StreamProtocol, message: string): string | undefined {
  if (protocol === "responses") {
    const data = {
      type: "response.failed",
      response: {
        id: "resp_codex_helper_failed",
        object: "response",
        status: "failed",
        error: { code: "server_error", message },
      },
    };
    return `\n\nevent: response.failed\ndata: ${JSON.stringify(data)}\n\n`;
  }
  if (protocol === "anthropic") {
    const data = { type: "error", error: { type: "overloaded_error", message } };
    return `\n\nevent: error\ndata: ${JSON.stringify(data)}\n\n`;
  }
  return undefined;
}

export type StreamProtocol = "responses" | "anthropic" | "other";

/** Which streaming protocol a request speaks, from the service and path (a stream is known from its content-type). */
export function protocolOf(service: Service, pathname: string): StreamProtocol {
  if (service === "codex" && /\/responses\/?$/.test(pathname)) return "responses";
  if (service === "claude" && /\/messages\/?$/.test(pathname)) return "anthropic";
  return "other";
}
