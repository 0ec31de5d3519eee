import { describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { UserError } from "../../src/errors";
import { DEFAULT_PROVIDERS } from "../../src/usage/provider-schema";
import { loadProviders } from "../../src/usage/providers-file";
import { tempHome } from "../fixtures/temp-home";

describe("usage_providers.json", () => {
  test("a missing file is created with the default packycode entry, private to the user", () => {
    using home = tempHome();
    const loaded = loadProviders(home.paths.usageProviders);
    expect(loaded).toEqual({ providers: DEFAULT_PROVIDERS.providers, problems: [] });
    expect(JSON.parse(readFileSync(home.paths.usageProviders, "utf8"))).toEqual({
      providers: [
        {
          id: "packycode",
          kind: "budget_http_json",
          domains: ["packycode.com"],
          endpoint: "https://www.packycode.com/api/backend/users/info",
          token_env: null,
          poll_interval_secs: 60,
        },
      ],
    });
    expect(statSync(home.paths.usageProviders).mode & 0o777).toBe(0o600);
  });

  test("an invalid provider is named with its field and left out; the others load; the file is untouched", () => {
    using home = tempHome();
    const text = JSON.stringify({
      providers: [
        {
          id: "good",
          kind: "budget_http_json",
          domains: ["a.com"],
          endpoint: "https://a.com/u",
          poll_interval_secs: 30,
        },
        { id: "bad", kind: "budget_http_json", domains: [], endpoint: "not a url" },
        { id: "odd", kind: "mystery", domains: ["b.com"], endpoint: "https://b.com/u" },
      ],
    });
    writeFileSync(home.paths.usageProviders, text);
    const loaded = loadProviders(home.paths.usageProviders);
    expect(loaded.providers.map((p) => p.id)).toEqual(["good"]);
    expect(loaded.problems).toHaveLength(2);
    expect(loaded.problems[0]).toContain(`${home.paths.usageProviders}: providers.1.domains`);
    expect(loaded.problems[1]).toContain('providers.2.kind: unknown kind "mystery"');
    expect(readFileSync(home.paths.usageProviders, "utf8")).toBe(text);
  });

  test("a file that is not JSON is one clear error and stays as it is", () => {
    using home = tempHome();
    writeFileSync(home.paths.usageProviders, "{ nope");
    expect(() => loadProviders(home.paths.usageProviders)).toThrow(UserError);
    expect(() => loadProviders(home.paths.usageProviders)).toThrow(home.paths.usageProviders);
    expect(readFileSync(home.paths.usageProviders, "utf8")).toBe("{ nope");
  });
});
