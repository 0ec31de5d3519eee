// The known usage-provider kinds by id.
import { budgetHttpJson } from "./budget-http-json";
import type { UsageKind } from "./kind";

export const KINDS: Record<string, UsageKind> = { [budgetHttpJson.id]: budgetHttpJson };
