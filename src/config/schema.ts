// zod schemas of config.json: named pools of upstreams per service; types come from here.
import { z } from "zod";

export const SERVICES = ["codex", "claude"] as const;
export type Service = (typeof SERVICES)[number];

export const AuthSchema = z
  .object({
    /** Sent upstream as `Authorization: Bearer <auth_token>`. */
    auth_token: z.string().min(1).optional(),
    /** Sent upstream as the service's key header (`x-api-key` for Anthropic; Bearer for OpenAI when no auth_token). */
    api_key: z.string().min(1).optional(),
  })
  .strict();

export const UpstreamSchema = z
  .object({
    base_url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    auth: AuthSchema.default({}),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const PoolSchema = z
  .object({
    name: z.string().min(1),
    alias: z.string().optional(),
    /** Priority order: the first healthy upstream gets the traffic. */
    upstreams: z.array(UpstreamSchema),
  })
  .strict();

export const ServiceSectionSchema = z
  .object({
    active: z.string().nullable().optional(),
    configs: z.record(z.string(), PoolSchema).default({}),
  })
  .strict();

/** Server settings a power user may set; every one has a default, so the section is optional. */
export const SettingsSchema = z
  .object({
    /** Required from every client when bound beyond loopback (`Authorization: Bearer` or `x-api-key`). */
    access_token: z.string().min(8).optional(),
    connect_timeout_ms: z.number().int().positive().optional(),
    first_byte_timeout_ms: z.number().int().positive().optional(),
    idle_timeout_ms: z.number().int().positive().optional(),
    max_body_bytes: z.number().int().positive().optional(),
    log_max_bytes: z.number().int().positive().optional(),
    log_keep: z.number().int().min(0).max(100).optional(),
  })
  .strict();

export const ConfigFileSchema = z
  .object({
    codex: ServiceSectionSchema.default({ configs: {} }),
    claude: ServiceSectionSchema.default({ configs: {} }),
    settings: SettingsSchema.optional(),
  })
  .strict();

export type Auth = z.infer<typeof AuthSchema>;
export type Upstream = z.infer<typeof UpstreamSchema>;
export type Pool = z.infer<typeof PoolSchema>;
export type ServiceSection = z.infer<typeof ServiceSectionSchema>;
export type Settings = z.infer<typeof SettingsSchema>;
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export function emptyConfig(): ConfigFile {
  return { codex: { configs: {} }, claude: { configs: {} } };
}

/** The pool that serves a service: the named active one, else the first configured. */
export function activePool(config: ConfigFile, service: Service): Pool | undefined {
  const section = config[service];
  if (section.active && section.configs[section.active]) return section.configs[section.active];
  const first = Object.keys(section.configs)[0];
  return first === undefined ? undefined : section.configs[first];
}
