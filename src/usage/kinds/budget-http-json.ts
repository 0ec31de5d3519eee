// Pure: the `budget_http_json` kind — GET with a Bearer token, exhausted when monthly spend reaches the budget.
import type { UsageKind, UsageReading } from "./kind";

function amount(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function figuresIn(body: unknown): { budget: number; spent: number } | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const budget = amount(record.monthly_budget_usd);
  const spent = amount(record.monthly_spent_usd);
  if (budget !== undefined && spent !== undefined) return { budget, spent };
  return undefined;
}

export const budgetHttpJson: UsageKind = {
  id: "budget_http_json",
  request(provider, token) {
    return { url: provider.endpoint, headers: { authorization: `Bearer ${token}`, accept: "application/json" } };
  },
  parse(body: unknown): UsageReading | string {
    const figures = figuresIn(body) ?? figuresIn((body as { data?: unknown } | null)?.data);
    if (!figures) return "answer has no numeric monthly_budget_usd and monthly_spent_usd (top level or under data)";
    return {
      exhausted: figures.budget > 0 && figures.spent >= figures.budget,
      figures: { monthly_budget_usd: figures.budget, monthly_spent_usd: figures.spent },
    };
  },
};
