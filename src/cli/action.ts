// Wraps each command's run: a UserError becomes one stderr line and an exit code; anything else is a bug and re-thrown.
import { UserError } from "../errors";
import { logger } from "./output";

/** citty's runMain prints a code frame and stack for foreign errors; user mistakes deserve one line instead. */
export function action<A>(run: (ctx: A) => unknown | Promise<unknown>): (ctx: A) => Promise<void> {
  return async (ctx: A) => {
    try {
      await run(ctx);
    } catch (error) {
      if (error instanceof UserError) {
        logger.error(error.message);
        process.exitCode = error.exitCode;
        return;
      }
      throw error;
    }
  };
}
