// Pure edits of the config model behind `config add|remove|set-active`.
import { UserError } from "../errors";
import type { ConfigFile, Pool, Service, Upstream } from "./schema";

export function addUpstream(
  config: ConfigFile,
  service: Service,
  name: string,
  upstream: Upstream,
  alias?: string,
): ConfigFile {
  const section = config[service];
  const existing: Pool | undefined = section.configs[name];
  if (existing?.upstreams.some((u) => u.base_url === upstream.base_url && sameAuth(u, upstream))) {
    throw new UserError(`config "${name}" already has an upstream ${upstream.base_url} with these credentials`);
  }
  const pool: Pool = existing
    ? { ...existing, alias: alias ?? existing.alias, upstreams: [...existing.upstreams, upstream] }
    : { name, ...(alias ? { alias } : {}), upstreams: [upstream] };
  const configs = { ...section.configs, [name]: pool };
  // The first config of a service becomes the active one: a fresh install should just work.
  const active = section.active && configs[section.active] ? section.active : name;
  return { ...config, [service]: { ...section, active, configs } };
}

function sameAuth(a: Upstream, b: Upstream): boolean {
  return (a.auth.auth_token ?? "") === (b.auth.auth_token ?? "") && (a.auth.api_key ?? "") === (b.auth.api_key ?? "");
}

export function removeConfig(config: ConfigFile, service: Service, name: string): ConfigFile {
  const section = config[service];
  if (!section.configs[name]) throw new UserError(unknownConfig(config, service, name));
  const configs = { ...section.configs };
  delete configs[name];
  const active = section.active === name ? (Object.keys(configs)[0] ?? null) : section.active;
  return { ...config, [service]: { ...section, active, configs } };
}

export function setActive(config: ConfigFile, service: Service, name: string): ConfigFile {
  const section = config[service];
  const resolved = resolveName(config, service, name);
  if (resolved === undefined) throw new UserError(unknownConfig(config, service, name));
  return { ...config, [service]: { ...section, active: resolved } };
}

/** A config named by its key or its alias. */
export function resolveName(config: ConfigFile, service: Service, name: string): string | undefined {
  const section = config[service];
  if (section.configs[name]) return name;
  return Object.entries(section.configs).find(([, pool]) => pool.alias === name)?.[0];
}

export function unknownConfig(config: ConfigFile, service: Service, name: string): string {
  const names = Object.keys(config[service].configs);
  return `no ${service} config named "${name}" (known: ${names.length > 0 ? names.join(", ") : "none"})`;
}
