// Renders a status snapshot as a readable plain-text table for `codex-helper status` (pure).
import type { StatusSnapshot, UpstreamStatus } from "./status";

/** `42s`, `3m 05s`, `2h 10m`, `3d 4h`: short enough for a table cell. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function stateCell(u: UpstreamStatus): string {
  if (u.state === "cooling_down") {
    const why = u.cooldown_reason ? ` (${u.cooldown_reason})` : "";
    return `cooling down ${formatDuration(u.cooldown_remaining_ms ?? 0)}${why}`;
  }
  if (u.state === "exhausted") return "exhausted (quota spent)";
  return "healthy";
}

/** Loopback answers take a millisecond or two: keep a decimal there, whole ms above. */
function latency(ms: number | null): string {
  if (ms === null) return "-";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function lastError(u: UpstreamStatus, now: number): string {
  if (u.last_error === null) return "-";
  return u.last_error_at === null ? u.last_error : `${u.last_error} (${formatDuration(now - u.last_error_at)} ago)`;
}

function table(rows: string[][], rightAligned: Set<number>): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map((r) =>
    r
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

export function renderStatus(status: StatusSnapshot): string {
  const out: string[] = [];
  const t = status.traffic;
  out.push(
    `codex-helper ${status.version} · ${status.service} · pid ${status.pid} · up ${formatDuration(status.now - status.started_at)} · active config: ${status.active_config ?? "none"}`,
  );
  out.push(
    `requests ${count(t.requests)} · errors ${count(t.errors)} · failovers ${count(t.failovers)} · tokens in ${count(t.tokens.input)} (cached ${count(t.tokens.cached_input)}) · out ${count(t.tokens.output)} (reasoning ${count(t.tokens.reasoning)})`,
  );
  const active = status.configs.find((c) => c.active);
  if (active === undefined || active.upstreams.length === 0) {
    out.push("", `no ${status.service} upstream configured (codex-helper config add NAME --base-url URL …)`);
  } else {
    out.push("");
    const rows = [["#", "upstream", "auth", "state", "requests", "errors", "latency", "last error"]];
    for (const u of active.upstreams) {
      rows.push([
        String(u.index),
        u.base_url,
        u.auth.auth_token ?? u.auth.api_key ?? "(none)",
        stateCell(u),
        count(u.requests),
        count(u.errors),
        latency(u.last_latency_ms),
        lastError(u, status.now),
      ]);
    }
    out.push(...table(rows, new Set([0, 4, 5, 6])));
  }
  const others = status.configs.filter((c) => !c.active);
  if (others.length > 0) {
    const list = others.map((c) => {
      const resting = c.upstreams.filter((u) => u.state !== "healthy").length;
      return `${c.name}${c.alias ? ` (${c.alias})` : ""}: ${c.upstreams.length} upstream(s)${resting > 0 ? `, ${resting} resting` : ""}`;
    });
    out.push("", `other configs: ${list.join("; ")}`);
  }
  if (status.usage_providers !== null && status.usage_providers !== undefined) {
    const providers = Array.isArray(status.usage_providers) ? status.usage_providers : [status.usage_providers];
    out.push("", "usage providers:");
    for (const p of providers) out.push(`  ${JSON.stringify(p)}`);
  }
  return `${out.join("\n")}\n`;
}
