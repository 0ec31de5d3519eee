// The attempt loop: choose upstreams, send the request, fail over before the first byte, stream the answer, log it.
import type { Service, Upstream } from "../config/schema";
import type { FilterRules } from "../filter/rules";
import { applyFilter } from "../filter/rules";
import type { Balancer, CandidateMode } from "../lb/balancer";
import { parseRetryAfter } from "../lb/cooldown";
import type { Attempt, RequestRecord } from "../log/record";
import { AnswerObserver } from "../usage/tokens";
import { classifyStatus, describeFetchError } from "./classify";
import { errorResponse, protocolOf, streamFailureEvent } from "./error-body";
import { type HoldResult, holdUntilOutput } from "./hold-until-output";
import { BadBodyEncoding, BodyTooLarge, readBody } from "./request-body";
import { type TapEnd, tapStream } from "./stream-tap";
import { type ReachabilityProbe, tcpProbe } from "./tcp-probe";
import { clientResponseHeaders, upstreamHeaders, upstreamUrl } from "./upstream-request";

export interface PoolEntry {
  /** Identity for balancer state (see lb/upstream-key.ts). */
  key: string;
  upstream: Upstream;
}

export interface PoolSnapshot {
  configName: string | null;
  entries: readonly PoolEntry[];
}

export interface ProxyLimits {
  maxBodyBytes: number;
  /** Until the upstream's response headers arrive. */
  firstByteTimeoutMs: number;
  /**
   * No headers after this long: probe the upstream's host with a plain TCP connect; if that cannot connect either, the
   * attempt is a connect timeout (fail over now) rather than a slow answer (keep waiting up to firstByteTimeoutMs).
   */
  connectTimeoutMs: number;
  /** Longest silence inside a response body. */
  idleTimeoutMs: number;
  /** Cap of the Retry-After we tell clients when every upstream is down. */
  maxClientRetryAfterS: number;
}

export const DEFAULT_LIMITS: ProxyLimits = {
  maxBodyBytes: 32 * 1024 * 1024,
  firstByteTimeoutMs: 120_000,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 300_000,
  maxClientRetryAfterS: 60,
};

export type UpstreamFetch = (
  url: string,
  init: RequestInit & { decompress?: boolean; timeout?: boolean },
) => Promise<Response>;

export interface ProxyDeps {
  service: Service;
  /** The pool in force; a request keeps the snapshot it started with. */
  pool: () => PoolSnapshot;
  balancer: Balancer;
  fetch: UpstreamFetch;
  now: () => number;
  filter: () => FilterRules;
  log: (record: RequestRecord) => void;
  limits: ProxyLimits;
  /** An upstream failed (status when it answered): usage providers refresh on quota-style failures. */
  onUpstreamFailure?: (key: string, status: number | undefined) => void;
  /** Reachability check for the connect timeout (tests inject one). */
  probe?: ReachabilityProbe;
}

class FirstByteTimeout extends Error {
  override name = "TimeoutError";
}

const BODYLESS = new Set(["GET", "HEAD"]);

function streamFormat(res: Response, method: string): "sse" | "json" | "none" {
  if (method === "HEAD" || res.body === null) return "none";
  // Compressed bytes are forwarded as they are; the tap cannot read them without decoding twice.
  const encoding = res.headers.get("content-encoding");
  if (encoding && encoding !== "identity") return "none";
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("text/event-stream")) return "sse";
  if (type.includes("json")) return "json";
  return "none";
}

