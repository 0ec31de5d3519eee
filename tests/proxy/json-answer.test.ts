import { afterEach, describe, expect, test } from "bun:test";
import type { Socket, TCPSocketListener } from "bun";
import { jsonResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const post = (url: string) =>
  fetch(`${url}/responses`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });

/** An upstream that announces a 1,000-byte JSON body, sends 20 bytes of it, then hangs up or goes silent. */
function shortJsonUpstream(then: "hang-up" | "silence"): TCPSocketListener<undefined> {
  return Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket: Socket<undefined>) {
        socket.write(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"id":"resp_1","usa',
        );
        if (then === "hang-up") setTimeout(() => socket.end(), 50);
      },
    },
  });
}

let listeners: TCPSocketListener<undefined>[] = [];
afterEach(() => {
  for (const listener of listeners) listener.stop(true);
  listeners = [];
});

describe("non-streamed JSON answers", () => {
  test("a small JSON answer arrives whole with its content-length, and its usage is logged", async () => {
    using _home = tempHome();
    const answer = { id: "resp_1", model: "gpt-test", usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 } };
    await using up = startFakeUpstream(() => jsonResponse(answer, 200, { "x-request-id": "req_9" }));
    await using proxy = startTestProxy({ upstreams: [upstream(`${up.url}/v1`)] });
    const res = await post(proxy.url);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toEqual(answer);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(res.headers.get("x-request-id")).toBe("req_9");
    await until(() => proxy.records().length === 1);
    expect(proxy.records()[0]).toMatchObject({ status_code: 200, model: "gpt-test", usage: { input_tokens: 7 } });
    expect(proxy.records()[0]?.error).toBeUndefined();
  });

  test("a JSON answer the upstream cuts short becomes a 502 error body and a logged failure", async () => {
    using _home = tempHome();
    const up = shortJsonUpstream("hang-up");
    listeners.push(up);
    await using proxy = startTestProxy({ upstreams: [upstream(`http://127.0.0.1:${up.port}/v1`)] });
    const res = await post(proxy.url);
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain("upstream failed while sending its answer");
    await until(() => proxy.records().length === 1);
    expect(proxy.records()[0]?.error).toStartWith("stream:");
  });

  test("a JSON answer that stalls mid-body ends at the idle limit with a 502", async () => {
    using _home = tempHome();
    const up = shortJsonUpstream("silence");
    listeners.push(up);
    await using proxy = startTestProxy({
      upstreams: [upstream(`http://127.0.0.1:${up.port}/v1`)],
      settings: { idle_timeout_ms: 300 },
    });
    const t0 = performance.now();
    const res = await post(proxy.url);
    expect(res.status).toBe(502);
    expect(performance.now() - t0).toBeLessThan(3000);
    await until(() => proxy.records().length === 1);
    expect(proxy.records()[0]?.error).toContain("idle");
  });
});
