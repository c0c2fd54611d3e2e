/**
 * The shape of one CLI verb: its options (validated before any work starts), help text with an
 * example, and what it runs.
 */
import type { Writable } from "node:stream";

/** One option of a verb. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Shown in help, e.g. "2,2,2". */
  readonly value?: string;
  readonly description: string;
  readonly default?: string | boolean;
}

/** Where a verb writes. */
export interface Io {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
  /** Writes a line to stdout. */
  out(line: string): void;
  /** Writes a line to stderr. */
  err(line: string): void;
}

/** Parsed option values. */
export type Values = { readonly [name: string]: string | boolean | undefined };

/** A verb of the `chainrule` command. */
export interface Verb {
  readonly name: string;
  /** One line for the verb list. */
  readonly summary: string;
  /** Copy-paste examples for `--help`. */
  readonly examples: readonly string[];
  readonly options: { readonly [name: string]: OptionSpec };
  /**
   * Runs the verb; throws ChainruleError (one line) on bad input. May return an exit code for a
   * result that is not an error but should fail a script (e.g. a gradient check above tolerance).
   */
  run(values: Values, io: Io): Promise<void | number> | void | number;
}
