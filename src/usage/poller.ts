// Polls usage providers while serve runs and marks their upstreams exhausted (or not) in the balancer.
import type { Balancer } from "../lb/balancer";
import type { PoolEntry } from "../proxy/forward";
import { isAssociated, resolveToken } from "./association";
import { KINDS } from "./kinds";
import type { UsageReading } from "./kinds/kind";
import type { Provider } from "./provider-schema";

export interface UsageMonitorDeps {
  providers: readonly Provider[];
  /** The active pool's upstreams now (after hot reloads). */
  upstreams: () => readonly PoolEntry[];
  balancer: Pick<Balancer, "setExhausted">;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  now: () => number;
  env: Record<string, string | undefined>;
  /** A change of a provider's state, one line, never a token. */
  report: (message: string) => void;
  pollTimeoutMs?: number;
  /** A failure-triggered refresh happens at most this often per provider. */
  minRefreshMs?: number;
}

export interface ProviderStatus {
  id: string;
  kind: string;
  upstreams: string[];
  exhausted: boolean;
  figures: Record<string, number> | null;
  last_poll_at: number | null;
  last_ok_at: number | null;
  error: string | null;
}

interface ProviderState {
  provider: Provider;
  reading: UsageReading | undefined;
  lastPollAt: number | undefined;
  lastOkAt: number | undefined;
  error: string | undefined;
  inFlight: Promise<void> | undefined;
  lastReported: string | undefined;
}

/** Quota-style answers: a refresh may show the budget is spent. */
const QUOTA_STATUSES = new Set([402, 429]);

export class UsageMonitor {
  private readonly states: ProviderState[];
  private timers: ReturnType<typeof setInterval>[] = [];

  constructor(private readonly deps: UsageMonitorDeps) {
    this.states = deps.providers.map((provider) => ({
      provider,
      reading: undefined,
      lastPollAt: undefined,
      lastOkAt: undefined,
      error: undefined,
      inFlight: undefined,
      lastReported: undefined,
    }));
  }

  /** Polls every provider now, then each on its own interval. Requests never wait for a poll. */
  start(): void {
    for (const state of this.states) {
      void this.poll(state);
      const timer = setInterval(() => void this.poll(state), state.provider.poll_interval_secs * 1000);
      timer.unref();
      this.timers.push(timer);
    }
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Poll all providers now (coalesced with polls already under way); resolves when they are done. */
  async pollAll(): Promise<void> {
    await Promise.all(this.states.map((state) => this.poll(state)));
  }

  /** An upstream answered 429 or another quota-style error: refresh its providers, at most once per 10 s each. */
  onUpstreamFailure(key: string, status: number | undefined): void {
    if (status === undefined || !QUOTA_STATUSES.has(status)) return;
    const entry = this.deps.upstreams().find((e) => e.key === key);
    if (!entry) return;
    const minGap = this.deps.minRefreshMs ?? 10_000;
    for (const state of this.states) {
      if (!isAssociated(state.provider, entry.upstream)) continue;
      if (state.lastPollAt !== undefined && this.deps.now() - state.lastPollAt < minGap) continue;
      void this.poll(state);
    }
  }

  status(): ProviderStatus[] {
    return this.states.map((state) => ({
      id: state.provider.id,
      kind: state.provider.kind,
      upstreams: this.associated(state.provider).map((e) => e.upstream.base_url),
      exhausted: state.reading?.exhausted ?? false,
      figures: state.reading?.figures ?? null,
      last_poll_at: state.lastPollAt ?? null,
      last_ok_at: state.lastOkAt ?? null,
      error: state.error ?? null,
    }));
  }

  private associated(provider: Provider): PoolEntry[] {
    return this.deps.upstreams().filter((entry) => isAssociated(provider, entry.upstream));
  }

  private poll(state: ProviderState): Promise<void> {
    // At most one poll in flight per provider: a burst of 429s shares it.
    state.inFlight ??= this.pollOnce(state).finally(() => {
      state.inFlight = undefined;
    });
    return state.inFlight;
  }

  private async pollOnce(state: ProviderState): Promise<void> {
    const { provider } = state;
    const associated = this.associated(provider);
    state.lastPollAt = this.deps.now();
    if (associated.length === 0) return; // nothing of ours to route around: do not call the API at all
    const token = resolveToken(
      provider,
      associated.map((e) => e.upstream),
      this.deps.env,
    );
    if (token === undefined) {
      this.fail(state, "no token (set token_env or give an associated upstream an auth_token)");
      return;
    }
    const kind = KINDS[provider.kind]!;
    const request = kind.request(provider, token);
    let result: UsageReading | string;
    try {
      const res = await this.deps.fetch(request.url, {
        headers: request.headers,
        signal: AbortSignal.timeout(this.deps.pollTimeoutMs ?? 10_000),
        redirect: "error",
      });
      const text = await res.text();
      if (!res.ok) result = `HTTP ${res.status}`;
      else {
        let body: unknown;
        try {
          body = JSON.parse(text);
          result = kind.parse(body);
        } catch {
          result = "answer is not JSON";
        }
      }
    } catch (error) {
      result =
        (error as Error)?.name === "TimeoutError" ? "timed out" : `unreachable (${(error as Error)?.message ?? error})`;
    }
    if (typeof result === "string") {
      // A failed poll is not exhaustion: the last known state stays in force.
      this.fail(state, result);
      return;
    }
    state.reading = result;
    state.error = undefined;
    state.lastOkAt = this.deps.now();
    for (const entry of this.associated(provider)) this.deps.balancer.setExhausted(entry.key, result.exhausted);
    const kindOfState = result.exhausted ? "exhausted" : "has quota";
    this.reportOnce(state, kindOfState, `${kindOfState} (${describe(result)})`);
  }

  private fail(state: ProviderState, reason: string): void {
    state.error = reason;
    this.reportOnce(state, "failing", `poll failed: ${reason}; keeping the last known state`);
  }

  /** One line per change of state (has quota / exhausted / failing), not one per poll. */
  private reportOnce(state: ProviderState, kindOfState: string, message: string): void {
    if (state.lastReported === kindOfState) return;
    state.lastReported = kindOfState;
    this.deps.report(`usage provider "${state.provider.id}": ${message}`);
  }
}

function describe(reading: UsageReading): string {
  return Object.entries(reading.figures)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}
