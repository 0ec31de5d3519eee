// Real-world config.toml shapes the switch must round-trip byte for byte (shared by the pure and the file tests).

export interface CorpusCase {
  name: string;
  text: string;
}

const mcpServers = `model = "gpt-5-codex"
approval_policy = "on-request"

[mcp_servers.github]
command = "npx"
args = [
  "-y",
  "@modelcontextprotocol/server-github", # pinned
]
env = { GITHUB_TOKEN = "ghp_example" }

[mcp_servers.filesystem]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-filesystem", "/home/me"]
startup_timeout_sec = 20
`;

export const CORPUS: CorpusCase[] = [
  { name: "empty file", text: "" },
  {
    name: "comments everywhere",
    text: `# Codex config — hand edited
# see https://github.com/openai/codex/blob/main/docs/config.md

model = "o3" # the default model
# model = "gpt-4.1"
model_reasoning_effort = "high"   # trailing comment with = and [brackets]

# --- profiles ---
[profiles.fast] # a profile
model = "gpt-4.1-mini"
# end of profile
`,
  },
  {
    name: "profiles and a provider per profile",
    text: `model = "o3"
profile_default_note = "x"

[profiles.azure]
model = "gpt-5"
model_provider = "azure"

[profiles.local]
model = "qwen"
model_provider = "ollama"

[model_providers.azure]
name = "Azure"
base_url = "https://example.openai.azure.com/openai"
env_key = "AZURE_OPENAI_API_KEY"
query_params = { api-version = "2025-04-01-preview" }
wire_api = "responses"
`,
  },
  { name: "MCP servers with multi-line arrays and inline tables", text: mcpServers },
  {
    name: "project trust entries",
    text: `model = "o3"

[projects."/home/me/code/app"]
trust_level = "trusted"

[projects.'/home/me/code/with "quotes"']
trust_level = "untrusted"

[projects."C:\\\\Users\\\\me\\\\proj"]
trust_level = "trusted"
`,
  },
  {
    name: "arrays of tables at the end",
    text: `model = "o3"

[[notify_rules]]
event = "turn-complete"
command = ["notify-send", "done"]

[[notify_rules]]
event = "error"
command = ["notify-send", "failed"]`,
  },
  {
    name: "dotted keys at the top level",
    text: `model = "o3"
tui.theme = "dark"
features.web_search = true
sandbox_workspace_write.network_access = false
model_providers.other.name = "Other"
model_providers.other.base_url = "http://other.example/v1"

[history]
persistence = "save-all"
`,
  },
  {
    name: "model_provider in single quotes with a comment",
    text: `model = 'gpt-5'
model_provider = 'azure' # company endpoint

[model_providers.azure]
name = 'Azure'
base_url = 'https://example.openai.azure.com/openai'
wire_api = 'responses'
`,
  },
  { name: "model_provider absent, only top-level keys", text: `model = "o3"\napproval_policy = "never"\n` },
  {
    name: "already codex_proxy with our table",
    text: `model_provider = "codex_proxy"

[model_providers.codex_proxy]
name = "codex-helper"
base_url = "http://127.0.0.1:3211"
wire_api = "responses"
`,
  },
  {
    name: "CRLF line endings",
    text: `# windows\r\nmodel = "o3"\r\nmodel_provider = "openai"\r\n\r\n[profiles.x]\r\nmodel = "gpt-4.1"\r\n`,
  },
  {
    name: "no final newline",
    text: `model = "o3"\n\n[projects."/srv/app"]\ntrust_level = "trusted"`,
  },
  {
    name: "existing [model_providers] with other providers",
    text: `model_provider = "openrouter"

[model_providers]
# the bare parent table, then inline providers
local = { name = "Local", base_url = "http://localhost:8080/v1", wire_api = "responses" }

[model_providers.openrouter]
name = "OpenRouter"
base_url = "https://openrouter.ai/api/v1"
env_key = "OPENROUTER_API_KEY"
wire_api = "responses"
`,
  },
  {
    name: "provider with sub-tables",
    text: `model_provider = "openai_compat"

[model_providers.openai_compat]
name = "Compat"
base_url = "https://compat.example/v1"
wire_api = "responses"

[model_providers.openai_compat.http_headers]
X-Team = "platform"

[model_providers.openai_compat.env_http_headers]
X-Key = "COMPAT_KEY"
`,
  },
  {
    name: "a stale codex_proxy table from an old setup",
    text: `model_provider = "openai"

[model_providers.codex_proxy]
# left over from an old proxy
name = "old proxy"
base_url = "http://localhost:9999/v1"
request_max_retries = 4
wire_api = "responses"
# trailing note about the next table

[mcp_servers.x]
command = "x"
`,
  },
  {
    name: "multi-line strings that look like headers and keys",
    text: `instructions = """
[model_providers.codex_proxy]
model_provider = "fake"
"""
developer_note = '''
[profiles.x]
'''

[profiles.x]
model = "o3"
`,
  },
  { name: "only comments", text: `# nothing configured yet\n# model = "o3"\n` },
  {
    name: "quoted top-level key and a multi-line array last",
    text: `"model_provider" = "oss" # quoted key
model = "o3"
notify = [
  "notify-send",
  "Codex",
]
# about the profiles below

[profiles.y]
model = "o4-mini"
`,
  },
  {
    name: "model_provider codex_proxy but no table",
    text: `model_provider = "codex_proxy"\nmodel = "o3"\n`,
  },
  { name: "whitespace only without final newline", text: "\n\n  " },
  {
    name: "quoted dotted keys, spaced headers, hashes and brackets inside strings",
    text: `"a.b" = 1\n[ profiles . "x.y" ] # spaced\nk = "has # hash and [brackets]"\n`,
  },
  {
    name: "escaped quotes and line continuations in multi-line strings",
    text: `s = """quote \\""" inside"""\nt = """line \\\n  continued"""\nu = '''it's ''\n'''\n[x]\n`,
  },
  {
    name: "arrays of inline tables, dates, special floats",
    text: `arr = [\n  { a = 1, b = [1, 2] },\n  { a = 2 }, # c\n]\nd = 1979-05-27T07:32:00Z\nld = 1979-05-27\nlt = 07:32:00\nn = nan\ni = +inf\nh = 0xDEAD_BEEF\n`,
  },
  {
    name: "indented headers and comments, no final newline",
    text: `key = 'lit # not comment'   # comment\n\t\n  # indented comment\n  [  indented.header  ]  \n  k = 1`,
  },
  { name: "multi-line array as the last top-level key", text: `notify = [\n  "a",\n]\n\n[x]\ny = 1\n` },
  {
    name: "CRLF without final newline and a header first",
    text: `[profiles.a]\r\nmodel = "x"\r\n# last`,
  },
];
