/**
 * Typed errors. Every error chainrule throws on bad input is a {@link ChainruleError}: its
 * message says what was wrong and how to fix it, and `code` names the kind for programs.
 */
import { closest, escapeText, quote, show } from "./messages.js";

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

/**
 * Builds the "Unknown X "y". Known: a, b, c." message, with a suggestion when one is close. What
 * was given is quoted short and escaped, whatever it is (a 5 MB string, a number, null).
 */
export function unknownName(what: string, got: unknown, known: readonly string[]): UnknownNameError {
  if (typeof what !== "string") what = "name";
  if (!Array.isArray(known)) known = [];
  const close = typeof got === "string" ? closest(got, known) : undefined;
  const hint = close !== undefined ? ` Did you mean "${close}"?` : "";
  const code: ErrorCode =
    what === "activation" ? "unknown-activation" : what === "cost" ? "unknown-cost" : "invalid-argument";
  const shown = typeof got === "string" ? quote(got) : `${show(got)} (a name is text)`;
  const names = known.slice(0, 40).map((k) => (typeof k === "string" && k.length <= 40 ? k : quote(k, 40)));
  return new UnknownNameError(
    code,
    `Unknown ${escapeText(what.slice(0, 40))} ${shown}.${hint} Known: ${names.join(", ")}${known.length > 40 ? ", …" : ""}.`,
    got,
  );
}

/**
 * The entry of a name-to-handler table, looked up among the table's own keys only (so
 * "constructor" or "__proto__" are unknown names, not Object's members); an unknown name is
 * {@link unknownName}'s error, with a "did you mean" hint.
 */
export function lookup<T>(table: { readonly [name: string]: T }, name: unknown, what: string): T {
  if (typeof table !== "object" || table === null)
    throw new ArgumentError(
      "invalid-argument",
      `lookup needs a table (an object of names); got ${show(table)}.`,
      table,
    );
  if (typeof name === "string" && Object.hasOwn(table, name)) return table[name]!;
  throw unknownName(what, name, Object.keys(table));
}

/** `name` when it is one of `known`, else {@link unknownName}'s error. */
export function oneOf<N extends string>(known: readonly N[], name: unknown, what: string): N {
  if (!Array.isArray(known))
    throw new ArgumentError("invalid-argument", `oneOf needs the list of known names; got ${show(known)}.`, known);
  if (typeof name === "string" && (known as readonly string[]).includes(name)) return name as N;
  throw unknownName(what, name, known);
}

/** Exhaustiveness guard for switches over tagged unions. */
export function assertNever(x: never): never {
  throw new Error(`chainrule: unexpected value ${show(x)}`);
}
