// Executable headers: OS, CPU, libc and macOS code signature read from the first bytes of ELF, PE and Mach-O files.
import { describe, expect, test } from "bun:test";
import { inspectExecutable } from "../../scripts/executable-format";

function elf(machine: number, interpreter?: string): Uint8Array {
  const bytes = new Uint8Array(512);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  view.setUint16(18, machine, true);
  view.setBigUint64(32, 64n, true); // program headers right after the ELF header
  view.setUint16(54, 56, true);
  view.setUint16(56, interpreter ? 2 : 1, true);
  view.setUint32(64, 1, true); // PT_LOAD first, as real binaries have PT_PHDR / PT_LOAD around PT_INTERP
  if (interpreter) {
    const text = new TextEncoder().encode(`${interpreter}\0`);
    view.setUint32(120, 3, true); // PT_INTERP
    view.setBigUint64(128, 300n, true);
    view.setBigUint64(152, BigInt(text.length), true);
    bytes.set(text, 300);
  }
  return bytes;
}

function pe(machine: number): Uint8Array {
  const bytes = new Uint8Array(256);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x5a]);
  view.setUint32(0x3c, 0x80, true);
  bytes.set([0x50, 0x45, 0, 0], 0x80);
  view.setUint16(0x84, machine, true);
  return bytes;
}

function macho(cpu: number, commands: number[]): Uint8Array {
  const bytes = new Uint8Array(32 + commands.length * 16 + 64);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xfeedfacf, true);
  view.setUint32(4, cpu, true);
  view.setUint32(16, commands.length, true);
  commands.forEach((command, i) => {
    view.setUint32(32 + i * 16, command, true);
    view.setUint32(36 + i * 16, 16, true);
  });
  return bytes;
}

describe("inspectExecutable", () => {
  test("reads Linux CPU and glibc or musl from the ELF program interpreter", () => {
    expect(inspectExecutable(elf(0x3e, "/lib64/ld-linux-x86-64.so.2"))).toEqual({
      ok: true,
      info: { os: "linux", arch: "x64", libc: "glibc" },
    });
    expect(inspectExecutable(elf(0xb7, "/lib/ld-musl-aarch64.so.1"))).toEqual({
      ok: true,
      info: { os: "linux", arch: "arm64", libc: "musl" },
    });
  });

  test("refuses an ELF for another CPU or without an interpreter", () => {
    expect(inspectExecutable(elf(0x28, "/lib/ld-linux.so.3"))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/0x28/),
    });
    expect(inspectExecutable(elf(0x3e))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no program interpreter/),
    });
  });

  test("reads the CPU of a Windows PE file", () => {
    expect(inspectExecutable(pe(0x8664))).toEqual({ ok: true, info: { os: "windows", arch: "x64" } });
    expect(inspectExecutable(pe(0xaa64))).toEqual({ ok: true, info: { os: "windows", arch: "arm64" } });
    expect(inspectExecutable(pe(0x14c))).toMatchObject({ ok: false });
  });

  test("reads a Mach-O file's CPU and whether it carries a code signature", () => {
    expect(inspectExecutable(macho(0x0100000c, [0x19, 0x1d]))).toEqual({
      ok: true,
      info: { os: "darwin", arch: "arm64", signed: true },
    });
    expect(inspectExecutable(macho(0x01000007, [0x19, 0x2]))).toEqual({
      ok: true,
      info: { os: "darwin", arch: "x64", signed: false },
    });
  });

  test("refuses what is not an executable", () => {
    expect(inspectExecutable(new TextEncoder().encode(`#!/bin/sh\necho hi\n${" ".repeat(80)}`))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not an ELF, PE or 64-bit Mach-O/),
    });
    expect(inspectExecutable(new Uint8Array(10))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/too short/),
    });
  });

  test.if(process.platform === "linux")("reads the running Bun as a Linux binary of this machine's CPU", async () => {
    const head = new Uint8Array(await Bun.file(process.execPath).slice(0, 65536).arrayBuffer());
    const inspection = inspectExecutable(head);
    expect(inspection).toMatchObject({ ok: true, info: { os: "linux", arch: process.arch } });
  });
});
