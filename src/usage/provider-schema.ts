// zod schema of usage_providers.json (quota APIs polled to route around spent upstreams) and its default content.
import { z } from "zod";

export const ProviderSchema = z
  .object({
    id: z.string().min(1),
    kind: z.string().min(1),
    /** An upstream belongs to the provider when its host is one of these or a subdomain of one. */
    domains: z.array(z.string().min(1)).min(1),
    endpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    /** Env var holding the token; null or unset: the first auth_token of an associated upstream. */
    token_env: z.string().min(1).nullable().optional(),
    poll_interval_secs: z.number().int().min(10).max(86_400).default(60),
  })
  .strict();

export const ProvidersFileSchema = z.object({ providers: z.array(ProviderSchema) }).strict();

export type Provider = z.infer<typeof ProviderSchema>;
export type ProvidersFile = z.infer<typeof ProvidersFileSchema>;

export const DEFAULT_PROVIDERS: ProvidersFile = {
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
};
