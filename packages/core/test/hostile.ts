/**
 * Hostile arguments for the fuzz suites of core, nn and the command line: values of every wrong
 * type, names that are Object's own members, huge and control-character text, and a runner that
 * holds a call to "returns, or throws the library's typed one-line error". No call is timed: the
 * hostile values are large enough (a million-character string, a length of 2^40, a network of
 * 10^10 parameters) that work quadratic in them, or linear in a size they claim, would not finish
 * within the test's timeout.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { ChainruleError } from "../src/index.js";

/** A million-character string: a message must not echo it, nor may a call take time quadratic in its length. */
export const HUGE = "x".repeat(1_000_000);

/** Values of every kind that a public function may be handed by mistake. */
export const HOSTILE: readonly unknown[] = [
  null,
  undefined,
  0,
  -1,
  0.5,
  -0,
  NaN,
  Infinity,
  -Infinity,
  2 ** 53,
  1e308,
  10n,
  true,
  false,
  "",
  " ",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "0x10",
  "1e309",
  "NaN",
  HUGE,
  "\u0000\r\n\u001b[31mred\u0007\ud800",
  "sigmoid",
  "theta_1_1_1",
  "z_2_1",
  "J",
  {},
  [],
  [null],
  [[null]],
  [undefined],
  { nodes: null },
  { nodes: {}, layers: null },
  { kind: "add" },
  { kind: "sym", ref: null },
  Object.create(null),
  { __proto__: null, length: 3 },
  { length: -1 },
  { length: 2 ** 40 },
  () => 1,
  () => {
    throw new RangeError("from a callback");
  },
  Symbol("s"),
  new Float64Array(0),
  new Float64Array(3),
  new Uint8Array(2),
  new Map(),
  new Set(),
  new Date(0),
  [2, 2],
  [2, Infinity, 1], // what a size written 1e309 parses to
  [0, 2],
  { sizes: [2, 2] },
  { sizes: [100_000, 100_000] },
  { sizes: [2, 2], activation: 2 },
];

/** One hostile value (or anything fast-check makes). */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  {
    weight: 1,
    arbitrary: fc.anything({
      maxDepth: 2,
      maxKeys: 4,
      withNullPrototype: true,
      withBigInt: true,
      withTypedArray: true,
      withSparseArray: true,
    }),
  },
);

/** Mostly the valid value, sometimes a hostile one: deep paths get reached, and every guard tried. */
export function mostly<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: hostile });
}

/** The longest a one-line error may be (known names listed, input quoted short). */
export const MAX_MESSAGE = 1200;

/**
 * Runs `f`: it returns (a generator is drained a little), or throws an error of class `typed`
 * (default ChainruleError) whose message is one line of at most {@link MAX_MESSAGE} characters
 * with no raw control characters. Returns the error, or null.
 */
export function typedOutcome(
  f: () => unknown,
  what: string,
  typed: abstract new (...a: never[]) => Error = ChainruleError,
): Error | null {
  let error: Error | null = null;
  try {
    const r = f();
    if (
      typeof r === "object" &&
      r !== null &&
      typeof (r as Generator).next === "function" &&
      typeof (r as Generator)[Symbol.iterator] === "function"
    ) {
      let n = 0;
      for (const _ of r as Generator) if (++n >= 20) break;
    }
  } catch (e) {
    // a callback's own error is the caller's, passed through as it is
    if (e instanceof RangeError && e.message === "from a callback") return null;
    if (!(e instanceof typed)) {
      throw new Error(
        `${what}: threw ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}` : String(e)} instead of a ${typed.name}`,
      );
    }
    error = e;
    checkMessage(e.message, what);
  }
  return error;
}

/** One line, short, no raw control characters. */
export function checkMessage(message: string, what: string): void {
  expect(
    message.length,
    `${what}: message of ${message.length} characters: ${message.slice(0, 200)}`,
  ).toBeLessThanOrEqual(MAX_MESSAGE);
  // eslint-disable-next-line no-control-regex
  expect(
    /[\u0000-\u001f\u007f-\u009f]/.test(message),
    `${what}: control character in ${JSON.stringify(message.slice(0, 200))}`,
  ).toBe(false);
}

/**
 * fc.assert with a short report: the failing arguments described by {@link describeArgs} (fast-check
 * would print a million-character string whole) and the first line of the failure. `numRuns` is
 * the CI count, scaled by {@link runs}; FUZZ_SEED=n picks another fixed seed (the default keeps
 * runs repeatable).
 */
export function fuzz<T>(
  arb: fc.Arbitrary<T>,
  check: (value: T) => void,
  options: { numRuns: number; seed?: number },
): void {
  const out = fc.check(fc.property(arb, check), {
    numRuns: runs(options.numRuns),
    seed: SEED ?? options.seed ?? 42,
    endOnFailure: true,
  });
  if (out.failed) {
    const cause = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
    throw new Error(`fuzz failed on ${describeArgs(out.counterexample ?? [])}: ${cause.slice(0, 600)}`);
  }
}

/** FUZZ_SEED=n: another fixed seed for every fuzz suite. */
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;

/** A short description of arguments for failure reports. */
export function describeArgs(args: readonly unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === "string") return JSON.stringify(a.slice(0, 40));
      if (typeof a === "function") return "fn";
      if (typeof a === "symbol" || typeof a === "bigint") return String(a);
      try {
        return (JSON.stringify(a) ?? String(a)).slice(0, 60);
      } catch {
        return Object.prototype.toString.call(a);
      }
    })
    .join(", ");
}
