// scripts/install.sh under `sh`, against a local file server standing in for the GitHub release host.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { Server } from "bun";
import { RELEASE_TARGETS } from "../../scripts/release-targets";
import { tempHome } from "../fixtures/temp-home";

const INSTALL_SH = join(import.meta.dir, "../../scripts/install.sh");
const VERSION = "9.8.7";

/** A stand-in binary per platform: a shell script that names its platform, so a test sees which one was installed. */
function fakeBinary(id: string): string {
  return `#!/bin/sh\necho "${VERSION} (fake ${id})"\n`;
}

function sha256(text: string): string {
  return new Bun.CryptoHasher("sha256").update(text).digest("hex");
}

interface Release {
  files: Map<string, string>;
  requests: string[];
}

let server: Server<undefined>;
const release: Release = { files: new Map(), requests: [] };

/** Resets the release to every platform's binary plus a matching SHA256SUMS. */
function publish(tamper?: (files: Map<string, string>) => void) {
  release.files.clear();
  release.requests.length = 0;
  const sums: string[] = [];
  for (const target of RELEASE_TARGETS) {
    const name = `codex-helper-${VERSION}-${target.id}${target.os === "windows" ? ".exe" : ""}`;
    const body = fakeBinary(target.id);
    release.files.set(name, body);
    sums.push(`${sha256(body)}  ${name}`);
  }
  release.files.set("SHA256SUMS", `${sums.join("\n")}\n`);
  tamper?.(release.files);
}

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const name = decodeURIComponent(new URL(req.url).pathname.replace(/^\/download\//, ""));
      release.requests.push(name);
      const body = release.files.get(name);
      return body === undefined ? new Response("Not Found", { status: 404 }) : new Response(body);
    },
  });
});
afterAll(() => server.stop(true));

interface InstallResult {
  code: number;
  stdout: string;
  stderr: string;
  installDir: string;
}

