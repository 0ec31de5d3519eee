import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { zstdCompressSync } from "bun";
import { jsonResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, upstream } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const send = (url: string, content: string, headers: Record<string, string> = {}, body?: Uint8Array) =>
  fetch(`${url}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: (body as BodyInit | undefined) ?? JSON.stringify({ input: [{ role: "user", content }] }),
  }).then((r) => r.text());

describe("request filter in the proxy", () => {
  test("rules change the body the upstream receives; an edit applies without restart; a broken edit keeps the old rules", async () => {
    using home = tempHome();
    writeFileSync(
      home.paths.filter,
      JSON.stringify([{ op: "replace", source: "ACME-internal", target: "[redacted]" }]),
    );
    await using up = startFakeUpstream(() => jsonResponse({ ok: true }));
    await using proxy = startTestProxy({ upstreams: [upstream(up.url)], watchIntervalMs: 20 });

    await send(proxy.url, "about ACME-internal plans");
    expect(JSON.parse(up.hits[0]!.body).input[0].content).toBe("about [redacted] plans");

    writeFileSync(home.paths.filter, JSON.stringify([{ op: "remove", source: "plans", regex: true }]));
    await Bun.sleep(150);
    await send(proxy.url, "about ACME-internal plans");
    expect(JSON.parse(up.hits[1]!.body).input[0].content).toBe("about ACME-internal ");

    writeFileSync(home.paths.filter, "[{ this is not json");
    await Bun.sleep(150);
    await send(proxy.url, "more plans");
    expect(JSON.parse(up.hits[2]!.body).input[0].content).toBe("more ");
  });

  test("a zstd-compressed request body is decoded, filtered and sent plain", async () => {
    using home = tempHome();
    writeFileSync(home.paths.filter, JSON.stringify([{ op: "replace", source: "secret", target: "public" }]));
    await using up = startFakeUpstream(() => jsonResponse({ ok: true }));
    await using proxy = startTestProxy({ upstreams: [upstream(up.url)] });
    const plain = JSON.stringify({ input: "a secret message" });
    await send(proxy.url, "", { "content-encoding": "zstd" }, zstdCompressSync(Buffer.from(plain)));
    expect(up.hits[0]?.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(up.hits[0]!.body)).toEqual({ input: "a public message" });
  });
});
