import { describe, expect, test } from "bun:test";
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { zstdCompressSync } from "bun";
import { snippet } from "../../src/codex/session-meta";
import { findSessions, listSessionFiles, readSessionHead, searchSessions } from "../../src/codex/sessions";
import { writeSession } from "../fixtures/session-files";
import { tempHome } from "../fixtures/temp-home";

const H = 3_600_000;
const NOW = Date.parse("2026-06-01T12:00:00Z");

describe("session discovery", () => {
  test("matching sessions first, newest activity first (by mtime, not folder date), then others; subagents skipped", () => {
    using home = tempHome();
    const dir = home.paths.codexSessions;
    const proj = join(home.root, "work", "proj");
    mkdirSync(join(proj, "src"), { recursive: true });
    writeSession(dir, {
      id: "old-but-resumed",
      cwd: proj,
      prompts: ["first task"],
      mtime: NOW - 1 * H,
      day: "2026-01-01",
    });
    writeSession(dir, { id: "newer-in-child", cwd: join(proj, "src"), prompts: ["child work"], mtime: NOW - 2 * H });
    writeSession(dir, { id: "in-parent", cwd: join(home.root, "work"), prompts: ["parent"], mtime: NOW - 3 * H });
    writeSession(dir, { id: "sibling-prefix", cwd: `${proj}2`, prompts: ["elsewhere"], mtime: NOW - 0.5 * H });
    writeSession(dir, { id: "subagent", cwd: proj, prompts: ["spawned"], mtime: NOW, subagent: true });

    const list = findSessions({ sessionsDir: dir, projectDir: proj, all: false, limit: 10 });
    expect(list.map((s) => [s.id, s.matchesProject])).toEqual([
      ["old-but-resumed", true],
      ["newer-in-child", true],
      ["in-parent", true],
      ["sibling-prefix", false],
    ]);
    expect(list[0]?.prompt).toBe("first task");
    expect(findSessions({ sessionsDir: dir, projectDir: proj, all: false, limit: 2 }).map((s) => s.id)).toEqual([
      "old-but-resumed",
      "newer-in-child",
    ]);
    expect(findSessions({ sessionsDir: dir, projectDir: proj, all: true, limit: 2 }).map((s) => s.id)).toEqual([
      "sibling-prefix",
      "old-but-resumed",
    ]);
  });

  test("a symlinked project folder matches sessions recorded under its real path, and the other way round", () => {
    using home = tempHome();
    const real = join(home.root, "real", "proj");
    mkdirSync(real, { recursive: true });
    const link = join(home.root, "link");
    symlinkSync(join(home.root, "real"), link);
    writeSession(home.paths.codexSessions, { id: "via-real", cwd: real, prompts: ["a"], mtime: NOW });
    writeSession(home.paths.codexSessions, { id: "via-link", cwd: join(link, "proj"), prompts: ["b"], mtime: NOW - H });
    const fromLink = findSessions({
      sessionsDir: home.paths.codexSessions,
      projectDir: join(link, "proj"),
      all: false,
      limit: 5,
    });
    expect(fromLink.filter((s) => s.matchesProject).map((s) => s.id)).toEqual(["via-real", "via-link"]);
  });

  test("every prompt style is found, injected context never is", () => {
    using home = tempHome();
    const dir = home.paths.codexSessions;
    writeSession(dir, { id: "item", cwd: "/p", prompts: ["typed via item"], mtime: NOW });
    writeSession(dir, { id: "legacy", cwd: "/p", prompts: ["typed legacy"], style: "legacy", mtime: NOW - H });
    writeSession(dir, { id: "resp", cwd: "/p", prompts: ["typed resp"], style: "response_item", mtime: NOW - 2 * H });
    writeSession(dir, { id: "context-only", cwd: "/p", prompts: [], mtime: NOW - 3 * H });
    const prompts = findSessions({ sessionsDir: dir, projectDir: "/p", all: false, limit: 10 }).map((s) => [
      s.id,
      s.prompt,
    ]);
    expect(prompts).toEqual([
      ["item", "typed via item"],
      ["legacy", "typed legacy"],
      ["resp", "typed resp"],
      ["context-only", undefined],
    ]);
  });

  test("empty, truncated, non-JSON and half-written files are skipped or read as far as they are valid", () => {
    using home = tempHome();
    const dir = join(home.paths.codexSessions, "2026", "06", "01");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "rollout-2026-06-01T00-00-00-empty.jsonl"), "");
    writeFileSync(join(dir, "rollout-2026-06-01T00-00-00-garbage.jsonl"), "this is not json\n{\n");
    writeFileSync(join(dir, "rollout-2026-06-01T00-00-00-cut.jsonl"), '{"type":"session_meta","payload":{"id":"cu');
    const good = writeSession(home.paths.codexSessions, {
      id: "good",
      cwd: "/p",
      prompts: ["real prompt"],
      mtime: NOW,
    });
    // Codex is appending to this one right now: a half-written last line.
    appendFileSync(good, '{"timestamp":"x","type":"response_item","payload":{"type":"mess');
    utimesSync(good, NOW / 1000, NOW / 1000);
    const list = findSessions({ sessionsDir: home.paths.codexSessions, projectDir: "/p", all: true, limit: 10 });
    expect(list.map((s) => [s.id, s.prompt])).toEqual([["good", "real prompt"]]);
  });

  test("a file being appended to while it is read: the head stays right", () => {
    using home = tempHome();
    const path = writeSession(home.paths.codexSessions, { id: "live", cwd: "/p", prompts: ["go"], mtime: NOW });
    const [file] = listSessionFiles(home.paths.codexSessions);
    for (let i = 0; i < 50; i++)
      appendFileSync(
        path,
        `${JSON.stringify({ type: "event_msg", payload: { type: "agent_reasoning", text: "x".repeat(1000) } })}\n`,
      );
    expect(readSessionHead(file!, true)).toMatchObject({ id: "live", prompt: "go" });
  });

  test("zstd-compressed older files are read, and archived sessions only with --archived", () => {
    using home = tempHome();
    writeSession(
      home.paths.codexSessions,
      { id: "zipped", cwd: "/p", prompts: ["from zstd"], mtime: NOW - 10 * 24 * H },
      (t) => zstdCompressSync(Buffer.from(t)),
    );
    mkdirSync(home.paths.codexArchivedSessions, { recursive: true });
    // Archived sessions lie flat in archived_sessions/.
    const made = writeSession(join(home.root, "elsewhere"), {
      id: "archived",
      cwd: "/p",
      prompts: ["old"],
      mtime: NOW,
    });
    copyFileSync(made, join(home.paths.codexArchivedSessions, "rollout-2026-01-02T00-00-00-archived.jsonl"));
    const plain = findSessions({ sessionsDir: home.paths.codexSessions, projectDir: "/p", all: false, limit: 10 });
    expect(plain.map((s) => [s.id, s.prompt])).toEqual([["zipped", "from zstd"]]);
    const withArchive = findSessions({
      sessionsDir: home.paths.codexSessions,
      archivedDir: home.paths.codexArchivedSessions,
      projectDir: "/p",
      all: false,
      limit: 10,
    });
    expect(withArchive.map((s) => s.id).sort()).toEqual(["archived", "zipped"]);
  });

  test("a missing sessions folder means no sessions", () => {
    using home = tempHome();
    expect(findSessions({ sessionsDir: join(home.root, "nope"), projectDir: "/p", all: false, limit: 5 })).toEqual([]);
  });

  test("search finds typed prompts case-insensitively, newest first, with a snippet, never injected context", () => {
    using home = tempHome();
    const dir = home.paths.codexSessions;
    writeSession(dir, {
      id: "a",
      cwd: "/p",
      prompts: ["hello", "Please fix the PARSER bug in lexer.ts"],
      mtime: NOW - H,
    });
    writeSession(dir, { id: "b", cwd: "/q", prompts: ["parser refactor"], mtime: NOW });
    writeSession(dir, { id: "c", cwd: "/r", prompts: ["nothing relevant"], mtime: NOW - 2 * H });
    const hits = searchSessions({ sessionsDir: dir, text: "parser", limit: 10 }, (p) => snippet(p, "parser"));
    expect(hits.map((h) => h.id)).toEqual(["b", "a"]);
    expect(hits[1]?.snippet).toContain("PARSER bug");
    expect(searchSessions({ sessionsDir: dir, text: "AGENTS.md", limit: 10 }, () => undefined)).toEqual([]);
  });
});

