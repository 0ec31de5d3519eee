// The request log's line format (one JSON object per request) and its pure construction; zod parses it back.
import { z } from "zod";

export const TokenUsageSchema = z.object({
  /** Every input token, cached ones included (OpenAI's meaning; for Anthropic: input + cache creation + cache read). */
  input_tokens: z.number(),
  /** The part of input_tokens served from cache. */
  cached_input_tokens: z.number(),
  /** Every output token, reasoning included. */
  output_tokens: z.number(),
  /** The part of output_tokens spent on reasoning. */
  reasoning_tokens: z.number(),
  /** input_tokens + output_tokens. */
  total_tokens: z.number(),
  /** Anthropic's own fields, kept as reported. */
  cache_creation_input_tokens: z.number().optional(),
  cache_read_input_tokens: z.number().optional(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export const AttemptSchema = z.object({
  upstream_base_url: z.string(),
  status_code: z.number().optional(),
  /** Why the attempt failed: `connect: ECONNREFUSED`, `status 500`, `timeout: first byte`, … */
  error: z.string().optional(),
  duration_ms: z.number().optional(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const RequestRecordSchema = z.object({
  timestamp_ms: z.number(),
  service: z.enum(["codex", "claude"]),
  method: z.string(),
  path: z.string(),
  status_code: z.number(),
  duration_ms: z.number(),
  ttfb_ms: z.number().nullable(),
  config_name: z.string().nullable(),
  upstream_base_url: z.string().nullable(),
  attempts: z.array(AttemptSchema),
  model: z.string().optional(),
  usage: TokenUsageSchema.optional(),
  /** True when the balancer served from exhausted upstreams (usage fallback) or ignored a cooldown (last resort). */
  fallback: z.boolean().optional(),
  /** Where a failure happened: before any output reached the client, or during it. */
  phase: z.enum(["before_output", "during_output"]).optional(),
  /** The client went away before the answer ended. */
  client_aborted: z.boolean().optional(),
  error: z.string().optional(),
});
export type RequestRecord = z.infer<typeof RequestRecordSchema>;

/** Drop absent optional fields so lines stay short and stable. */
export function serializeRecord(record: RequestRecord): string {
  return JSON.stringify(record);
}
