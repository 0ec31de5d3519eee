// Counts the proxy's traffic from request-log records (pure): requests, failovers, tokens, TTFB histogram, recent lines.
import { isErrorRecord } from "../log/aggregate";
import type { RequestRecord } from "../log/record";
import { displayUrl } from "./status";

/** Upper bounds (seconds) of the time-to-first-byte histogram: LLM answers start in 0.2–30 s. */
export const TTFB_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

export interface RequestCounter {
  service: string;
  config: string;
  upstream: string;
  status_class: string;
  count: number;
}

export interface FailoverCounter {
  service: string;
  config: string;
  /** The upstream that failed and was moved on from. */
  upstream: string;
  count: number;
}

export interface TokenCounter {
  service: string;
  config: string;
  upstream: string;
  input: number;
  cached_input: number;
  output: number;
  reasoning: number;
}

export interface TtfbHistogram {
  service: string;
  config: string;
  upstream: string;
  /** Cumulative counts per bucket of TTFB_BUCKETS_S (Prometheus `le` semantics), then +Inf = count. */
  buckets: number[];
  count: number;
  sum_s: number;
}

export interface TrafficSnapshot {
  requests: number;
  errors: number;
  failovers: number;
  client_aborts: number;
  tokens: { input: number; cached_input: number; output: number; reasoning: number };
  by_request: RequestCounter[];
  by_failover: FailoverCounter[];
  by_tokens: TokenCounter[];
  ttfb: TtfbHistogram[];
}

export function statusClass(status: number): string {
  if (status === 499) return "client_abort";
  if (status < 100) return "none";
  return `${Math.floor(status / 100)}xx`;
}

function labelKey(...parts: string[]): string {
  return parts.join("\u0000");
}

export class Traffic {
  private requests = 0;
  private errors = 0;
  private failovers = 0;
  private clientAborts = 0;
  private readonly tokens = { input: 0, cached_input: 0, output: 0, reasoning: 0 };
  private readonly byRequest = new Map<string, RequestCounter>();
  private readonly byFailover = new Map<string, FailoverCounter>();
  private readonly byTokens = new Map<string, TokenCounter>();
  private readonly ttfb = new Map<string, TtfbHistogram>();
  private readonly recent: RequestRecord[] = [];

  constructor(private readonly recentLimit = 100) {}

  observe(record: RequestRecord): void {
    const service = record.service;
    const config = record.config_name ?? "none";
    const upstream = record.upstream_base_url === null ? "none" : displayUrl(record.upstream_base_url);
    this.requests++;
    if (isErrorRecord(record)) this.errors++;
    if (record.client_aborted) this.clientAborts++;

    const klass = statusClass(record.status_code);
    const rk = labelKey(service, config, upstream, klass);
    const rc = this.byRequest.get(rk) ?? { service, config, upstream, status_class: klass, count: 0 };
    rc.count++;
    this.byRequest.set(rk, rc);

    // Every attempt but the last failed and was moved on from; when all failed, the last one is not a failover.
    for (const attempt of record.attempts.slice(0, -1)) {
      const from = displayUrl(attempt.upstream_base_url);
      const fk = labelKey(service, config, from);
      const fc = this.byFailover.get(fk) ?? { service, config, upstream: from, count: 0 };
      fc.count++;
      this.byFailover.set(fk, fc);
      this.failovers++;
    }

    const usage = record.usage;
    if (usage) {
      const tk = labelKey(service, config, upstream);
      const tc = this.byTokens.get(tk) ?? {
        service,
        config,
        upstream,
        input: 0,
        cached_input: 0,
        output: 0,
        reasoning: 0,
      };
      tc.input += usage.input_tokens;
      tc.cached_input += usage.cached_input_tokens;
      tc.output += usage.output_tokens;
      tc.reasoning += usage.reasoning_tokens;
      this.byTokens.set(tk, tc);
      this.tokens.input += usage.input_tokens;
      this.tokens.cached_input += usage.cached_input_tokens;
      this.tokens.output += usage.output_tokens;
      this.tokens.reasoning += usage.reasoning_tokens;
    }

    if (record.ttfb_ms !== null && record.upstream_base_url !== null) {
      const hk = labelKey(service, config, upstream);
      const h = this.ttfb.get(hk) ?? {
        service,
        config,
        upstream,
        buckets: TTFB_BUCKETS_S.map(() => 0),
        count: 0,
        sum_s: 0,
      };
      const seconds = record.ttfb_ms / 1000;
      TTFB_BUCKETS_S.forEach((le, i) => {
        if (seconds <= le) h.buckets[i]!++;
      });
      h.count++;
      h.sum_s += seconds;
      this.ttfb.set(hk, h);
    }

    this.recent.push(record);
    if (this.recent.length > this.recentLimit) this.recent.shift();
  }

  snapshot(): TrafficSnapshot {
    const copy = <T extends object>(map: Map<string, T>): T[] => [...map.values()].map((v) => structuredCopy(v));
    return {
      requests: this.requests,
      errors: this.errors,
      failovers: this.failovers,
      client_aborts: this.clientAborts,
      tokens: { ...this.tokens },
      by_request: copy(this.byRequest),
      by_failover: copy(this.byFailover),
      by_tokens: copy(this.byTokens),
      ttfb: copy(this.ttfb),
    };
  }

  /** The newest records, newest last (the dashboard's first paint; the live feed subscribes to the log). */
  recentRecords(): RequestRecord[] {
    return [...this.recent];
  }
}

function structuredCopy<T extends object>(value: T): T {
  const out = { ...value } as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) if (Array.isArray(v)) out[k] = [...v];
  return out as T;
}