describe("session index", () => {
  test("a second scan answers from the index without reading heads, and sees new and resumed sessions", () => {
    using home = tempHome();
    const dir = home.paths.codexSessions;
    const indexFile = join(home.paths.helperHome, "cache", "sessions-index.json");
    const a = writeSession(dir, { id: "a", cwd: "/p", prompts: ["first"], mtime: NOW - H });
    writeSession(dir, { id: "b", cwd: "/q", prompts: ["second"], mtime: NOW - 2 * H });
    const options = { sessionsDir: dir, projectDir: "/p", all: false, limit: 5, indexFile };
    expect(findSessions(options).map((s) => s.id)).toEqual(["a", "b"]);
    // Corrupt the head of "a": only the index can still answer for it.
    writeFileSync(a, "garbage that is not a session\n");
    utimesSync(a, NOW / 1000, NOW / 1000);
    writeSession(dir, { id: "c", cwd: "/p/sub", prompts: ["third"], mtime: NOW - 0.5 * H });
    expect(findSessions(options).map((s) => [s.id, s.prompt])).toEqual([
      ["a", "first"],
      ["c", "third"],
      ["b", "second"],
    ]);
  });

  test("a broken index file is only a cache: ignored and rebuilt", () => {
    using home = tempHome();
    const indexFile = join(home.paths.helperHome, "cache", "sessions-index.json");
    mkdirSync(join(home.paths.helperHome, "cache"), { recursive: true });
    writeFileSync(indexFile, "{ not json");
    writeSession(home.paths.codexSessions, { id: "a", cwd: "/p", prompts: ["x"], mtime: NOW });
    expect(
      findSessions({ sessionsDir: home.paths.codexSessions, projectDir: "/p", all: false, limit: 5, indexFile })[0]?.id,
    ).toBe("a");
    expect(JSON.parse(readFileSync(indexFile, "utf8")).version).toBe(1);
  });
});
