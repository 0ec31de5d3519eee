import { describe, expect, test } from "bun:test";
import { Balancer } from "../../src/lb/balancer";
import { cooldownMs, DEFAULT_COOLDOWN, parseRetryAfter } from "../../src/lb/cooldown";

const pool = [{ key: "a" }, { key: "b" }, { key: "c" }];
const T = 1_000_000;

describe("balancer", () => {
  test("offers healthy upstreams in priority order", () => {
    const lb = new Balancer();
    expect(lb.candidates(pool, T)).toEqual({ list: pool, mode: "normal" });
  });

  test("skips an upstream cooling down and brings it back when the cooldown ends", () => {
    const lb = new Balancer();
    const until = lb.recordFailure("a", T, { reason: "status 500", status: 500 });
    expect(until).toBe(T + 30_000);
    expect(lb.candidates(pool, T + 29_999).list.map((u) => u.key)).toEqual(["b", "c"]);
    expect(lb.candidates(pool, T + 30_000).list.map((u) => u.key)).toEqual(["a", "b", "c"]);
  });

  test("skips exhausted upstreams, and ignores exhaustion (never cooldown) when all are exhausted", () => {
    const lb = new Balancer();
    lb.setExhausted("a", true);
    expect(lb.candidates(pool, T)).toEqual({ list: [{ key: "b" }, { key: "c" }], mode: "normal" });
    lb.setExhausted("b", true);
    lb.setExhausted("c", true);
    lb.recordFailure("b", T, { reason: "status 500" });
    expect(lb.candidates(pool, T)).toEqual({ list: [{ key: "a" }, { key: "c" }], mode: "fallback" });
  });

  test("when every upstream is cooling down it still offers the one that recovers first", () => {
    const lb = new Balancer();
    lb.recordFailure("a", T, { reason: "x", retryAfterMs: 50_000 });
    lb.recordFailure("b", T, { reason: "x", retryAfterMs: 5_000 });
    lb.recordFailure("c", T, { reason: "x", retryAfterMs: 20_000 });
    expect(lb.candidates(pool, T)).toEqual({ list: [{ key: "b" }], mode: "last-resort" });
    expect(lb.msUntilRecovery(["a", "b", "c"], T)).toBe(5_000);
  });

  test("cooldown doubles per consecutive failure up to 10 minutes, and a success resets it", () => {
    const lb = new Balancer();
    const rests: number[] = [];
    let now = T;
    for (let i = 0; i < 7; i++) {
      rests.push(lb.recordFailure("a", now, { reason: "x" }) - now);
      now += 1_000_000;
    }
    expect(rests).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
    lb.recordSuccess("a", now);
    expect(lb.isCoolingDown("a", now)).toBe(false);
    expect(lb.recordFailure("a", now, { reason: "x" }) - now).toBe(30_000);
  });

  test("Retry-After is honoured, capped at one hour; 401/403 rest ten minutes", () => {
    expect(cooldownMs(1, { retryAfterMs: 7_000 })).toBe(7_000);
    expect(cooldownMs(1, { retryAfterMs: 5 * 3_600_000 })).toBe(DEFAULT_COOLDOWN.maxRetryAfterMs);
    expect(cooldownMs(1, { status: 401 })).toBe(600_000);
    expect(cooldownMs(1, { status: 403 })).toBe(600_000);
  });

  test("resetCooldown makes an upstream healthy at once", () => {
    const lb = new Balancer();
    lb.recordFailure("a", T, { reason: "x" });
    lb.resetCooldown("a");
    expect(lb.candidates(pool, T).list[0]?.key).toBe("a");
  });
});

describe("parseRetryAfter", () => {
  test("reads delay-seconds and HTTP dates, ignores garbage", () => {
    expect(parseRetryAfter("12", T)).toBe(12_000);
    expect(parseRetryAfter("1.5", T)).toBe(1_500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("soon", T)).toBeUndefined();
    expect(parseRetryAfter(null, T)).toBeUndefined();
  });
});