/** Runs install.sh with `sh`; `bin` holds fake commands (uname, ldd…) put first on PATH. */
async function install(
  home: { root: string; env: Record<string, string> },
  env: Record<string, string> = {},
  bin: Record<string, string> = {},
  shell: string[] = ["/bin/sh"],
): Promise<InstallResult> {
  const installDir = join(home.root, "install", "bin");
  const fakeBin = join(home.root, "fake-bin");
  mkdirSync(fakeBin, { recursive: true });
  for (const [name, script] of Object.entries(bin)) {
    writeFileSync(join(fakeBin, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(fakeBin, name), 0o755);
  }
  const proc = Bun.spawn([...shell, INSTALL_SH], {
    env: {
      PATH: `${fakeBin}:/usr/local/bin:/usr/bin:/bin`,
      HOME: home.env.HOME,
      CODEX_HELPER_RELEASE_BASE: `${server.url.origin}/download`,
      CODEX_HELPER_INSTALL_DIR: installDir,
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  return { code, stdout, stderr, installDir };
}

const installed = (r: InstallResult) => join(r.installDir, "codex-helper");

describe("install.sh", () => {
  test("installs the linux-x64 binary, executable, after verifying its checksum", async () => {
    using home = tempHome();
    publish();
    const r = await install(home, { CODEX_HELPER_OS: "linux", CODEX_HELPER_ARCH: "x64", CODEX_HELPER_LIBC: "glibc" });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(installed(r), "utf8")).toBe(fakeBinary("linux-x64"));
    expect(statSync(installed(r)).mode & 0o111).toBe(0o111);
    expect(r.stdout).toContain("checksum verified");
    expect(r.stdout).toContain(`codex-helper ${VERSION} (fake linux-x64)`);
    expect(release.requests).toEqual(["SHA256SUMS", `codex-helper-${VERSION}-linux-x64`]);
  });

  for (const [os, arch, libc, expected] of [
    ["linux", "arm64", "glibc", "linux-arm64"],
    ["linux", "x64", "musl", "linux-x64-musl"],
    ["linux", "arm64", "musl", "linux-arm64-musl"],
    ["darwin", "arm64", "", "darwin-arm64"],
    ["darwin", "x64", "", "darwin-x64"],
  ] as const) {
    test(`CODEX_HELPER_OS=${os} ARCH=${arch}${libc ? ` LIBC=${libc}` : ""} installs ${expected}`, async () => {
      using home = tempHome();
      publish();
      const r = await install(home, { CODEX_HELPER_OS: os, CODEX_HELPER_ARCH: arch, CODEX_HELPER_LIBC: libc });
      expect(r.code).toBe(0);
      expect(readFileSync(installed(r), "utf8")).toBe(fakeBinary(expected));
    });
  }

  test("refuses a binary whose checksum does not match, exits non-zero and installs nothing", async () => {
    using home = tempHome();
    publish((files) => files.set(`codex-helper-${VERSION}-linux-x64`, "#!/bin/sh\necho tampered\n"));
    const r = await install(home, { CODEX_HELPER_OS: "linux", CODEX_HELPER_ARCH: "x64", CODEX_HELPER_LIBC: "glibc" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("checksum mismatch");
    expect(r.stderr).toContain("nothing was installed");
    expect(existsSync(r.installDir) ? readdirSync(r.installDir) : []).toEqual([]);
  });

  test("keeps the installed binary when an update fails its checksum", async () => {
    using home = tempHome();
    publish();
    const env = { CODEX_HELPER_OS: "linux", CODEX_HELPER_ARCH: "x64", CODEX_HELPER_LIBC: "glibc" };
    const first = await install(home, env);
    expect(first.code).toBe(0);
    publish((files) => files.set(`codex-helper-${VERSION}-linux-x64`, "corrupted"));
    const second = await install(home, env);
    expect(second.code).not.toBe(0);
    expect(readFileSync(installed(second), "utf8")).toBe(fakeBinary("linux-x64"));
    expect(readdirSync(second.installDir)).toEqual(["codex-helper"]);
  });

  test("refuses when the release has no build for the platform", async () => {
    using home = tempHome();
    publish((files) => files.set("SHA256SUMS", `${sha256("x")}  codex-helper-${VERSION}-linux-x64\n`));
    const r = await install(home, { CODEX_HELPER_OS: "darwin", CODEX_HELPER_ARCH: "arm64" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("no darwin-arm64 build");
    expect(existsSync(installed(r))).toBe(false);
  });

  test("pins a version with CODEX_HELPER_VERSION and refuses when that version is not in the release", async () => {
    using home = tempHome();
    publish();
    const env = { CODEX_HELPER_OS: "linux", CODEX_HELPER_ARCH: "x64", CODEX_HELPER_LIBC: "glibc" };
    const pinned = await install(home, { ...env, CODEX_HELPER_VERSION: `v${VERSION}` });
    expect(pinned.code).toBe(0);
    expect(readFileSync(installed(pinned), "utf8")).toBe(fakeBinary("linux-x64"));
    const other = await install(home, { ...env, CODEX_HELPER_VERSION: "1.0.0" });
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain("no linux-x64 build");
  });

  for (const [env, message] of [
    [{ CODEX_HELPER_OS: "freebsd", CODEX_HELPER_ARCH: "x64" }, 'unsupported operating system "freebsd"'],
    [{ CODEX_HELPER_OS: "linux", CODEX_HELPER_ARCH: "riscv64" }, 'unsupported CPU architecture "riscv64"'],
    [{ CODEX_HELPER_OS: "windows", CODEX_HELPER_ARCH: "x64" }, "on Windows, download"],
  ] as const) {
    test(`refuses ${env.CODEX_HELPER_OS}-${env.CODEX_HELPER_ARCH} before downloading anything`, async () => {
      using home = tempHome();
      publish();
      const r = await install(home, env);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(message);
      expect(release.requests).toEqual([]);
      expect(existsSync(installed(r))).toBe(false);
    });
  }

  test("detects Linux aarch64 with a musl ldd from uname and ldd", async () => {
    using home = tempHome();
    publish();
    const r = await install(
      home,
      {},
      {
        uname: 'case "$1" in -s) echo Linux ;; -m) echo aarch64 ;; esac',
        ldd: 'echo "musl libc (aarch64)" >&2; exit 1',
      },
    );
    expect(r.code).toBe(0);
    expect(readFileSync(installed(r), "utf8")).toBe(fakeBinary("linux-arm64-musl"));
  });

  test("detects Linux x86_64 with glibc from uname and ldd", async () => {
    using home = tempHome();
    publish();
    const r = await install(
      home,
      {},
      {
        uname: 'case "$1" in -s) echo Linux ;; -m) echo x86_64 ;; esac',
        ldd: 'echo "ldd (Debian GLIBC 2.36-9) 2.36"',
      },
    );
    expect(r.code).toBe(0);
    expect(readFileSync(installed(r), "utf8")).toBe(fakeBinary("linux-x64"));
  });

  test("detects an Apple Silicon Mac, also from a shell running under Rosetta", async () => {
    using home = tempHome();
    publish();
    const native = await install(home, {}, { uname: 'case "$1" in -s) echo Darwin ;; -m) echo arm64 ;; esac' });
    expect(readFileSync(installed(native), "utf8")).toBe(fakeBinary("darwin-arm64"));
    publish();
    const rosetta = await install(
      home,
      {},
      {
        uname: 'case "$1" in -s) echo Darwin ;; -m) echo x86_64 ;; esac',
        sysctl: 'test "$2" = sysctl.proc_translated && echo 1',
      },
    );
    expect(rosetta.code).toBe(0);
    expect(release.requests).toEqual(["SHA256SUMS", `codex-helper-${VERSION}-darwin-arm64`]);
  });

  test("works with wget and shasum when curl and sha256sum are absent", async () => {
    using home = tempHome();
    publish();
    // A PATH holding only what a minimal system has: no curl, no sha256sum.
    const minimal = join(home.root, "minimal-bin");
    mkdirSync(minimal);
    for (const tool of [
      "mktemp",
      "rm",
      "awk",
      "cut",
      "mkdir",
      "cp",
      "chmod",
      "mv",
      "tr",
      "uname",
      "grep",
      "wget",
      "shasum",
    ]) {
      const found = Bun.which(tool, { PATH: "/usr/local/bin:/usr/bin:/bin" });
      if (!found) throw new Error(`${tool} is needed for this test`);
      symlinkSync(found, join(minimal, tool));
    }
    const env = { CODEX_HELPER_OS: "linux", CODEX_HELPER_ARCH: "arm64", CODEX_HELPER_LIBC: "glibc", PATH: minimal };
    const r = await install(home, env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(installed(r), "utf8")).toBe(fakeBinary("linux-arm64"));
    publish((files) => files.set(`codex-helper-${VERSION}-linux-arm64`, "corrupted"));
    const bad = await install(home, env);
    expect(bad.stderr).toContain("checksum mismatch");
  });

  const busybox = Bun.which("busybox");
  test.if(busybox !== null && process.platform === "linux")(
    "runs under BusyBox sh with only BusyBox's tools, as on Alpine",
    async () => {
      using home = tempHome();
      publish();
      const applets = join(home.root, "busybox-bin");
      mkdirSync(applets);
      for (const tool of ["mktemp", "rm", "awk", "cut", "mkdir", "cp", "chmod", "mv", "tr", "uname", "grep", "wget"]) {
        symlinkSync(busybox!, join(applets, tool));
      }
      symlinkSync(busybox!, join(applets, "sha256sum"));
      const arch = process.arch === "arm64" ? "arm64" : "x64";
      const r = await install(home, { PATH: applets, CODEX_HELPER_LIBC: "musl" }, {}, [busybox!, "sh"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(readFileSync(installed(r), "utf8")).toBe(fakeBinary(`linux-${arch}-musl`));
    },
  );

  test("tells the user when the install folder is not on PATH, and not when it is", async () => {
    using home = tempHome();
    publish();
    const env = { CODEX_HELPER_OS: "linux", CODEX_HELPER_ARCH: "x64", CODEX_HELPER_LIBC: "glibc" };
    const off = await install(home, env);
    expect(off.stdout).toContain(`${off.installDir} is not on your PATH`);
    const on = await install(home, { ...env, PATH: `${off.installDir}:/usr/bin:/bin` });
    expect(on.code).toBe(0);
    expect(on.stdout).not.toContain("is not on your PATH");
  });

  test("defaults to ~/.local/bin", async () => {
    using home = tempHome();
    publish();
    const r = await install(home, {
      CODEX_HELPER_OS: "linux",
      CODEX_HELPER_ARCH: "x64",
      CODEX_HELPER_LIBC: "glibc",
      CODEX_HELPER_INSTALL_DIR: "",
    });
    expect(r.code).toBe(0);
    expect(readFileSync(join(home.env.HOME, ".local", "bin", "codex-helper"), "utf8")).toBe(fakeBinary("linux-x64"));
  });
});
