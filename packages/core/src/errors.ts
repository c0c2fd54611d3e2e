/**
 * Typed errors. Every error chainrule throws on bad input is a {@link ChainruleError}: its
 * message says what was wrong and how to fix it, and `code` names the kind for programs.
 */

/** Machine-readable error codes. */
export type ErrorCode =
  | "cycle"
  | "unknown-activation"
  | "unknown-cost"
  | "foreign-node"
  | "dangling-input"
  | "duplicate-name"
  | "invalid-size"
  | "invalid-graph"
  | "unknown-parameter"
  | "not-layered"
  | "too-large"
  | "invalid-value"
  | "invalid-argument";

/** Base class of every error chainrule throws on purpose. */
export class ChainruleError extends Error {
  override readonly name: string = "ChainruleError";
  /** What kind of problem this is. */
  readonly code: ErrorCode;
  /** The offending value, when there is one. */
  readonly value: unknown;
  constructor(code: ErrorCode, message: string, value?: unknown) {
    super(message);
    this.code = code;
    this.value = value;
  }
}

/** A graph could not be built: it would be invalid. */
export class GraphError extends ChainruleError {
  override readonly name = "GraphError";
}

/** A name that is not in a registry (activation, cost, form, notation…). */
export class UnknownNameError extends ChainruleError {
  override readonly name = "UnknownNameError";
}

/** An argument that is out of range or malformed. */
export class ArgumentError extends ChainruleError {
  override readonly name = "ArgumentError";
}

/** A request that would produce more output than is sensible (e.g. listing 10^40 paths). */
export class TooLargeError extends ChainruleError {
  override readonly name = "TooLargeError";
}

/** Builds the "Unknown X "y". Known: a, b, c." message, with a suggestion when one is close. */
export function unknownName(what: string, got: string, known: readonly string[]): UnknownNameError {
  const close = known.find((k) => editDistance(k, got) <= 2);
  const hint = close !== undefined ? ` Did you mean "${close}"?` : "";
  const code: ErrorCode =
    what === "activation" ? "unknown-activation" : what === "cost" ? "unknown-cost" : "invalid-argument";
  return new UnknownNameError(code, `Unknown ${what} "${got}".${hint} Known: ${known.join(", ")}.`, got);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Exhaustiveness guard for switches over tagged unions. */
export function assertNever(x: never): never {
  throw new Error(`chainrule: unexpected value ${JSON.stringify(x)}`);
}