export async function forward(req: Request, deps: ProxyDeps): Promise<Response> {
  const startedAt = deps.now();
  const t0 = performance.now();
  const url = new URL(req.url);
  const pathAndQuery = url.pathname + url.search;
  const snapshot = deps.pool();
  const protocol = protocolOf(deps.service, url.pathname);
  const attempts: Attempt[] = [];
  const elapsed = () => Math.round((performance.now() - t0) * 100) / 100;
  const baseRecord = (): RequestRecord => ({
    timestamp_ms: startedAt,
    service: deps.service,
    method: req.method,
    path: url.pathname,
    status_code: 0,
    duration_ms: 0,
    ttfb_ms: null,
    config_name: snapshot.configName,
    upstream_base_url: null,
    attempts,
  });
  const finishEarly = (response: Response, error: string, extra: Partial<RequestRecord> = {}): Response => {
    deps.log({ ...baseRecord(), status_code: response.status, duration_ms: elapsed(), error, ...extra });
    return response;
  };

  let body: Uint8Array | string | undefined;
  if (!BODYLESS.has(req.method)) {
    try {
      body = await readBody(req, deps.limits.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        const message = `codex-helper: ${error.message}`;
        return finishEarly(
          errorResponse(deps.service, { status: 413, message, type: "invalid_request_error", code: "body_too_large" }),
          error.message,
        );
      }
      if (error instanceof BadBodyEncoding) {
        return finishEarly(
          errorResponse(deps.service, {
            status: 400,
            message: `codex-helper: ${error.message}`,
            type: "invalid_request_error",
          }),
          error.message,
        );
      }
      // The client hung up while sending.
      return finishEarly(new Response(null, { status: 499 }), "client aborted while sending", { client_aborted: true });
    }
    const rules = deps.filter();
    if (body !== undefined && rules.rules.length > 0) {
      const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
      const filtered = applyFilter(text, rules);
      if (filtered !== undefined) body = filtered;
    }
  }
  const bodyLength = body === undefined ? null : typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;

  if (snapshot.entries.length === 0) {
    const message = `codex-helper: no ${deps.service} upstream configured (codex-helper config add NAME --base-url URL …)`;
    return finishEarly(
      errorResponse(deps.service, { status: 503, message, type: "server_error", code: "no_upstream" }),
      message,
    );
  }

  const { list, mode } = deps.balancer.candidates(snapshot.entries, deps.now());
  for (const entry of list) {
    const upstream = entry.upstream;
    const attemptT0 = performance.now();
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new FirstByteTimeout(`no response within ${deps.limits.firstByteTimeoutMs} ms`)),
      deps.limits.firstByteTimeoutMs,
    );
    let connectFailed = false;
    const connectTimer = setTimeout(() => {
      void (deps.probe ?? tcpProbe)(upstream.base_url, Math.min(deps.limits.connectTimeoutMs, 5_000)).then(
        (reachable) => {
          if (reachable || timeout.signal.aborted) return;
          connectFailed = true;
          timeout.abort(new FirstByteTimeout(`cannot connect within ${deps.limits.connectTimeoutMs} ms`));
        },
      );
    }, deps.limits.connectTimeoutMs);
    let res: Response;
    try {
      res = await deps.fetch(upstreamUrl(upstream.base_url, pathAndQuery), {
        method: req.method,
        headers: upstreamHeaders(req.headers, upstream.auth, deps.service, bodyLength),
        body: body as BodyInit | undefined,
        signal: AbortSignal.any([req.signal, timeout.signal]),
        redirect: "manual",
        // Forward bytes and Content-Encoding as they are (Bun would decode yet keep the header: BUN.md #4).
        decompress: false,
        // Bun's own 300 s socket timer would cut quiet reasoning streams (BUN.md #3); our limits apply instead.
        timeout: false,
      });
    } catch (error) {
      clearTimeout(timer);
      clearTimeout(connectTimer);
      if (req.signal.aborted) {
        return finishEarly(new Response(null, { status: 499 }), "client aborted before the answer", {
          client_aborted: true,
        });
      }
      const reason = connectFailed
        ? "timeout: connect"
        : timeout.signal.aborted
          ? "timeout: first byte"
          : describeFetchError(error);
      attempts.push({ upstream_base_url: upstream.base_url, error: reason, duration_ms: msSince(attemptT0) });
      deps.balancer.recordFailure(entry.key, deps.now(), { reason });
      deps.onUpstreamFailure?.(entry.key, undefined);
      continue;
    }
    clearTimeout(timer);
    clearTimeout(connectTimer);

    const outcome = classifyStatus(res.status, parseRetryAfter(res.headers.get("retry-after"), deps.now()));
    if (outcome.kind === "retry") {
      // Release the connection; the answer of a failed attempt is not the client's.
      res.body?.cancel().catch(() => {});
      attempts.push({
        upstream_base_url: upstream.base_url,
        status_code: res.status,
        error: outcome.reason,
        duration_ms: msSince(attemptT0),
      });
      deps.balancer.recordFailure(entry.key, deps.now(), outcome);
      deps.onUpstreamFailure?.(entry.key, res.status);
      continue;
    }
    // Responses streams: hold the preamble until the first output event, so a 200 that fails before any output
    // (response.failed, error, a reset, silence) is a failover the client never sees.
    let committed: Extract<HoldResult, { kind: "commit" }> | undefined;
    if (protocol === "responses" && res.body !== null && streamFormat(res, req.method) === "sse") {
      const gate = await holdUntilOutput(res.body, deps.limits.idleTimeoutMs, req.signal);
      if (gate.kind === "client_abort") {
        return finishEarly(new Response(null, { status: 499 }), "client aborted before the answer", {
          client_aborted: true,
        });
      }
      if (gate.kind === "fail") {
        const reason = `before output: ${gate.reason}`;
        attempts.push({
          upstream_base_url: upstream.base_url,
          status_code: res.status,
          error: reason,
          duration_ms: msSince(attemptT0),
        });
        deps.balancer.recordFailure(entry.key, deps.now(), { reason });
        deps.onUpstreamFailure?.(entry.key, undefined);
        continue;
      }
      committed = gate;
    }
    attempts.push({ upstream_base_url: upstream.base_url, status_code: res.status, duration_ms: msSince(attemptT0) });
    return serve(res, entry, mode, (reason) => timeout.abort(reason), committed);
  }

  // Every candidate failed: tell the client when to come back, in a shape it retries sensibly (never a bare 5xx).
  const waitMs = deps.balancer.msUntilRecovery(
    snapshot.entries.map((e) => e.key),
    deps.now(),
  );
  const retryAfter = Math.max(1, Math.min(deps.limits.maxClientRetryAfterS, Math.ceil(waitMs / 1000)));
  const summary = attempts.map((a) => `${a.upstream_base_url} → ${a.error ?? a.status_code}`).join("; ");
  const message = `codex-helper: every upstream of config "${snapshot.configName ?? "?"}" failed: ${summary}`;
  return finishEarly(
    errorResponse(deps.service, {
      status: 429,
      message,
      type: deps.service === "claude" ? "rate_limit_error" : "upstreams_unavailable",
      code: "all_upstreams_failed",
      headers: { "retry-after": String(retryAfter) },
    }),
    message,
    { fallback: mode !== "normal" ? true : undefined },
  );

  function serve(
    res: Response,
    entry: PoolEntry,
    candidateMode: CandidateMode,
    abortUpstream: (reason: Error) => void,
    committed?: Extract<HoldResult, { kind: "commit" }>,
  ): Response | Promise<Response> {
    const headers = clientResponseHeaders(res.headers);
    const format = streamFormat(res, req.method);
    const record = baseRecord();
    record.status_code = res.status;
    record.upstream_base_url = entry.upstream.base_url;
    if (candidateMode !== "normal") record.fallback = true;
    const headersAt = elapsed();
    if (res.body === null) {
      record.ttfb_ms = headersAt;
      record.duration_ms = headersAt;
      settle(entry, res.status, undefined);
      deps.log(record);
      return new Response(null, { status: res.status, headers });
    }
    const observer = new AnswerObserver();
    if (format === "json" && isSmallKnownLength(res)) return serveBuffered();
    // The body streams through; the length header of a body we re-chunk would be a promise we cannot keep.
    headers.delete("content-length");
    const tapped = tapStream({
      body: committed?.reader ?? res.body,
      prefix: committed?.held,
      format,
      observer,
      idleTimeoutMs: deps.limits.idleTimeoutMs,
      failureTrailer: (message) =>
        format === "sse"
          ? streamFailureEvent(protocol, `codex-helper: upstream failed mid-stream (${message})`)
          : undefined,
      onFirstByte: () => {
        record.ttfb_ms = elapsed();
      },
      onEnd: (end) => finish(end),
    });
    return new Response(tapped, { status: res.status, headers });

    /**
     * A small JSON answer of known length is read whole and sent as bytes: a JavaScript stream in between costs
     * about a third of the proxy's throughput (BENCHMARKS.md), and nobody reads half a JSON document anyway.
     */
    async function serveBuffered(): Promise<Response> {
      const idle = setTimeout(
        () => abortUpstream(new Error(`idle: no data for ${deps.limits.idleTimeoutMs} ms`)),
        deps.limits.idleTimeoutMs,
      );
      let bytes: ArrayBuffer;
      try {
        bytes = await res.arrayBuffer();
      } catch (error) {
        if (req.signal.aborted) {
          finish({ kind: "client_abort" });
          return new Response(null, { status: 499 });
        }
        const message = `stream: ${(error as Error)?.message ?? String(error)}`;
        finish({ kind: "upstream_error", message });
        return errorResponse(deps.service, {
          status: 502,
          message: `codex-helper: upstream failed while sending its answer (${message})`,
          type: "server_error",
        });
      } finally {
        clearTimeout(idle);
      }
      record.ttfb_ms = headersAt;
      observer.onJsonBody(Buffer.from(bytes).toString("utf8"));
      finish({ kind: "eof" });
      return new Response(bytes, { status: res.status, headers });
    }

    function finish(end: TapEnd) {
      record.duration_ms = elapsed();
      const answer = observer.answer;
      if (answer.usage) record.usage = answer.usage;
      if (answer.model) record.model = answer.model;
      let failure: string | undefined;
      if (end.kind === "client_abort") {
        record.client_aborted = true;
        deps.balancer.recordNeutral(entry.key);
      } else if (end.kind !== "eof") {
        failure = end.message;
      } else if (format === "sse" && answer.terminal === "failed") {
        failure = `upstream: ${answer.failure ?? "stream failed"}`;
      } else if (format === "sse" && protocol !== "other" && answer.terminal === undefined && res.ok) {
        failure = "stream ended before completion";
      }
      if (failure !== undefined) {
        record.error = failure;
        record.phase = answer.sawOutput ? "during_output" : "before_output";
        deps.balancer.recordFailure(entry.key, deps.now(), { reason: failure });
        deps.onUpstreamFailure?.(entry.key, undefined);
      } else if (end.kind === "eof") {
        settle(entry, res.status, record.ttfb_ms ?? undefined);
        if (!res.ok && answer.failure) record.error = answer.failure;
      }
      deps.log(record);
    }
  }

  function settle(entry: PoolEntry, status: number, latencyMs: number | undefined) {
    // A 4xx the client caused says nothing about the upstream's health.
    if (status < 400) deps.balancer.recordSuccess(entry.key, deps.now(), latencyMs);
    else deps.balancer.recordNeutral(entry.key);
  }
}

/** Largest JSON answer read whole instead of streamed (the usage tap's own JSON limit is the same). */
const BUFFERED_JSON_BYTES = 4 * 1024 * 1024;

function isSmallKnownLength(res: Response): boolean {
  const length = Number(res.headers.get("content-length") ?? Number.NaN);
  return Number.isFinite(length) && length <= BUFFERED_JSON_BYTES;
}

function msSince(t0: number): number {
  return Math.round((performance.now() - t0) * 100) / 100;
}
