// The dashboard page, server-rendered with hono/jsx: the shell, usage for 30 days and sessions; live parts by script.
import { raw } from "hono/html";
import type { UsageRow } from "../log/aggregate";
import { LIVE_SCRIPT } from "./live-script";
import { STYLES } from "./styles";

export interface SessionLine {
  id: string;
  updated: number;
  cwd: string;
  prompt: string | undefined;
}

export interface PageData {
  base: string;
  csrf: string;
  version: string;
  service: string;
  /** Configs of the section this process does not serve (shown, not live). */
  otherSection: { service: string; configs: { name: string; active: boolean; upstreams: string[] }[] };
  usage: { days: UsageRow[]; byConfig: UsageRow[]; byUpstream: UsageRow[]; totals: UsageRow; malformed: number };
  sessions: SessionLine[];
  projectDir: string;
}

const fmt = (n: number) => n.toLocaleString("en-US");

function Bar(props: { row: UsageRow; max: number }) {
  const { row, max } = props;
  const width = max > 0 ? (100 * row.total_tokens) / max : 0;
  const part = (n: number) => (row.total_tokens > 0 ? (100 * n) / row.total_tokens : 0);
  const uncached = row.input_tokens - row.cached_input_tokens;
  const plainOut = row.output_tokens - row.reasoning_tokens;
  return (
    <div class="bar" style={`width:${Math.max(width, 1).toFixed(1)}%`}>
      <span class="in" style={`width:${part(uncached).toFixed(2)}%`} />
      <span class="cached" style={`width:${part(row.cached_input_tokens).toFixed(2)}%`} />
      <span class="out" style={`width:${part(plainOut).toFixed(2)}%`} />
      <span class="reason" style={`width:${part(row.reasoning_tokens).toFixed(2)}%`} />
    </div>
  );
}

function UsageTable(props: { title: string; rows: UsageRow[]; mono?: boolean }) {
  if (props.rows.length === 0) return <p class="muted">No requests in the last 30 days.</p>;
  const max = Math.max(0, ...props.rows.map((r) => r.total_tokens));
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th>{props.title}</th>
            <th class="num">requests</th>
            <th class="num">errors</th>
            <th class="num">input</th>
            <th class="num">cached</th>
            <th class="num">output</th>
            <th class="num">reasoning</th>
            <th style="width:30%" />
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td class={props.mono ? "mono" : ""}>{r.key}</td>
              <td class="num">{fmt(r.requests)}</td>
              <td class="num">{fmt(r.errors)}</td>
              <td class="num">{fmt(r.input_tokens)}</td>
              <td class="num">{fmt(r.cached_input_tokens)}</td>
              <td class="num">{fmt(r.output_tokens)}</td>
              <td class="num">{fmt(r.reasoning_tokens)}</td>
              <td>
                <Bar row={r} max={max} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DashboardPage(props: { data: PageData }) {
  const d = props.data;
  const t = d.usage.totals;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Without an icon the browser asks for /favicon.ico, which would be forwarded upstream. */}
        <link rel="icon" href="data:," />
        <title>codex-helper · {d.service}</title>
        <style>{raw(STYLES)}</style>
      </head>
      <body data-base={d.base} data-csrf={d.csrf}>
        <header>
          <h1>codex-helper</h1>
          <span class="meta">
            <span id="live" class="live" title="live feed" /> <span id="summary">{d.service}</span>
          </span>
          <span class="meta">v{d.version}</span>
        </header>
        <main>
          <section>
            <h2>
              Upstreams <small>live · {d.service}</small>
            </h2>
            <div id="upstreams" class="muted">
              connecting…
            </div>
            {d.otherSection.configs.length > 0 && (
              <div class="config">
                <h3>
                  {d.otherSection.service} <small class="muted">(not served by this process)</small>
                </h3>
                <table>
                  <tbody>
                    {d.otherSection.configs.map((c) => (
                      <tr>
                        <td>
                          {c.name}
                          {c.active ? " (active)" : ""}
                        </td>
                        <td class="mono">{c.upstreams.join(", ")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section>
            <h2>
              Sessions <small class="mono">{d.projectDir}</small>
            </h2>
            {d.sessions.length === 0 ? (
              <p class="muted">No Codex session of this folder yet.</p>
            ) : (
              <table>
                <tbody>
                  {d.sessions.map((s) => (
                    <tr>
                      <td>
                        <div>{s.prompt ?? <span class="muted">(no typed prompt)</span>}</div>
                        <div class="muted mono">
                          {new Date(s.updated).toLocaleString("en-GB")} · {s.cwd}
                        </div>
                      </td>
                      <td>
                        <button type="button" data-copy={`codex resume ${s.id}`}>
                          copy resume
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section class="wide">
            <h2>
              Live requests <small>newest first</small>
            </h2>
            <div class="scroll">
              <table id="requests">
                <thead>
                  <tr>
                    <th>time</th>
                    <th>service</th>
                    <th>request</th>
                    <th>config</th>
                    <th>upstream / attempts</th>
                    <th>status</th>
                    <th class="num">TTFB</th>
                    <th class="num">duration</th>
                    <th class="num">tokens</th>
                  </tr>
                </thead>
                <tbody />
              </table>
            </div>
          </section>
          <section class="wide">
            <h2>
              Usage{" "}
              <small>
                last 30 days · {fmt(t.requests)} requests · {fmt(t.total_tokens)} tokens
              </small>
            </h2>
            <div class="legend">
              <span>
                <i class="in" /> input
              </span>
              <span>
                <i class="cached" /> cached input
              </span>
              <span>
                <i class="out" /> output
              </span>
              <span>
                <i class="reason" /> reasoning
              </span>
              {d.usage.malformed > 0 && <span>{d.usage.malformed} malformed log lines skipped</span>}
            </div>
            <UsageTable title="day" rows={d.usage.days} />
            <h2 style="margin-top:1rem">By config</h2>
            <UsageTable title="config" rows={d.usage.byConfig} />
            <h2 style="margin-top:1rem">By upstream</h2>
            <UsageTable title="upstream" rows={d.usage.byUpstream} mono />
          </section>
        </main>
        <script>{raw(LIVE_SCRIPT)}</script>
      </body>
    </html>
  );
}
