import { describe, expect, test } from "bun:test";
import { clientResponseHeaders, upstreamHeaders, upstreamUrl } from "../../src/proxy/upstream-request";

describe("upstreamUrl", () => {
  test("never doubles /v1: Codex pointed at the proxy with or without /v1 reaches the same URL", () => {
    expect(upstreamUrl("https://api.openai.com/v1", "/responses")).toBe("https://api.openai.com/v1/responses");
    expect(upstreamUrl("https://api.openai.com/v1", "/v1/responses")).toBe("https://api.openai.com/v1/responses");
    expect(upstreamUrl("https://api.openai.com/v1/", "/v1/responses")).toBe("https://api.openai.com/v1/responses");
  });

  test("keeps the query string and paths of bases without a version", () => {
    expect(upstreamUrl("https://api.anthropic.com", "/v1/messages?beta=true")).toBe(
      "https://api.anthropic.com/v1/messages?beta=true",
    );
    expect(upstreamUrl("https://relay.example/openai/v1", "/v1/models?x=1")).toBe(
      "https://relay.example/openai/v1/models?x=1",
    );
    expect(upstreamUrl("https://relay.example/api", "/responses")).toBe("https://relay.example/api/responses");
  });

  test("a version-like host name is not a path segment", () => {
    expect(upstreamUrl("http://v1", "/v1/x")).toBe("http://v1/v1/x");
  });
});

describe("upstreamHeaders", () => {
  const client = new Headers({
    authorization: "Bearer client-token",
    "x-api-key": "client-key",
    host: "127.0.0.1:3211",
    connection: "keep-alive, x-drop-me",
    "x-drop-me": "1",
    "keep-alive": "timeout=5",
    "transfer-encoding": "chunked",
    "content-length": "999",
    "content-encoding": "zstd",
    "session-id": "abc",
    "x-codex-turn-metadata": "{}",
    accept: "text/event-stream",
  });

  test("replaces the client's credentials with the upstream's and drops hop-by-hop headers", () => {
    const h = upstreamHeaders(client, { auth_token: "sk-up" }, "codex", 10);
    expect(h.get("authorization")).toBe("Bearer sk-up");
    expect(h.get("x-api-key")).toBeNull();
    for (const name of ["host", "connection", "x-drop-me", "keep-alive", "transfer-encoding", "content-encoding"]) {
      expect(h.get(name)).toBeNull();
    }
    expect(h.get("content-length")).toBe("10");
    expect(h.get("session-id")).toBe("abc");
    expect(h.get("x-codex-turn-metadata")).toBe("{}");
  });

  test("api_key goes as x-api-key; for Codex a lone api_key is also the bearer token", () => {
    const codex = upstreamHeaders(client, { api_key: "k1" }, "codex", null);
    expect(codex.get("authorization")).toBe("Bearer k1");
    expect(codex.get("x-api-key")).toBe("k1");
    const claude = upstreamHeaders(client, { api_key: "k2" }, "claude", null);
    expect(claude.get("authorization")).toBeNull();
    expect(claude.get("x-api-key")).toBe("k2");
  });

  test("response headers pass through except hop-by-hop ones", () => {
    const h = clientResponseHeaders(
      new Headers({
        "retry-after": "3",
        "x-ratelimit-remaining-requests": "9",
        "x-codex-primary-used-percent": "12",
        "x-request-id": "req_1",
        "content-encoding": "gzip",
        connection: "close",
        "transfer-encoding": "chunked",
      }),
    );
    expect(h.get("retry-after")).toBe("3");
    expect(h.get("x-ratelimit-remaining-requests")).toBe("9");
    expect(h.get("x-codex-primary-used-percent")).toBe("12");
    expect(h.get("x-request-id")).toBe("req_1");
    expect(h.get("content-encoding")).toBe("gzip");
    expect(h.get("connection")).toBeNull();
    expect(h.get("transfer-encoding")).toBeNull();
  });
});
