// `codex-helper config list|show|add|remove|set-active`: manage the named pools in config.json.
import { defineCommand } from "citty";
import { addUpstream, removeConfig, resolveName, setActive, unknownConfig } from "../config/edit";
import { loadConfig } from "../config/load";
import { updateConfig } from "../config/save";
import { type Pool, type Service, UpstreamSchema } from "../config/schema";
import { formatZodError, UserError } from "../errors";
import { paths } from "../paths";
import { action } from "./action";
import { logger, maskSecret, printData, printJson } from "./output";

const claudeFlag = {
  claude: { type: "boolean", description: "Act on the Claude Code section", default: false },
} as const;

function serviceOf(args: { claude?: boolean }): Service {
  return args.claude ? "claude" : "codex";
}

/** A pool as shown to people: secrets masked to their last 4 characters. */
export function maskedPool(pool: Pool) {
  return {
    ...pool,
    upstreams: pool.upstreams.map((u) => ({
      ...u,
      auth: Object.fromEntries(Object.entries(u.auth).map(([k, v]) => [k, maskSecret(v)])),
    })),
  };
}

const list = defineCommand({
  meta: { name: "list", description: "List configs (the active one marked with *)" },
  args: { ...claudeFlag, json: { type: "boolean", description: "Print JSON", default: false } },
  run: action(({ args }) => {
    const service = serviceOf(args);
    const section = loadConfig()[service];
    if (args.json) {
      printJson({
        active: section.active ?? null,
        configs: Object.fromEntries(Object.entries(section.configs).map(([k, p]) => [k, maskedPool(p)])),
      });
      return;
    }
    const names = Object.keys(section.configs);
    if (names.length === 0) {
      logger.info(`No ${service} configs yet. Add one: codex-helper config add NAME --base-url URL --auth-token T`);
      return;
    }
    for (const name of names) {
      const pool = section.configs[name]!;
      const mark = name === section.active ? "*" : " ";
      const alias = pool.alias ? ` (${pool.alias})` : "";
      const urls = pool.upstreams.map((u) => u.base_url).join(", ");
      printData(`${mark} ${name}${alias}  ${pool.upstreams.length} upstream(s): ${urls}`);
    }
  }),
});

const show = defineCommand({
  meta: { name: "show", description: "Show one config with masked credentials" },
  args: { name: { type: "positional", required: true, description: "Config name or alias" }, ...claudeFlag },
  run: action(({ args }) => {
    const service = serviceOf(args);
    const config = loadConfig();
    const name = resolveName(config, service, args.name);
    if (name === undefined) throw new UserError(unknownConfig(config, service, args.name));
    printJson({ ...maskedPool(config[service].configs[name]!), active: config[service].active === name });
  }),
});

const add = defineCommand({
  meta: { name: "add", description: "Add a config, or append another upstream to an existing one" },
  args: {
    name: { type: "positional", required: true, description: "Config name" },
    "base-url": { type: "string", required: true, description: "Upstream base URL, e.g. https://api.openai.com/v1" },
    "auth-token": { type: "string", description: "Sent as Authorization: Bearer" },
    "api-key": { type: "string", description: "Sent as the API key header" },
    alias: { type: "string", description: "A short alias" },
    ...claudeFlag,
  },
  run: action(async ({ args }) => {
    const service = serviceOf(args);
    const file = paths().config;
    const parsed = UpstreamSchema.safeParse({
      base_url: args["base-url"],
      auth: {
        ...(args["auth-token"] ? { auth_token: args["auth-token"] } : {}),
        ...(args["api-key"] ? { api_key: args["api-key"] } : {}),
      },
      tags: { source: "cli" },
    });
    if (!parsed.success) throw new UserError(formatZodError("--base-url", parsed.error).replace(/^--base-url: /, ""));
    const next = await updateConfig((config) => addUpstream(config, service, args.name, parsed.data, args.alias), file);
    const pool = next[service].configs[args.name]!;
    logger.success(`${service} config "${args.name}" now has ${pool.upstreams.length} upstream(s) (${file})`);
  }),
});

const remove = defineCommand({
  meta: { name: "remove", description: "Remove a config" },
  args: { name: { type: "positional", required: true, description: "Config name" }, ...claudeFlag },
  run: action(async ({ args }) => {
    const service = serviceOf(args);
    const next = await updateConfig((config) => removeConfig(config, service, args.name));
    logger.success(`removed ${service} config "${args.name}"; active: ${next[service].active ?? "none"}`);
  }),
});

const setActiveCommand = defineCommand({
  meta: { name: "set-active", description: "Make a config the active one" },
  args: { name: { type: "positional", required: true, description: "Config name or alias" }, ...claudeFlag },
  run: action(async ({ args }) => {
    const service = serviceOf(args);
    const next = await updateConfig((config) => setActive(config, service, args.name));
    logger.success(`active ${service} config: ${next[service].active}`);
  }),
});

export default defineCommand({
  meta: { name: "config", description: "Manage upstream configs in ~/.codex-proxy/config.json" },
  subCommands: { list, show, add, remove, "set-active": setActiveCommand },
});
