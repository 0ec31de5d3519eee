import { describe, expect, test } from "bun:test";
import { caseInsensitivePaths, matchesProject } from "../../src/codex/project-match";
import { isInjectedText, preview, promptInLine, sessionMeta, snippet } from "../../src/codex/session-meta";

describe("typed prompt detection", () => {
  test("older files: a user_message event", () => {
    expect(promptInLine({ type: "event_msg", payload: { type: "user_message", message: "fix the build" } })).toBe(
      "fix the build",
    );
  });

  test("0.148+: an item_completed UserMessage", () => {
    const line = {
      type: "event_msg",
      payload: {
        type: "item_completed",
        item: { type: "UserMessage", content: [{ type: "text", text: "add tests" }] },
      },
    };
    expect(promptInLine(line)).toBe("add tests");
  });

  test("a user-role response_item, unless it is injected context", () => {
    const message = (text: string) => ({
      type: "response_item",
      payload: { type: "message", role: "user", content: [{ type: "input_text", text }] },
    });
    expect(promptInLine(message("rename the module"))).toBe("rename the module");
    for (const injected of [
      "<environment_context>\n  <cwd>/x</cwd>",
      "# AGENTS.md instructions for /x\n\nDo things",
      "<user_instructions>be brief</user_instructions>",
      "<skill>…",
      "<user_shell_command>ls</user_shell_command>",
      "<turn_aborted>",
      "<subagent_notification>",
      "<additional_context>",
      "<plugins>",
      "<subagents>",
    ]) {
      expect(isInjectedText(injected)).toBe(true);
      expect(promptInLine(message(injected))).toBeUndefined();
    }
    expect(
      promptInLine({ type: "response_item", payload: { type: "message", role: "developer", content: "x" } }),
    ).toBeUndefined();
    expect(
      promptInLine({ type: "response_item", payload: { type: "message", role: "assistant", content: "x" } }),
    ).toBeUndefined();
  });

  test("unknown line types are ignored", () => {
    expect(promptInLine({ type: "world_state_v9", payload: { anything: true } })).toBeUndefined();
    expect(promptInLine({ type: "event_msg" })).toBeUndefined();
  });
});

describe("session_meta", () => {
  test("reads id (or session_id), cwd, start and subagent source", () => {
    expect(
      sessionMeta({ type: "session_meta", payload: { id: "a", timestamp: "t", cwd: "/p", source: "exec" } }),
    ).toEqual({ id: "a", started: "t", cwd: "/p", subagent: false });
    expect(sessionMeta({ type: "session_meta", payload: { session_id: "b", source: { subagent: "review" } } })).toEqual(
      {
        id: "b",
        started: undefined,
        cwd: undefined,
        subagent: true,
      },
    );
    expect(sessionMeta({ type: "response_item", payload: {} })).toBeUndefined();
    expect(sessionMeta(undefined)).toBeUndefined();
  });

  test("previews fold whitespace to one line and cut long text; snippets show the match in context", () => {
    expect(preview("fix\n  the\tbuild")).toBe("fix the build");
    expect(preview("x".repeat(150), 20)).toBe(`${"x".repeat(19)}…`);
    expect(snippet("a long prompt about the Parser module and more", "parser", 5)).toBe("… the Parser modu…");
    expect(snippet("nothing here", "parser")).toBeUndefined();
  });
});

describe("project matching", () => {
  test("same folder, ancestor and descendant match by whole segments; siblings and prefixes do not", () => {
    expect(matchesProject("/a/b", "/a/b", false)).toBe(true);
    expect(matchesProject("/a", "/a/b", false)).toBe(true);
    expect(matchesProject("/a/b/c/d", "/a/b", false)).toBe(true);
    expect(matchesProject("/a/bc", "/a/b", false)).toBe(false);
    expect(matchesProject("/a/b", "/a/bc", false)).toBe(false);
    expect(matchesProject("/a/c", "/a/b", false)).toBe(false);
    expect(matchesProject("/a/b/", "/a/b", false)).toBe(true);
  });

  test("the filesystem root is nobody's project", () => {
    expect(matchesProject("/", "/a/b", false)).toBe(false);
  });

  test("case-insensitive on Windows and macOS, with Windows separators", () => {
    expect(caseInsensitivePaths("win32")).toBe(true);
    expect(caseInsensitivePaths("darwin")).toBe(true);
    expect(caseInsensitivePaths("linux")).toBe(false);
    expect(matchesProject("C:\\Users\\Me\\Proj", "c:/users/me/proj/src", true)).toBe(true);
    expect(matchesProject("/A/B", "/a/b", false)).toBe(false);
  });
});
