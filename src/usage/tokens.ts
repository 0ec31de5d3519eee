// Pure: token usage, model and the terminal state of an answer, from Responses / Chat Completions / Anthropic events.
import type { TokenUsage } from "../log/record";
import type { SseMessage } from "../proxy/sse";

type Json = Record<string, unknown>;

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Responses API usage: cached tokens are inside input_tokens, reasoning inside output_tokens. */
export function fromResponsesUsage(usage: Json): TokenUsage {
  const input = num(usage.input_tokens);
  const output = num(usage.output_tokens);
  return {
    input_tokens: input,
    cached_input_tokens: num(obj(usage.input_tokens_details)?.cached_tokens),
    output_tokens: output,
    reasoning_tokens: num(obj(usage.output_tokens_details)?.reasoning_tokens),
    total_tokens: num(usage.total_tokens) || input + output,
  };
}

/** Chat Completions usage (`prompt_tokens` / `completion_tokens`), same meaning as Responses. */
export function fromChatUsage(usage: Json): TokenUsage {
  const input = num(usage.prompt_tokens);
  const output = num(usage.completion_tokens);
  return {
    input_tokens: input,
    cached_input_tokens: num(obj(usage.prompt_tokens_details)?.cached_tokens),
    output_tokens: output,
    reasoning_tokens: num(obj(usage.completion_tokens_details)?.reasoning_tokens),
    total_tokens: num(usage.total_tokens) || input + output,
  };
}

/**
 * Anthropic usage. Anthropic counts cache reads and cache writes *beside* input_tokens; our common input_tokens
 * includes them (as OpenAI's does), so totals across services mean the same thing:
 * input_tokens = input + cache_creation + cache_read, cached_input_tokens = cache_read.
 */
export function fromAnthropicUsage(usage: Json): TokenUsage {
  const uncached = num(usage.input_tokens);
  const creation = num(usage.cache_creation_input_tokens);
  const read = num(usage.cache_read_input_tokens);
  const input = uncached + creation + read;
  const output = num(usage.output_tokens);
  return {
    input_tokens: input,
    cached_input_tokens: read,
    output_tokens: output,
    reasoning_tokens: 0,
    total_tokens: input + output,
    cache_creation_input_tokens: creation,
    cache_read_input_tokens: read,
  };
}

export type Terminal = "completed" | "failed" | "incomplete" | undefined;

export interface ObservedAnswer {
  usage?: TokenUsage;
  model?: string;
  /** How the answer ended as the protocol tells it; undefined while (or if) no terminal event was seen. */
  terminal: Terminal;
  /** The upstream's own error message from a failure event, for the log. */
  failure?: string;
  /** Whether an event carrying output (text, tool call, content) has been seen. */
  sawOutput: boolean;
}

/** Events that only announce a response; everything else from a Responses stream counts as output. */
const RESPONSES_LIFECYCLE = new Set(["response.created", "response.in_progress", "response.queued"]);

/**
 * Watches one answer's events. Cheap on the hot path: a message is JSON-parsed only when it can carry usage,
 * a model or a terminal state.
 */
export class AnswerObserver {
  readonly answer: ObservedAnswer = { terminal: undefined, sawOutput: false };
  private anthropicStart: Json | undefined;

  onSse(message: SseMessage): void {
    const name = message.event;
    const data = message.data;
    if (!this.answer.sawOutput && !this.isLifecycle(name, data)) this.answer.sawOutput = true;
    if (data === "[DONE]") {
      this.answer.terminal ??= "completed";
      return;
    }
    const interesting =
      name === "error" ||
      name === "message_start" ||
      name === "message_delta" ||
      name === "message_stop" ||
      (name?.startsWith("response.") && /completed|failed|incomplete|error/.test(name)) ||
      data.includes('"usage"') ||
      data.includes('"error"') ||
      data.includes('"finish_reason"');
    if (!interesting) return;
    let parsed: Json | undefined;
    try {
      parsed = obj(JSON.parse(data));
    } catch {
      return;
    }
    if (parsed) this.onEvent(name, parsed);
  }

