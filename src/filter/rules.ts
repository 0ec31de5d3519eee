// Pure: filter.json's schema and applying its rules to the string values of a JSON request body.
import { z } from "zod";
import { formatZodError, UserError } from "../errors";

const ReplaceRule = z
  .object({
    op: z.literal("replace"),
    source: z.string().min(1),
    target: z.string(),
    /** `source` is a JavaScript regular expression (global); `target` may use `$1`-style groups. */
    regex: z.boolean().optional(),
    flags: z.string().optional(),
  })
  .strict();

const RemoveRule = z
  .object({
    op: z.literal("remove"),
    source: z.string().min(1),
    regex: z.boolean().optional(),
    flags: z.string().optional(),
  })
  .strict();

export const FilterRuleSchema = z.discriminatedUnion("op", [ReplaceRule, RemoveRule]);
/** A plain list of rules; `{ "rules": [...] }` is accepted too. */
export const FilterListSchema = z.array(FilterRuleSchema);
export const FilterObjectSchema = z.object({ rules: FilterListSchema }).strict();

export type FilterRule = z.infer<typeof FilterRuleSchema>;

interface CompiledRule {
  /** Literal source when not a regex: lets the fast path skip parsing bodies no rule can touch. */
  literal: string | undefined;
  pattern: RegExp | undefined;
  target: string;
}

export interface FilterRules {
  rules: readonly CompiledRule[];
  /** Every rule is a literal with no character JSON would escape: a raw-text `includes` decides "no match". */
  literalOnly: boolean;
}

export const NO_RULES: FilterRules = { rules: [], literalOnly: true };

/** Characters JSON.stringify may write escaped: a literal holding one cannot be found in the raw text reliably. */
function hasJsonEscapedChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) return true;
  }
  return false;
}

/** Parse and compile filter.json text; a bad file or a bad regex is a UserError naming the file and the rule. */
export function parseFilterText(text: string, file: string): FilterRules {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  // Two schemas instead of a union, so an error names the failing rule's field rather than "Invalid input".
  const parsed = Array.isArray(raw) ? FilterListSchema.safeParse(raw) : FilterObjectSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(formatZodError(file, parsed.error));
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.rules;
  const rules = list.map((rule, index): CompiledRule => {
    const target = rule.op === "replace" ? rule.target : "";
    if (!rule.regex) return { literal: rule.source, pattern: undefined, target };
    const flags = new Set((rule.flags ?? "").split(""));
    flags.add("g");
    try {
      return { literal: undefined, pattern: new RegExp(rule.source, [...flags].join("")), target };
    } catch (error) {
      throw new UserError(`${file}: ${index}.source: invalid regular expression (${(error as Error).message})`);
    }
  });
  return { rules, literalOnly: rules.every((r) => r.literal !== undefined && !hasJsonEscapedChar(r.literal)) };
}

function applyToString(value: string, rules: readonly CompiledRule[]): string {
  let out = value;
  for (const rule of rules) {
    if (rule.pattern) {
      rule.pattern.lastIndex = 0;
      out = out.replace(rule.pattern, rule.target);
    } else if (rule.literal !== undefined && out.includes(rule.literal)) {
      out = out.replaceAll(rule.literal, () => rule.target);
    }
  }
  return out;
}

function walk(value: unknown, rules: readonly CompiledRule[]): unknown {
  if (typeof value === "string") return applyToString(value, rules);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = walk(value[i], rules);
    return value;
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = walk(record[key], rules);
  }
  return value;
}

/**
 * Apply the rules to the text of every JSON string value, so the body stays valid JSON whatever the strings are.
 * A body that is not JSON is left as it is. Returns undefined when nothing changed (the caller keeps its bytes).
 */
export function applyFilter(body: string, filter: FilterRules): string | undefined {
  if (filter.rules.length === 0 || body === "") return undefined;
  if (filter.literalOnly && !filter.rules.some((r) => body.includes(r.literal!))) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const next = JSON.stringify(walk(parsed, filter.rules));
  return next === body ? undefined : next;
}
