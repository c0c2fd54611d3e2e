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

/** A verb's options by name. */
export type OptionSpecs = { readonly [name: string]: OptionSpec };

/**
 * The parsed values of a set of options, typed by each option's kind: a string option's value is a
 * string, a boolean option's a boolean, and either is undefined when the option was not given.
 */
export type ValuesOf<O extends OptionSpecs> = {
  readonly [K in keyof O]?:
    | (O[K] extends { readonly type: "boolean" }
        ? boolean
        : O[K] extends { readonly type: "string" }
          ? string
          : string | boolean)
    | undefined;
};

/** Parsed option values of any verb. */
export type Values = ValuesOf<OptionSpecs>;

/** A verb of the `chainrule` command, with options `O`. */
export interface Verb<O extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  /** One line for the verb list. */
  readonly summary: string;
  /** Copy-paste examples for `--help`. */
  readonly examples: readonly string[];
  readonly options: O;
  /**
   * Runs the verb; throws ChainruleError (one line) on bad input. May return an exit code for a
   * result that is not an error but should fail a script (e.g. a gradient check above tolerance).
   */
  run(values: ValuesOf<O>, io: Io): Promise<number | undefined> | number | undefined;
}

/** A verb whose `run` sees its own options' values, typed (`values.layers` is a string or undefined). */
export function verb<const O extends OptionSpecs>(v: Verb<O>): Verb<O> {
  return v;
}

/** The names of a set of options, typed as its keys. */
export function optionNames<O extends OptionSpecs>(options: O): (keyof O & string)[] {
  return Object.keys(options);
}