  private isLifecycle(name: string | undefined, data: string): boolean {
    if (name !== undefined) return RESPONSES_LIFECYCLE.has(name) || name === "ping" || name === "message_start";
    // Nameless events (Chat Completions, some relays): look at the JSON type when it is up front.
    const type = /^\{"type":"([^"]+)"/.exec(data)?.[1];
    return type !== undefined && (RESPONSES_LIFECYCLE.has(type) || type === "ping" || type === "message_start");
  }

  onEvent(name: string | undefined, event: Json): void {
    const type = typeof event.type === "string" ? event.type : name;
    switch (type) {
      case "response.completed":
      case "response.incomplete":
      case "response.failed": {
        const response = obj(event.response);
        const usage = obj(response?.usage);
        if (usage) this.answer.usage = fromResponsesUsage(usage);
        if (typeof response?.model === "string") this.answer.model = response.model;
        if (type === "response.completed") this.answer.terminal = "completed";
        else if (type === "response.incomplete") this.answer.terminal = "incomplete";
        else {
          this.answer.terminal = "failed";
          const error = obj(response?.error);
          this.answer.failure = describeError(error) ?? "response.failed";
        }
        return;
      }
      case "message_start": {
        const message = obj(event.message);
        this.anthropicStart = obj(message?.usage);
        if (typeof message?.model === "string") this.answer.model = message.model;
        if (this.anthropicStart) this.answer.usage = fromAnthropicUsage(this.anthropicStart);
        return;
      }
      case "message_delta": {
        const delta = obj(event.usage);
        if (delta) this.answer.usage = fromAnthropicUsage({ ...this.anthropicStart, ...delta });
        return;
      }
      case "message_stop":
        this.answer.terminal = "completed";
        return;
      case "error": {
        this.answer.terminal = "failed";
        this.answer.failure = describeError(obj(event.error)) ?? "error event";
        return;
      }
      default:
        break;
    }
    // Chat Completions chunks: usage arrives in a final chunk; finish_reason marks the end.
    const usage = obj(event.usage);
    if (usage && ("prompt_tokens" in usage || "completion_tokens" in usage)) this.answer.usage = fromChatUsage(usage);
    if (typeof event.model === "string" && this.answer.model === undefined) this.answer.model = event.model;
    if (event.object === "chat.completion.chunk" && Array.isArray(event.choices)) {
      const choice = obj(event.choices[0]);
      if (choice?.finish_reason) this.answer.terminal ??= "completed";
    }
  }

  /** A whole (non-streamed) JSON body. */
  onJsonBody(text: string): void {
    let body: Json | undefined;
    try {
      body = obj(JSON.parse(text));
    } catch {
      return;
    }
    if (!body) return;
    this.answer.sawOutput = true;
    if (typeof body.model === "string") this.answer.model = body.model;
    const usage = obj(body.usage);
    if (usage) {
      if ("prompt_tokens" in usage || "completion_tokens" in usage) this.answer.usage = fromChatUsage(usage);
      else if (body.type === "message" || "cache_read_input_tokens" in usage || "cache_creation_input_tokens" in usage)
        this.answer.usage = fromAnthropicUsage(usage);
      else this.answer.usage = fromResponsesUsage(usage);
    }
    if (body.type === "error" || (obj(body.error) && !usage)) {
      this.answer.failure = describeError(obj(body.error));
    }
    this.answer.terminal = "completed";
  }
}

function describeError(error: Json | undefined): string | undefined {
  if (!error) return undefined;
  const code = typeof error.code === "string" ? error.code : typeof error.type === "string" ? error.type : undefined;
  const message = typeof error.message === "string" ? error.message : undefined;
  if (code && message) return `${code}: ${message}`;
  return code ?? message;
}
