// Pure, incremental Server-Sent Events parser: chunks may split anywhere, even inside a UTF-8 character or a CRLF.

export interface SseMessage {
  event: string | undefined;
  data: string;
}

/** A line longer than this is dropped (and counted): the tap must not grow without bound on a hostile stream. */
const MAX_LINE_CHARS = 64 * 1024 * 1024;

export class SseParser {
  private readonly decoder = new TextDecoder();
  private pending = "";
  private skipLeadingLf = false;
  private eventName: string | undefined;
  private data: string[] = [];

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  push(chunk: Uint8Array): void {
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  /** The stream ended: a final unterminated event is discarded, as the SSE spec says. */
  end(): void {
    this.feed(this.decoder.decode());
    this.pending = "";
    this.data = [];
    this.eventName = undefined;
  }

  private feed(text: string): void {
    let buffer = this.pending === "" ? text : this.pending + text;
    let start = 0;
    if (this.skipLeadingLf && buffer.charCodeAt(0) === 10) start = 1;
    this.skipLeadingLf = false;
    while (start < buffer.length) {
      const lf = buffer.indexOf("\n", start);
      const cr = buffer.indexOf("\r", start);
      let end: number;
      if (cr === -1) end = lf;
      else if (lf === -1) end = cr;
      else end = Math.min(cr, lf);
      if (end === -1) break;
      this.line(buffer.slice(start, end));
      if (buffer.charCodeAt(end) === 13) {
        if (end + 1 === buffer.length) this.skipLeadingLf = true;
        else if (buffer.charCodeAt(end + 1) === 10) end++;
      }
      start = end + 1;
    }
    buffer = start === 0 ? buffer : buffer.slice(start);
    if (buffer.length > MAX_LINE_CHARS) buffer = "";
    this.pending = buffer;
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data.length > 0) {
        const message = { event: this.eventName, data: this.data.length === 1 ? this.data[0]! : this.data.join("\n") };
        this.data = [];
        this.eventName = undefined;
        this.onMessage(message);
      } else {
        this.eventName = undefined;
      }
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment / keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.eventName = value;
  }
}
