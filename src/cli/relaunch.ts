// Runs this same command again with extra environment that Bun reads only at start-up (in place, else as a child).
import { dlopen, FFIType, ptr } from "bun:ffi";

/** A compiled executable's entry lives in Bun's virtual file system; its own arguments start one place later. */
function isCompiled(): boolean {
  return Bun.main.startsWith("/$bunfs/") || /^[A-Za-z]:[\\/]~BUN[\\/]/.test(Bun.main);
}

/**
 * Bun reads some settings (BUN_CONFIG_MAX_HTTP_REQUESTS: the 256-fetch cap, BUN.md #1) once when the runtime starts;
 * setting them in `process.env` later has no effect (measured: 600 concurrent streams, 256 served). When one is
 * missing, run ourselves again with it set and pass signals and the exit code through. Returns undefined when the
 * environment already has everything (we are the child, or the user set it).
 */
export async function relaunchWithEnv(vars: Record<string, string>): Promise<number | undefined> {
  const missing = Object.entries(vars).filter(([name]) => process.env[name] === undefined);
  if (missing.length === 0) return undefined;
  const args = isCompiled() ? process.argv.slice(2) : process.argv.slice(1);
  const env = { ...process.env, ...Object.fromEntries(missing) };
  // Runtime flags (`bun --cpu-prof src/main.ts …`) go again before the script; a compiled binary embeds its own.
  execInPlace([process.execPath, ...(isCompiled() ? [] : process.execArgv), ...args], env);
  const child = Bun.spawn([process.execPath, ...args], {
    env,
    stdio: ["inherit", "inherit", "inherit"],
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const handlers = signals.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  const code = await child.exited;
  for (const [signal, handler] of handlers) process.off(signal, handler);
  return code;
}

/** libc names to try for execve: glibc, musl (Alpine), macOS. */
function libcNames(): string[] {
  if (process.platform === "darwin") return ["libSystem.B.dylib"];
  if (process.platform !== "linux") return [];
  return ["libc.so.6", `libc.musl-${process.arch === "arm64" ? "aarch64" : "x86_64"}.so.1`];
}

/**
 * Replace this process with a fresh runtime through execve(2): same pid, same stdio, no parent left behind holding
 * ~45 MB (BENCHMARKS.md) and forwarding signals, and nothing orphaned if someone kills the pid. Returns only when
 * that is not possible here (Windows, no libc found, execve failed); the caller then runs a child instead.
 */
function execInPlace(argv: string[], env: Record<string, string | undefined>): void {
  for (const name of libcNames()) {
    let libc: ReturnType<typeof openExecve>;
    try {
      libc = openExecve(name);
    } catch {
      continue;
    }
    // The C strings must stay alive until execve has copied them: keep every buffer referenced here.
    const buffers: Buffer[] = [];
    const cString = (text: string) => {
      const buffer = Buffer.from(`${text}\0`);
      buffers.push(buffer);
      return buffer;
    };
    const cArray = (items: string[]) => {
      const array = new BigUint64Array(items.length + 1);
      items.forEach((item, i) => {
        array[i] = BigInt(ptr(cString(item)));
      });
      return array;
    };
    const vars = Object.entries(env).flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${value}`]));
    const argvArray = cArray(argv);
    const envArray = cArray(vars);
    libc.symbols.execve(cString(argv[0]!), ptr(argvArray), ptr(envArray));
    libc.close();
    return;
  }
}

function openExecve(name: string) {
  return dlopen(name, { execve: { args: [FFIType.cstring, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 } });
}
