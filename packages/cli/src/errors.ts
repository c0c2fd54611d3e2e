/** Errors of the command line: a bad option or argument, reported as one line. */
import { ChainruleError } from "@chainrule/core";

/** A usage error: the command line itself is wrong. Exit code 2. */
export class UsageError extends ChainruleError {
  override readonly name = "UsageError";
  constructor(message: string) {
    super("invalid-argument", message);
  }
}
