/**
 * Argument checks shared by nn's public functions: each failure is an {@link OptionError} that
 * names the argument and shows, short, what it got — never a TypeError from inside.
 */
import { type Batch, batchProblem, kindOf, nameOf, show, TooLargeError } from "@chainrule/core";
import { OptionError } from "./errors.js";

/**
 * The key of the unchecked form of a checked entry point (an engine's gradient, an optimizer's
 * step), for nn's own loops, whose arguments are right by construction: the training loop of a
 * small network takes thousands of steps a second, and each check would cost a few of them.
 */
export const UNCHECKED: unique symbol = Symbol("chainrule.unchecked");
/** The key of an engine's or program's loss without its argument checks (see {@link UNCHECKED}). */
export const UNCHECKED_LOSS: unique symbol = Symbol("chainrule.unchecked-loss");
/**
 * The key of an engine's per-example part of the J its last gradient run returned (J without the
 * once-per-batch term), for nn's training loop: an epoch's running cost adds up its steps' losses.
 */
export const LAST_LOSS: unique symbol = Symbol("chainrule.last-loss");
/**
 * The key of the buffer an engine's next run of m examples reads its inputs from in place, for nn's
 * training loop to gather minibatches straight into (see `MatrixProgram.inputBuffer`).
 */
export const INPUT_BUFFER: unique symbol = Symbol("chainrule.input-buffer");

/** `v` as a whole number in lo…hi, or an OptionError naming `name`. */
export function wholeNumber(name: string, v: unknown, lo = 0, hi = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
    throw new OptionError(
      `${name} must be a whole number ${hi === Number.MAX_SAFE_INTEGER ? `≥ ${lo}` : `from ${lo} to ${hi}`}, got ${show(v)}.`,
      v,
    );
  }
  return v;
}

/** `v` as a finite number, or an OptionError naming `name`. */
export function finiteNumber(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new OptionError(`${name} must be a finite number, got ${show(v)}.`, v);
  return v;
}

/** An options object (undefined: {}), or an OptionError. */
export function optionsObject<T extends object>(name: string, v: T | undefined): T {
  if (v === undefined) return {} as T;
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new OptionError(`${name} must be an object of options, got ${kindOf(v)} ${show(v, 40)}.`, v);
  return v;
}

/** A Float64Array (of `length` entries when given), or an OptionError. */
export function float64(name: string, v: unknown, length?: number): Float64Array {
  if (!(v instanceof Float64Array))
    throw new OptionError(`${name} must be a Float64Array, got ${kindOf(v)} ${show(v, 40)}.`, v);
  if (length !== undefined && v.length !== length)
    throw new OptionError(`${name} must have ${length} entries, got ${v.length}.`, v.length);
  return v;
}

/** A function (or undefined when optional), or an OptionError. */
export function callback(name: string, v: unknown): void {
  if (v !== undefined && typeof v !== "function")
    throw new OptionError(`${name} must be a function, got ${kindOf(v)}.`, v);
}

/**
 * A batch { m, x, y } of Float64Arrays with m ≥ 1 examples of `inputs` inputs and `outputs`
 * targets each (any widths when they are left out), or an OptionError saying what it has (core's
 * {@link batchProblem}).
 */
export function batchArgument(name: string, v: unknown, inputs?: number, outputs?: number): Batch {
  const problem = batchProblem(
    v,
    { ...(inputs !== undefined ? { inputs } : {}), ...(outputs !== undefined ? { outputs } : {}), float64: true },
    name,
  );
  if (problem !== null) throw new OptionError(problem, v);
  return v as Batch;
}

/** A parameter-sized array, or a TooLargeError when there is no memory for it. */
export function allocate(n: number): Float64Array {
  try {
    return new Float64Array(n);
  } catch (e) {
    if (e instanceof RangeError)
      throw new TooLargeError(
        "too-large",
        `There is no memory for an array of ${n} numbers (${Math.ceil((n * 8) / 2 ** 20)} MB); use a smaller network or batch.`,
        n,
      );
    throw e;
  }
}

/**
 * A file error whose message names the path as {@link nameOf} does (a path of control characters
 * or thousands of characters is quoted short); the error itself is kept, with its fields.
 */
export function named<E extends Error>(e: E, path: string): E {
  const short = nameOf(path);
  if (short !== path && path.length > 0) e.message = e.message.split(path).join(short);
  return e;
}
