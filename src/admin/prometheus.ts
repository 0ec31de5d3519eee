// Renders the status snapshot as Prometheus text exposition format 0.0.4 (pure).
import type { StatusSnapshot } from "./status";
import { TTFB_BUCKETS_S } from "./traffic";

type Labels = Record<string, string>;

/** Label values escape backslash, double quote and newline (exposition format rules). */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(values: Labels): string {
  const parts = Object.entries(values).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

function number(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  // Avoid float noise in sums like 0.30000000000000004.
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
}

class Writer {
  readonly lines: string[] = [];
  family(name: string, type: "counter" | "gauge" | "histogram", help: string): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }
  sample(name: string, values: Labels, value: number): void {
    this.lines.push(`${name}${labels(values)} ${number(value)}`);
  }
}

export function renderMetrics(status: StatusSnapshot): string {
  const w = new Writer();
  const t = status.traffic;
  const service = status.service;

  w.family("codex_helper_info", "gauge", "Build and process information (always 1).");
  w.sample("codex_helper_info", { service, version: status.version }, 1);
  w.family("codex_helper_start_time_seconds", "gauge", "When the proxy started (Unix seconds).");
  w.sample("codex_helper_start_time_seconds", { service }, status.started_at / 1000);

  w.family("codex_helper_requests_total", "counter", "Requests answered, by config, upstream and status class.");
  for (const r of t.by_request) {
    w.sample(
      "codex_helper_requests_total",
      { service: r.service, config: r.config, upstream: r.upstream, status_class: r.status_class },
      r.count,
    );
  }

  w.family("codex_helper_failovers_total", "counter", "Attempts that failed and moved on to the next upstream.");
  for (const f of t.by_failover) {
    w.sample("codex_helper_failovers_total", { service: f.service, config: f.config, upstream: f.upstream }, f.count);
  }

  const tokenFamilies = [
    ["codex_helper_input_tokens_total", "input", "Input tokens (cached included)."],
    ["codex_helper_cached_input_tokens_total", "cached_input", "Input tokens served from the upstream's cache."],
    ["codex_helper_output_tokens_total", "output", "Output tokens (reasoning included)."],
    ["codex_helper_reasoning_tokens_total", "reasoning", "Output tokens spent on reasoning."],
  ] as const;
  for (const [name, field, help] of tokenFamilies) {
    w.family(name, "counter", help);
    for (const c of t.by_tokens)
      w.sample(name, { service: c.service, config: c.config, upstream: c.upstream }, c[field]);
  }

  w.family("codex_helper_ttfb_seconds", "histogram", "Time to the first byte of the answer.");
  for (const h of t.ttfb) {
    const base = { service: h.service, config: h.config, upstream: h.upstream };
    TTFB_BUCKETS_S.forEach((le, i) => {
      w.sample("codex_helper_ttfb_seconds_bucket", { ...base, le: String(le) }, h.buckets[i] ?? 0);
    });
    w.sample("codex_helper_ttfb_seconds_bucket", { ...base, le: "+Inf" }, h.count);
    w.sample("codex_helper_ttfb_seconds_sum", base, h.sum_s);
    w.sample("codex_helper_ttfb_seconds_count", base, h.count);
  }

  const upstreams = status.configs.flatMap((c) => c.upstreams.map((u) => ({ config: c.name, u })));
  w.family("codex_helper_upstream_cooling_down", "gauge", "1 while the upstream rests after failures.");
  for (const { config, u } of upstreams) {
    w.sample(
      "codex_helper_upstream_cooling_down",
      { service, config, upstream: u.base_url, index: String(u.index) },
      u.state === "cooling_down" ? 1 : 0,
    );
  }
  w.family(
    "codex_helper_upstream_cooldown_remaining_seconds",
    "gauge",
    "Seconds until the cooldown ends (0 when none).",
  );
  for (const { config, u } of upstreams) {
    w.sample(
      "codex_helper_upstream_cooldown_remaining_seconds",
      { service, config, upstream: u.base_url, index: String(u.index) },
      (u.cooldown_remaining_ms ?? 0) / 1000,
    );
  }
  w.family("codex_helper_upstream_exhausted", "gauge", "1 when a usage provider says the upstream's quota is spent.");
  for (const { config, u } of upstreams) {
    w.sample(
      "codex_helper_upstream_exhausted",
      { service, config, upstream: u.base_url, index: String(u.index) },
      u.exhausted ? 1 : 0,
    );
  }
  w.family("codex_helper_upstream_active", "gauge", "1 for upstreams of the active config.");
  for (const c of status.configs) {
    for (const u of c.upstreams) {
      w.sample(
        "codex_helper_upstream_active",
        { service, config: c.name, upstream: u.base_url, index: String(u.index) },
        c.active ? 1 : 0,
      );
    }
  }
  return `${w.lines.join("\n")}\n`;
}
