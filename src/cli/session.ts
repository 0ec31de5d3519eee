// `codex-helper session list|last|search`: this project's Codex sessions, newest first, ready for `codex resume`.
import { defineCommand } from "citty";
import { formatList, formatSession, sessionJson } from "../codex/session-format";
import { snippet } from "../codex/session-meta";
import { findSessions, searchSessions } from "../codex/sessions";
import { UserError } from "../errors";
import { paths } from "../paths";
import { action } from "./action";
import { logger, printData, printJson } from "./output";

function parseLimit(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit: "${value}" is not a positive whole number`);
  return limit;
}

const offset = () => -new Date().getTimezoneOffset();

const list = defineCommand({
  meta: { name: "list", description: "Sessions of this project (then others), newest first" },
  args: {
    limit: { type: "string", description: "How many (default 10)" },
    all: { type: "boolean", description: "Ignore the project: newest sessions of any folder", default: false },
    archived: { type: "boolean", description: "Include archived sessions", default: false },
    json: { type: "boolean", description: "Print JSON", default: false },
  },
  run: action(({ args }) => {
    const p = paths();
    const sessions = findSessions({
      sessionsDir: p.codexSessions,
      archivedDir: args.archived ? p.codexArchivedSessions : undefined,
      projectDir: process.cwd(),
      all: args.all,
      limit: parseLimit(args.limit, 10),
      indexFile: p.sessionIndex,
    });
    if (args.json) {
      printJson(sessions.map(sessionJson));
      return;
    }
    if (sessions.length === 0) {
      logger.info(`no Codex sessions yet (looked in ${p.codexSessions})`);
      return;
    }
    if (!args.all && !sessions.some((s) => s.matchesProject))
      logger.info(`no session of ${process.cwd()}; newest of other folders:`);
    printData(formatList(sessions, Date.now(), offset()));
  }),
});

const last = defineCommand({
  meta: { name: "last", description: "The newest session of this project, with its `codex resume` line" },
  args: { json: { type: "boolean", description: "Print JSON", default: false } },
  run: action(({ args }) => {
    const p = paths();
    const [session] = findSessions({
      sessionsDir: p.codexSessions,
      projectDir: process.cwd(),
      all: false,
      limit: 1,
      indexFile: p.sessionIndex,
    });
    if (!session?.matchesProject) throw new UserError(`no Codex session found for ${process.cwd()}`);
    if (args.json) {
      printJson({ ...sessionJson(session), resume: `codex resume ${session.id}` });
      return;
    }
    printData(`${formatSession(session, Date.now(), offset())}\n\ncodex resume ${session.id}`);
  }),
});

const search = defineCommand({
  meta: { name: "search", description: "Sessions whose typed messages contain TEXT (case-insensitive)" },
  args: {
    text: { type: "positional", required: true, description: "Text to find" },
    limit: { type: "string", description: "How many (default 10)" },
    archived: { type: "boolean", description: "Include archived sessions", default: false },
    json: { type: "boolean", description: "Print JSON", default: false },
  },
  run: action(({ args }) => {
    const p = paths();
    const text = args.text.trim();
    if (text === "") throw new UserError("search: give some text to look for");
    const sessions = searchSessions(
      {
        sessionsDir: p.codexSessions,
        archivedDir: args.archived ? p.codexArchivedSessions : undefined,
        text,
        limit: parseLimit(args.limit, 10),
      },
      (prompt) => snippet(prompt, text),
    );
    if (args.json) {
      printJson(sessions.map(sessionJson));
      return;
    }
    if (sessions.length === 0) {
      logger.info(`no session mentions "${text}"`);
      return;
    }
    printData(formatList(sessions, Date.now(), offset()));
  }),
});

export default defineCommand({
  meta: { name: "session", description: "Find Codex sessions of this project (any provider) and resume them" },
  subCommands: { list, last, search },
});
