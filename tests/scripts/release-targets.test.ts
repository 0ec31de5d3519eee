// Release target names, the `--only` selection and the SHA256SUMS format shared by build, build:check and install.sh.
import { describe, expect, test } from "bun:test";
import {
  artifactName,
  checksumLine,
  parseChecksums,
  RELEASE_TARGETS,
  selectTargets,
  targetById,
} from "../../scripts/release-targets";

describe("release targets", () => {
  test("cover the seven platforms the release promises", () => {
    expect(RELEASE_TARGETS.map((t) => t.id)).toEqual([
      "linux-x64",
      "linux-arm64",
      "linux-x64-musl",
      "linux-arm64-musl",
      "darwin-x64",
      "darwin-arm64",
      "windows-x64",
    ]);
  });

  test("artifact names carry version, os, arch and libc; only Windows gets .exe", () => {
    expect(artifactName("0.1.0", targetById("linux-arm64-musl")!)).toBe("codex-helper-0.1.0-linux-arm64-musl");
    expect(artifactName("0.1.0", targetById("darwin-arm64")!)).toBe("codex-helper-0.1.0-darwin-arm64");
    expect(artifactName("0.1.0", targetById("windows-x64")!)).toBe("codex-helper-0.1.0-windows-x64.exe");
  });

  test("each target compiles with the Bun target of the same os, arch and libc", () => {
    for (const t of RELEASE_TARGETS) {
      expect(t.bunTarget).toBe(`bun-${t.os}-${t.arch}${t.libc ? `-${t.libc}` : ""}` as typeof t.bunTarget);
    }
  });
});

describe("selectTargets", () => {
  test("selects every target when none is named", () => {
    const selection = selectTargets([]);
    expect(selection.ok && selection.targets.length).toBe(RELEASE_TARGETS.length);
  });

  test("accepts comma-separated and repeated names, in release order", () => {
    const selection = selectTargets(["darwin-arm64,linux-x64", "windows-x64"]);
    expect(selection.ok && selection.targets.map((t) => t.id)).toEqual(["linux-x64", "darwin-arm64", "windows-x64"]);
  });

  test("refuses an unknown name and lists the known ones", () => {
    const selection = selectTargets(["linux-x86"]);
    expect(selection.ok).toBe(false);
    expect(!selection.ok && selection.message).toContain('unknown target "linux-x86"; known: linux-x64, linux-arm64');
  });
});

describe("SHA256SUMS", () => {
  const digest = "a".repeat(64);

  test("writes sha256sum's text-mode line and reads it back", () => {
    const line = checksumLine(digest, "codex-helper-0.1.0-linux-x64");
    expect(line).toBe(`${digest}  codex-helper-0.1.0-linux-x64`);
    expect(parseChecksums(`${line}\n`)).toEqual({
      ok: true,
      entries: [{ sha256: digest, file: "codex-helper-0.1.0-linux-x64" }],
    });
  });

  test("reads binary-mode lines and skips blank ones", () => {
    const parsed = parseChecksums(`\n${digest} *codex-helper-0.1.0-windows-x64.exe\n\n`);
    expect(parsed).toEqual({ ok: true, entries: [{ sha256: digest, file: "codex-helper-0.1.0-windows-x64.exe" }] });
  });

  test("names the first malformed line", () => {
    expect(parseChecksums(`${digest}  ok\nnot-a-digest  file\n`)).toEqual({ ok: false, line: 2 });
    expect(parseChecksums(`${"A".repeat(64)}  upper-case\n`)).toEqual({ ok: false, line: 1 });
  });
});
