// The dashboard in a real browser (Debian's chromium driven by playwright-core) against a running proxy.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adminRoutes } from "../../src/admin/routes";
import { type AdminState, createAdminState } from "../../src/admin/state";
import type { ConfigFile } from "../../src/config/schema";
import { dashboardRoutes } from "../../src/dashboard/routes";
import { jsonResponse, responsesEvents, sseResponse, startFakeUpstream } from "../fixtures/fake-upstream";
import { startTestProxy, until } from "../fixtures/proxy";
import { tempHome } from "../fixtures/temp-home";

const CHROMIUM = "/usr/bin/chromium";
const haveBrowser = existsSync(CHROMIUM);
const ARTIFACTS = join(import.meta.dir, "../../test-artifacts");
if (!haveBrowser)
  console.warn(`dashboard browser tests skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium)`);

function startDashboardProxy(config: ConfigFile) {
  let state: AdminState | undefined;
  const proxy = startTestProxy({
    config,
    watchIntervalMs: 30,
    admin: (sources) => {
      state = createAdminState(sources);
      const routes = adminRoutes(state);
      routes.route("/", dashboardRoutes({ state, service: "codex" }));
      return routes;
    },
  });
  return proxy;
}

describe("dashboard", () => {
  const home = tempHome();
  let failing: ReturnType<typeof startFakeUpstream>;
  let healthy: ReturnType<typeof startFakeUpstream>;
  let backup: ReturnType<typeof startFakeUpstream>;
  let proxy: ReturnType<typeof startTestProxy>;
  const SECRET = "sk-dashboard-secret-value-4321";

  beforeAll(() => {
    failing = startFakeUpstream(() => jsonResponse({ error: { message: "down" } }, 503));
    healthy = startFakeUpstream(() => sseResponse(responsesEvents("hi", { input_tokens: 12, output_tokens: 5 })));
    backup = startFakeUpstream(() =>
      sseResponse(responsesEvents("from backup", { input_tokens: 1, output_tokens: 1 })),
    );
    const config: ConfigFile = {
      codex: {
        active: "main",
        configs: {
          main: {
            name: "main",
            upstreams: [
              { base_url: `${failing.url}/v1`, auth: { auth_token: SECRET } },
              { base_url: `${healthy.url}/v1`, auth: { auth_token: "sk-other-secret-0000" } },
            ],
          },
          backup: { name: "backup", upstreams: [{ base_url: `${backup.url}/v1`, auth: {} }] },
        },
      },
      claude: {
        configs: {
          anth: {
            name: "anth",
            upstreams: [{ base_url: "https://api.anthropic.com", auth: { api_key: "sk-ant-hidden-1111" } }],
          },
        },
      },
    };
    mkdirSync(home.paths.helperHome, { recursive: true });
    writeFileSync(home.paths.config, JSON.stringify(config));
    proxy = startDashboardProxy(config);
  });

  afterAll(async () => {
    await proxy.stop();
    await failing.stop();
    await healthy.stop();
    await backup.stop();
    home[Symbol.dispose]();
  });

  test("the page and the live feed never carry a secret; actions need the page token and a same-origin Origin", async () => {
    const page = await (await fetch(`${proxy.url}/_codex-helper/`)).text();
    expect(page).toContain("codex-helper");
    for (const secret of [SECRET, "sk-other-secret-0000", "sk-ant-hidden-1111"]) expect(page).not.toContain(secret);
    expect(Buffer.byteLength(page)).toBeLessThan(200 * 1024);
    const csrf = /data-csrf="([^"]+)"/.exec(page)![1]!;

    const feed = await fetch(`${proxy.url}/_codex-helper/events`);
    const reader = feed.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first).toContain("event: status");
    expect(first).not.toContain(SECRET);

    const noToken = await fetch(`${proxy.url}/_codex-helper/actions/reset`, { method: "POST", body: '{"id":"0"}' });
    expect(noToken.status).toBe(403);
    const foreign = await fetch(`${proxy.url}/_codex-helper/actions/reset`, {
      method: "POST",
      headers: { "x-codex-helper-csrf": csrf, origin: "https://evil.example" },
      body: '{"id":"0"}',
    });
    expect(foreign.status).toBe(403);
    const same = await fetch(`${proxy.url}/_codex-helper/actions/reset`, {
      method: "POST",
      headers: { "x-codex-helper-csrf": csrf, origin: proxy.url },
      body: '{"id":"0"}',
    });
    expect(same.status).toBe(200);
  });

  test.skipIf(!haveBrowser)(
    "in a browser: a failover appears live with both attempts, the upstream turns cooling down, reset and set-active work",
    async () => {
      const { chromium } = await import("playwright-core");
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        await page.goto(`${proxy.url}/_codex-helper/`);
        await page.waitForSelector("#upstreams table");
        expect(await page.textContent("#upstreams")).toContain(`${failing.url}/v1`);
        expect(await page.textContent("body")).toContain("not served by this process");
        // The page itself sends nothing upstream (no favicon request forwarded).
        expect(proxy.records()).toHaveLength(0);

        // A request that fails over, made outside the page: it appears without a reload.
        await (await fetch(`${proxy.url}/responses`, { method: "POST", body: "{}" })).text();
        await page.waitForSelector("#requests tbody tr");
        const row = await page.textContent("#requests tbody tr");
        expect(row).toContain(`${failing.url}/v1 → status 503`);
        expect(row).toContain(`${healthy.url}/v1 → 200`);
        await page.waitForSelector("#upstreams .pill.cooling_down");

        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });

        await page.click("#upstreams button[data-reset]");
        await page.waitForFunction(() => !document.querySelector("#upstreams .pill.cooling_down"));

        await page.click('#upstreams button[data-activate="backup"]');
        await until(() => JSON.parse(readFileSync(home.paths.config, "utf8")).codex.active === "backup", 3000);
        await until(() => proxy.runtime.pool().configName === "backup", 3000);
        await (await fetch(`${proxy.url}/responses`, { method: "POST", body: "{}" })).text();
        expect(backup.hits.length).toBe(1);

        const narrow = await browser.newPage({ viewport: { width: 420, height: 900 }, colorScheme: "dark" });
        await narrow.goto(`${proxy.url}/_codex-helper/`);
        await narrow.waitForSelector("#upstreams table");
        await narrow.screenshot({ path: join(ARTIFACTS, "dashboard-narrow-dark.png"), fullPage: true });
      } finally {
        await browser.close();
      }
    },
    30_000,
  );
});
