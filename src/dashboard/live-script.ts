// The dashboard's one script (plain JS, embedded): renders upstreams and requests from the server's live SSE feed.
export const LIVE_SCRIPT = `
(() => {
  const base = document.body.dataset.base;
  const csrf = document.body.dataset.csrf;
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const ms = (v) => (v == null ? "–" : v < 1000 ? Math.round(v) + " ms" : (v / 1000).toFixed(1) + " s");
  const num = (v) => (v == null ? "–" : Number(v).toLocaleString());
  const left = (v) => (v == null ? "" : v < 60000 ? Math.ceil(v / 1000) + "s" : Math.ceil(v / 60000) + "m");
  const time = (t) => new Date(t).toLocaleTimeString();

  function stateCell(u) {
    if (u.state === "cooling_down") return '<span class="pill cooling_down">cooling down ' + left(u.cooldown_remaining_ms) + "</span> <span class=muted>" + esc(u.cooldown_reason) + "</span>";
    if (u.state === "exhausted") return '<span class="pill exhausted">exhausted</span>';
    return '<span class="pill healthy">healthy</span>';
  }
  function renderUpstreams(status) {
    const el = document.getElementById("upstreams");
    el.innerHTML = status.configs.map((c) =>
      '<div class="config"><h3>' + esc(c.name) + (c.active ? ' <span class="pill healthy">active</span>' :
        ' <button data-activate="' + esc(c.name) + '">make active</button>') + "</h3><div class=scroll><table><thead><tr>" +
      "<th>#</th><th>upstream</th><th>state</th><th class=num>requests</th><th class=num>error rate</th><th class=num>last TTFB</th><th>last error</th><th></th></tr></thead><tbody>" +
      c.upstreams.map((u) => "<tr><td>" + u.index + '</td><td class=mono>' + esc(u.base_url) + '<div class=muted>' + esc(Object.values(u.auth || {}).join(" ")) + "</div></td><td>" + stateCell(u) +
        "</td><td class=num>" + num(u.requests) + "</td><td class=num>" + (u.requests ? Math.round((100 * u.errors) / u.requests) + "%" : "–") +
        "</td><td class=num>" + ms(u.last_latency_ms) + "</td><td class=muted>" + esc(u.last_error || "") + "</td><td>" +
        (u.state === "cooling_down" && c.active ? '<button data-reset="' + esc(u.key) + '">reset</button>' : "") + "</td></tr>").join("") +
      "</tbody></table></div></div>").join("");
    document.getElementById("summary").textContent = status.service + " · active config " + (status.active_config ?? "none") + " · " +
      num(status.traffic.requests) + " requests · " + num(status.traffic.failovers) + " failovers";
  }
  function requestRow(r, isNew) {
    const tokens = r.usage ? num(r.usage.input_tokens) + " in / " + num(r.usage.output_tokens) + " out" : "";
    const attempts = r.attempts.length > 1 ? '<div class="attempts">' + r.attempts.map((a) => esc(a.upstream_base_url) + " → " + esc(a.error ?? a.status_code)).join("<br>") + "</div>" : "";
    return "<tr" + (isNew ? ' class="new"' : "") + "><td>" + time(r.timestamp_ms) + "</td><td>" + esc(r.service) + '</td><td class=mono>' + esc(r.method + " " + r.path) +
      "</td><td>" + esc(r.config_name) + '</td><td class=mono>' + esc(r.upstream_base_url ?? "–") + attempts + '</td><td class="status-' + String(r.status_code)[0] + '">' + r.status_code +
      (r.error ? '<div class=attempts>' + esc(r.error) + "</div>" : "") + "</td><td class=num>" + ms(r.ttfb_ms) + "</td><td class=num>" + ms(r.duration_ms) + "</td><td class=num>" + tokens + "</td></tr>";
  }
  const body = document.querySelector("#requests tbody");
  function addRequest(r, isNew) {
    body.insertAdjacentHTML("afterbegin", requestRow(r, isNew));
    while (body.rows.length > 200) body.deleteRow(body.rows.length - 1);
  }
  async function post(path, payload) {
    const res = await fetch(base + path, { method: "POST", headers: { "content-type": "application/json", "x-codex-helper-csrf": csrf }, body: JSON.stringify(payload ?? {}) });
    if (!res.ok) alert((await res.json().catch(() => ({}))).error?.message ?? "failed: " + res.status);
  }
  document.addEventListener("click", (e) => {
    const t = e.target;
    if (t.dataset.reset) post("/actions/reset", { id: t.dataset.reset });
    if (t.dataset.activate) post("/actions/set-active", { name: t.dataset.activate });
    if (t.dataset.copy) navigator.clipboard?.writeText(t.dataset.copy).then(() => (t.textContent = "copied"));
  });
  const dot = document.getElementById("live");
  const events = new EventSource(base + "/events");
  events.addEventListener("open", () => dot.classList.add("on"));
  events.addEventListener("error", () => dot.classList.remove("on"));
  events.addEventListener("status", (e) => renderUpstreams(JSON.parse(e.data)));
  events.addEventListener("recent", (e) => { body.innerHTML = ""; for (const r of JSON.parse(e.data)) addRequest(r, false); });
  events.addEventListener("request", (e) => addRequest(JSON.parse(e.data), true));
})();
`;
