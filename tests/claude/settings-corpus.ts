// Real-world settings.json shapes the Claude switch must round-trip byte for byte.

export const SETTINGS_CORPUS: { name: string; text: string; token: "placeholder" | "user" }[] = [
  {
    name: "written by Claude Code, no env",
    text: '{\n  "model": "opus",\n  "permissions": {\n    "allow": ["Bash(ls:*)"],\n    "deny": []\n  }\n}\n',
    token: "placeholder",
  },
  {
    name: "env with other variables",
    text: '{\n  "env": {\n    "DISABLE_TELEMETRY": "1",\n    "BASH_DEFAULT_TIMEOUT_MS": "60000"\n  },\n  "model": "sonnet"\n}\n',
    token: "placeholder",
  },
  {
    name: "env with the user's own auth token",
    text: '{\n  "env": {\n    "ANTHROPIC_AUTH_TOKEN": "sk-ant-user-token"\n  }\n}\n',
    token: "user",
  },
  {
    name: "env with an API key",
    text: '{\n  "env": {\n    "ANTHROPIC_API_KEY": "sk-ant-api-key"\n  }\n}\n',
    token: "user",
  },
  {
    name: "env with a base URL already",
    text: '{\n  "env": {\n    "ANTHROPIC_BASE_URL": "https://gateway.example.com",\n    "ANTHROPIC_AUTH_TOKEN": "t"\n  }\n}\n',
    token: "user",
  },
  {
    name: "four-space indentation",
    text: '{\n    "model": "opus",\n    "env": {\n        "FOO": "bar"\n    }\n}\n',
    token: "placeholder",
  },
  { name: "tab indentation", text: '{\n\t"model": "opus"\n}\n', token: "placeholder" },
  { name: "CRLF", text: '{\r\n  "model": "opus",\r\n  "env": {\r\n    "A": "1"\r\n  }\r\n}\r\n', token: "placeholder" },
  { name: "no final newline", text: '{\n  "model": "opus"\n}', token: "placeholder" },
  { name: "empty object", text: "{}\n", token: "placeholder" },
  { name: "empty env object", text: '{\n  "env": {},\n  "model": "opus"\n}\n', token: "placeholder" },
  { name: "compact one-line JSON", text: '{"model":"opus","env":{"A":"1"}}', token: "placeholder" },
  { name: "apiKeyHelper gives a token", text: '{\n  "apiKeyHelper": "~/bin/key.sh"\n}\n', token: "user" },
  {
    name: "escaped base URL",
    text: '{\n  "env": {\n    "ANTHROPIC_BASE_URL": "https:\\/\\/api.example.com",\n    "ANTHROPIC_API_KEY": "k"\n  }\n}\n',
    token: "user",
  },
  {
    name: "env in the middle, nested values after it",
    text: '{\n  "hooks": {\n    "Stop": [{ "hooks": [{ "type": "command", "command": "say done" }] }]\n  },\n  "env": {\n    "ÜBER": "ja"\n  },\n  "statusLine": { "type": "command", "command": "x" }\n}\n',
    token: "placeholder",
  },
];
