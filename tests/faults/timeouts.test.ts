// Connect, first-byte and slow-drip behaviour against upstreams that accept connections and then say nothing.
import { describe, expect, test } from "bun:test";
import type { TCPSocketListener } from "bun";
import { tcpProbe } from "../../src/proxy/tcp-probe";
import { closedPort, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

/** A TCP listener that accepts and never answers: no headers, ever. */
function silentListener(): TCPSocketListener<undefined> {
  return Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {}, open() {} } });
}

const post = (url: string) => fetch(`${url}/responses`, { method: "POST", body: "{}" });

describe("timeouts", () => {
  test("the reachability probe: a closed port is unreachable, a listening one reachable", async () => {
    const silent = silentListener();
    try {
      expect(await tcpProbe(`http://127.0.0.1:${await closedPort()}`, 500)).toBe(false);
      expect(await tcpProbe(`http://127.0.0.1:${silent.port}/v1`, 500)).toBe(true);
      expect(await tcpProbe("not a url", 500)).toBe(false);
    } finally {
      silent.stop(true);
    }
  });

  test("no headers within the connect timeout and the host cannot be reached: fail over at once as a connect timeout", async () => {
    using _home = tempHome();
    const silent = silentListener();
    await using healthy = startFakeUpstream(() =>
      sseResponse(responsesEvents("rescued", { input_tokens: 1, output_tokens: 1 })),
    );
    await using proxy = startTestProxy({
      upstreams: [upstream(`http://127.0.0.1:${silent.port}`), upstream(healthy.url)],
      settings: { connect_timeout_ms: 150, first_byte_timeout_ms: 5_000 },
      // Stands in for a blackholed host (loopback can only refuse or accept).
      probe: async () => false,
    });
    try {
      const t0 = Date.now();
      const text = await (await post(proxy.url)).text();
      expect(text).toContain("rescued");
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(proxy.records()[0]?.attempts[0]?.error).toBe("timeout: connect");
    } finally {
      silent.stop(true);
    }
  });

  test("a reachable host that sends no headers is waited for up to the first-byte limit, then failed over", async () => {
    using _home = tempHome();
    const silent = silentListener();
    await using healthy = startFakeUpstream(() =>
      sseResponse(responsesEvents("rescued", { input_tokens: 1, output_tokens: 1 })),
    );
    await using proxy = startTestProxy({
      upstreams: [upstream(`http://127.0.0.1:${silent.port}`), upstream(healthy.url)],
      settings: { connect_timeout_ms: 100, first_byte_timeout_ms: 600 },
    });
    try {
      const t0 = Date.now();
      const text = await (await post(proxy.url)).text();
      expect(text).toContain("rescued");
      expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
      expect(proxy.records()[0]?.attempts[0]?.error).toBe("timeout: first byte");
    } finally {
      silent.stop(true);
    }
  });

  test("a slow-drip upstream (events 150 ms apart) is never cut while it keeps sending", async () => {
    using _home = tempHome();
    await using drip = startFakeUpstream(() =>
      sseResponse(responsesEvents("drip drip drip drip", { input_tokens: 1, output_tokens: 4 }, 6), { gapMs: 150 }),
    );
    await using proxy = startTestProxy({ upstreams: [upstream(drip.url)], settings: { idle_timeout_ms: 400 } });
    const text = await (await post(proxy.url)).text();
    expect(text).toContain("response.completed");
    expect(proxy.records()[0]?.error).toBeUndefined();
  });
});
