// Runs this same command again in a child process with extra environment that Bun reads only at start-up.

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
  const child = Bun.spawn([process.execPath, ...args], {
    env: { ...process.env, ...Object.fromEntries(missing) },
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
