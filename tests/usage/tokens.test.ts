import { describe, expect, test } from "bun:test";
import { AnswerObserver } from "../../src/usage/tokens";

function sse(observer: AnswerObserver, event: string | undefined, data: unknown) {
  observer.onSse({ event, data: typeof data === "string" ? data : JSON.stringify(data) });
}

describe("AnswerObserver", () => {
  test("takes usage and model from response.completed (cached inside input, reasoning inside output)", () => {
    const o = new AnswerObserver();
    sse(o, "response.created", { type: "response.created", response: { id: "r" } });
    expect(o.answer.sawOutput).toBe(false);
    sse(o, "response.output_text.delta", { type: "response.output_text.delta", delta: "hi" });
    expect(o.answer.sawOutput).toBe(true);
    sse(o, "response.completed", {
      type: "response.completed",
      response: {
        model: "gpt-5",
        usage: {
          input_tokens: 100,
          input_tokens_details: { cached_tokens: 40 },
          output_tokens: 30,
          output_tokens_details: { reasoning_tokens: 10 },
          total_tokens: 130,
        },
      },
    });
    expect(o.answer).toMatchObject({
      terminal: "completed",
      model: "gpt-5",
      usage: { input_tokens: 100, cached_input_tokens: 40, output_tokens: 30, reasoning_tokens: 10, total_tokens: 130 },
    });
  });

  test("a response.failed event marks the answer failed with the upstream's message", () => {
    const o = new AnswerObserver();
    sse(o, "response.failed", {
      type: "response.failed",
      response: { error: { code: "rate_limit_exceeded", message: "slow down" } },
    });
    expect(o.answer.terminal).toBe("failed");
    expect(o.answer.failure).toBe("rate_limit_exceeded: slow down");
  });

  test("reads the final usage chunk of a Chat Completions stream", () => {
    const o = new AnswerObserver();
    sse(o, undefined, { object: "chat.completion.chunk", model: "m", choices: [{ delta: { content: "x" } }] });
    sse(o, undefined, { object: "chat.completion.chunk", model: "m", choices: [{ delta: {}, finish_reason: "stop" }] });
    sse(o, undefined, {
      object: "chat.completion.chunk",
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10, prompt_tokens_details: { cached_tokens: 2 } },
    });
    sse(o, undefined, "[DONE]");
    expect(o.answer).toMatchObject({
      terminal: "completed",
      model: "m",
      usage: { input_tokens: 7, cached_input_tokens: 2, output_tokens: 3, total_tokens: 10 },
    });
  });

  test("Anthropic: input counts cache reads and writes beside input_tokens; output is the last message_delta", () => {
    const o = new AnswerObserver();
    sse(o, "message_start", {
      type: "message_start",
      message: {
        model: "claude-x",
        usage: { input_tokens: 10, cache_creation_input_tokens: 20, cache_read_input_tokens: 70, output_tokens: 1 },
      },
    });
    sse(o, "message_delta", { type: "message_delta", usage: { output_tokens: 5 } });
    sse(o, "message_delta", { type: "message_delta", usage: { output_tokens: 42 } });
    sse(o, "message_stop", { type: "message_stop" });
    expect(o.answer).toMatchObject({
      terminal: "completed",
      model: "claude-x",
      usage: {
        input_tokens: 100,
        cached_input_tokens: 70,
        output_tokens: 42,
        total_tokens: 142,
        cache_creation_input_tokens: 20,
        cache_read_input_tokens: 70,
      },
    });
  });

  test("reads usage from a plain JSON body", () => {
    const o = new AnswerObserver();
    o.onJsonBody(JSON.stringify({ object: "response", model: "m", usage: { input_tokens: 5, output_tokens: 6 } }));
    expect(o.answer.usage).toMatchObject({ input_tokens: 5, output_tokens: 6, total_tokens: 11 });
    const chat = new AnswerObserver();
    chat.onJsonBody(JSON.stringify({ usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }));
    expect(chat.answer.usage).toMatchObject({ input_tokens: 1, output_tokens: 2, total_tokens: 3 });
  });

  test("ignores garbage without throwing", () => {
    const o = new AnswerObserver();
    sse(o, "response.completed", "{not json");
    o.onJsonBody("<html>");
    expect(o.answer.usage).toBeUndefined();
  });
});
