// The dashboard's stylesheet, embedded in the binary (no CDN): light and dark by the system setting.
export const STYLES = `
:root { color-scheme: light dark; --bg:#f7f7f8; --card:#fff; --fg:#1b1d21; --muted:#6b7280; --line:#e5e7eb;
  --ok:#15803d; --warn:#b45309; --bad:#b91c1c; --accent:#2563eb; --in:#2563eb; --cached:#93c5fd; --out:#16a34a; --reason:#a855f7; }
@media (prefers-color-scheme: dark) { :root { --bg:#0f1115; --card:#171a21; --fg:#e5e7eb; --muted:#9ca3af; --line:#2a2f3a;
  --ok:#4ade80; --warn:#fbbf24; --bad:#f87171; --accent:#60a5fa; } }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 ui-sans-serif, system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--fg); }
header { display:flex; flex-wrap:wrap; gap:.5rem 1.5rem; align-items:baseline; padding:.9rem 1.2rem; border-bottom:1px solid var(--line); background:var(--card); }
header h1 { font-size:1.05rem; margin:0; } header .meta { color:var(--muted); font-size:.85rem; }
main { display:grid; gap:1rem; padding:1rem 1.2rem; grid-template-columns: minmax(0,1fr); max-width:1400px; margin:0 auto; }
@media (min-width: 1100px) { main { grid-template-columns: minmax(0,3fr) minmax(0,2fr); } .wide { grid-column: 1 / -1; } }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:.8rem 1rem; min-width:0; }
h2 { font-size:.95rem; margin:.1rem 0 .6rem; display:flex; gap:.6rem; align-items:baseline; } h2 small { color:var(--muted); font-weight:400; }
table { width:100%; border-collapse:collapse; font-size:.85rem; } th, td { text-align:left; padding:.35rem .45rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:500; white-space:nowrap; } td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x:auto; }
.pill { display:inline-block; padding:.05rem .5rem; border-radius:999px; font-size:.78rem; font-weight:600; white-space:nowrap; }
.healthy { color:var(--ok); background:color-mix(in srgb, var(--ok) 14%, transparent); }
.cooling_down { color:var(--warn); background:color-mix(in srgb, var(--warn) 16%, transparent); }
.exhausted, .error { color:var(--bad); background:color-mix(in srgb, var(--bad) 14%, transparent); }
.config { margin:.2rem 0 .8rem; } .config h3 { font-size:.88rem; margin:.2rem 0 .3rem; display:flex; gap:.5rem; align-items:center; }
.muted { color:var(--muted); } .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:.8rem; overflow-wrap:anywhere; }
#upstreams td.mono, #requests td.mono { white-space:nowrap; }
button { font:inherit; font-size:.78rem; padding:.15rem .55rem; border-radius:6px; border:1px solid var(--line); background:transparent; color:var(--fg); cursor:pointer; }
button:hover { border-color:var(--accent); color:var(--accent); }
.bar { display:flex; height:10px; min-width:60px; border-radius:3px; overflow:hidden; background:var(--line); }
.bar span { display:block; height:100%; } .in { background:var(--in); } .cached { background:var(--cached); } .out { background:var(--out); } .reason { background:var(--reason); }
.legend span { display:inline-flex; align-items:center; gap:.25rem; margin-right:.8rem; font-size:.78rem; color:var(--muted); }
.legend i { width:10px; height:10px; border-radius:2px; display:inline-block; }
#requests tr.new { animation: flash 1.2s ease-out; } @keyframes flash { from { background: color-mix(in srgb, var(--accent) 18%, transparent); } to { background: transparent; } }
.attempts { color:var(--muted); font-size:.78rem; } .status-2 { color:var(--ok); } .status-4, .status-5 { color:var(--bad); }
.live { width:8px; height:8px; border-radius:50%; background:var(--muted); display:inline-block; } .live.on { background:var(--ok); }
`;
