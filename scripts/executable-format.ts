// Reads the OS, CPU, libc and (macOS) code signature from an executable's first bytes, so each artifact is proven to
// be built for the platform its name claims, including those no machine here can run (pure).

export interface ExecutableInfo {
  os: "linux" | "darwin" | "windows";
  arch: "x64" | "arm64";
  /** Linux only: from the program interpreter (`/lib/ld-musl-…` vs `ld-linux-…`). */
  libc?: "glibc" | "musl";
  /** macOS only: an LC_CODE_SIGNATURE load command is present (arm64 Macs kill unsigned binaries). */
  signed?: boolean;
}

export type Inspection = { ok: true; info: ExecutableInfo } | { ok: false; reason: string };

const ELF_MACHINES: Record<number, ExecutableInfo["arch"]> = { 62: "x64", 183: "arm64" };
const PE_MACHINES: Record<number, ExecutableInfo["arch"]> = { 34404: "x64", 43620: "arm64" };
const MACHO_CPUS: Record<number, ExecutableInfo["arch"]> = { 16777223: "x64", 16777228: "arm64" };
const PT_INTERP = 3;
const LC_CODE_SIGNATURE = 0x1d;

/** `head` is the start of the file; 64 KiB holds every header these formats put first. */
export function inspectExecutable(head: Uint8Array): Inspection {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length < 64) return { ok: false, reason: "file too short to be an executable" };
  if (view.getUint32(0, false) === 0x7f454c46) return inspectElf(head, view);
  if (view.getUint16(0, false) === 0x4d5a) return inspectPe(view);
  if (view.getUint32(0, true) === 0xfeedfacf) return inspectMachO(view);
  return { ok: false, reason: "not an ELF, PE or 64-bit Mach-O executable" };
}

function inspectElf(head: Uint8Array, view: DataView): Inspection {
  if (head[4] !== 2 || head[5] !== 1) return { ok: false, reason: "ELF is not 64-bit little-endian" };
  const arch = ELF_MACHINES[view.getUint16(18, true)];
  if (!arch)
    return { ok: false, reason: `ELF machine 0x${view.getUint16(18, true).toString(16)} is neither x64 nor arm64` };
  const phoff = Number(view.getBigUint64(32, true));
  const phentsize = view.getUint16(54, true);
  const phnum = view.getUint16(56, true);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 40 > head.length) break;
    if (view.getUint32(at, true) !== PT_INTERP) continue;
    const offset = Number(view.getBigUint64(at + 8, true));
    const size = Number(view.getBigUint64(at + 32, true));
    if (offset + size > head.length) return { ok: false, reason: "ELF interpreter lies beyond the bytes read" };
    const interpreter = new TextDecoder().decode(head.subarray(offset, offset + size)).replace(/\0+$/, "");
    return { ok: true, info: { os: "linux", arch, libc: interpreter.includes("ld-musl-") ? "musl" : "glibc" } };
  }
  return { ok: false, reason: "ELF has no program interpreter (a static binary is not what Bun builds)" };
}

function inspectPe(view: DataView): Inspection {
  const peOffset = view.getUint32(0x3c, true);
  if (peOffset + 6 > view.byteLength || view.getUint32(peOffset, false) !== 0x50450000) {
    return { ok: false, reason: "MZ header without a PE signature" };
  }
  const machine = view.getUint16(peOffset + 4, true);
  const arch = PE_MACHINES[machine];
  if (!arch) return { ok: false, reason: `PE machine 0x${machine.toString(16)} is neither x64 nor arm64` };
  return { ok: true, info: { os: "windows", arch } };
}

function inspectMachO(view: DataView): Inspection {
  const cpu = view.getUint32(4, true);
  const arch = MACHO_CPUS[cpu];
  if (!arch) return { ok: false, reason: `Mach-O CPU 0x${cpu.toString(16)} is neither x64 nor arm64` };
  const commands = view.getUint32(16, true);
  let at = 32;
  let signed = false;
  for (let i = 0; i < commands && at + 8 <= view.byteLength; i++) {
    if (view.getUint32(at, true) === LC_CODE_SIGNATURE) signed = true;
    const size = view.getUint32(at + 4, true);
    if (size < 8) break;
    at += size;
  }
  return { ok: true, info: { os: "darwin", arch, signed } };
}
