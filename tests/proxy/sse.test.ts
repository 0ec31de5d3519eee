import { describe, expect, test } from "bun:test";
import { type SseMessage, SseParser } from "../../src/proxy/sse";

function parseAll(chunks: Uint8Array[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = new SseParser((m) => out.push(m));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return out;
}

const encoder = new TextEncoder();
const stream =
  'event: response.created\ndata: {"type":"response.created"}\n\n' +
  ": keep-alive comment\n\n" +
  'event: response.output_text.delta\r\ndata: {"delta":"héllo wörld ✓ 🚀"}\r\n\r\n' +
  "data: line one\rdata: line two\r\r" +
  'event: response.completed\ndata: {"type":"response.completed","usage":{"input_tokens":3}}\n\n';
const expected: SseMessage[] = [
  { event: "response.created", data: '{"type":"response.created"}' },
  { event: "response.output_text.delta", data: '{"delta":"héllo wörld ✓ 🚀"}' },
  { event: undefined, data: "line one\nline two" },
  { event: "response.completed", data: '{"type":"response.completed","usage":{"input_tokens":3}}' },
];

describe("SseParser", () => {
  test("parses LF, CRLF and CR line endings, multi-line data and comments", () => {
    expect(parseAll([encoder.encode(stream)])).toEqual(expected);
  });

  test("gives the same events when the stream is split at every byte offset (even inside UTF-8 and CRLF)", () => {
    const bytes = encoder.encode(stream);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseAll([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(expected);
    }
  });

  test("gives the same events when fed one byte at a time", () => {
    const bytes = encoder.encode(stream);
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    expect(parseAll(chunks)).toEqual(expected);
  });

  test("drops an unterminated event at the end of the stream", () => {
    expect(parseAll([encoder.encode('data: {"a":1}\n\ndata: {"cut')])).toEqual([{ event: undefined, data: '{"a":1}' }]);
  });
});
