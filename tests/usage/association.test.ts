import { describe, expect, test } from "bun:test";
import { hostMatchesDomain, isAssociated, resolveToken } from "../../src/usage/association";
import { budgetHttpJson } from "../../src/usage/kinds/budget-http-json";
import type { Provider } from "../../src/usage/provider-schema";

const provider: Provider = {
  id: "p",
  kind: "budget_http_json",
  domains: ["packycode.com"],
  endpoint: "https://www.packycode.com/api/backend/users/info",
  token_env: "PACKY_TOKEN",
  poll_interval_secs: 60,
};

describe("provider association", () => {
  test("a host equal to a domain or a subdomain of it belongs; lookalikes do not", () => {
    expect(hostMatchesDomain("packycode.com", "packycode.com")).toBe(true);
    expect(hostMatchesDomain("api.packycode.com", "packycode.com")).toBe(true);
    expect(hostMatchesDomain("API.PackyCode.com.", "packycode.com")).toBe(true);
    expect(hostMatchesDomain("notpackycode.com", "packycode.com")).toBe(false);
    expect(hostMatchesDomain("packycode.com.evil.io", "packycode.com")).toBe(false);
    expect(hostMatchesDomain("packycode.com", "")).toBe(false);
    expect(isAssociated(provider, { base_url: "https://api.packycode.com/v1" })).toBe(true);
    expect(isAssociated(provider, { base_url: "https://api.openai.com/v1" })).toBe(false);
  });

  test("token: the named env var when set and non-empty, else the first non-empty auth_token of an associated upstream", () => {
    const ups = [
      { auth: {} },
      { auth: { auth_token: "  " } },
      { auth: { auth_token: "sk-up-1" } },
      { auth: { auth_token: "sk-up-2" } },
    ];
    expect(resolveToken(provider, ups, { PACKY_TOKEN: "from-env" })).toBe("from-env");
    expect(resolveToken(provider, ups, { PACKY_TOKEN: "" })).toBe("sk-up-1");
    expect(resolveToken({ ...provider, token_env: null }, ups, { PACKY_TOKEN: "ignored" })).toBe("sk-up-1");
    expect(resolveToken(provider, [{ auth: {} }], {})).toBeUndefined();
  });
});

describe("budget_http_json", () => {
  test("exhausted when budget > 0 and spent ≥ budget; numbers or numeric strings; top level or under data", () => {
    expect(budgetHttpJson.parse({ monthly_budget_usd: 100, monthly_spent_usd: 99.5 })).toMatchObject({
      exhausted: false,
    });
    expect(budgetHttpJson.parse({ monthly_budget_usd: "100", monthly_spent_usd: "100" })).toMatchObject({
      exhausted: true,
    });
    expect(budgetHttpJson.parse({ data: { monthly_budget_usd: 50, monthly_spent_usd: 70 } })).toEqual({
      exhausted: true,
      figures: { monthly_budget_usd: 50, monthly_spent_usd: 70 },
    });
    expect(budgetHttpJson.parse({ monthly_budget_usd: 0, monthly_spent_usd: 5 })).toMatchObject({ exhausted: false });
  });

  test("an answer without the figures is a reason, never a reading", () => {
    expect(typeof budgetHttpJson.parse({ balance: 3 })).toBe("string");
    expect(typeof budgetHttpJson.parse({ monthly_budget_usd: "lots", monthly_spent_usd: 1 })).toBe("string");
    expect(typeof budgetHttpJson.parse(null)).toBe("string");
    expect(typeof budgetHttpJson.parse([1, 2])).toBe("string");
  });

  test("asks with the token as Bearer", () => {
    expect(budgetHttpJson.request(provider, "tok")).toEqual({
      url: provider.endpoint,
      headers: { authorization: "Bearer tok", accept: "application/json" },
    });
  });
});
