/**
 * Examples in the shapes people write them: rows of numbers, one row per example
 * (`[[0, 0], [0, 1]]`), or flat arrays row by row — a Float64Array (core's {@link Batch}), any
 * other numeric typed array or a plain list of numbers, with the example count m (or m inferred
 * as length ÷ width). Every form becomes a Batch of Float64Arrays; a shape that does not fit is a
 * {@link ShapeError} naming the shape expected and the shape given.
 */
import { type Batch, ChainruleError, kindOf, quote, show } from "@chainrule/core";
import { DataError, OptionError } from "../errors.js";

/** One example's numbers. */
export type Row = readonly number[] | ArrayLike<number>;

/**
 * The inputs (or targets) of m examples: rows (one per example), or a flat array row by row
 * (a Float64Array, another numeric typed array or a list of numbers).
 */
export type Matrix = readonly Row[] | readonly number[] | ArrayLike<number>;

/**
 * Examples in any accepted form: `{ x, y }` as rows or flat arrays, and `m` (needed only when a
 * flat array's length could mean another count; checked against the rows when given). Every core
 * {@link Batch} is one.
 */
export interface Examples {
  readonly x: Matrix;
  readonly y: Matrix;
  readonly m?: number;
}

/** Data a model trains or is measured on: a core {@link Batch}, or {@link Examples} in any form. */
export type ExampleData = Batch | Examples;

/** A shape as messages write it: `"m"` for "any number of examples", else sizes. */
export type Shape = readonly (number | "m")[];

/** `[m, 2]`, `[4]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/**
 * Data whose shape does not fit a model: `expected` is what the model takes (`["m", 2]`: any
 * number of rows of 2), `actual` what was given (`[2, 3]`, or `[5]` for a flat array of 5).
 */
export class ShapeError extends ChainruleError {
  override readonly name = "ShapeError";
  /** Which argument: "predict's inputs", "the training data's targets", … */
  readonly what: string;
  readonly expected: Shape;
  readonly actual: Shape;
  constructor(what: string, expected: Shape, actual: Shape, message: string) {
    super("invalid-value", message, actual);
    this.what = what;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Who takes the data, for messages: "a 2-4-1 network", "the graph (3 inputs, 2 outputs)". */
export interface Taker {
  readonly inputs: number;
  readonly outputs: number;
  readonly description: string;
}

/** "1 input", "2 targets". */
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A numeric typed array (not BigInt, not a DataView). */
function numericView(v: unknown): v is ArrayLike<number> {
  return (
    ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array)
  );
}

/** A value that is not data, for messages (never quoting NaN or undefined back). */
function given(v: unknown): string {
  if (v === undefined) return "nothing";
  if (typeof v === "number") return "a single number";
  if (typeof v === "string") return `text ${show(v, 30)}`;
  if (Array.isArray(v)) return `a list of ${count(v.length, "entry", "entries")}`;
  if (ArrayBuffer.isView(v)) return "a typed array";
  if (typeof v === "object" && v !== null) {
    const keys = Object.keys(v);
    return keys.length === 0
      ? "an empty object"
      : `an object with ${keys.length === 1 ? "the field" : "the fields"} ${keys
          .slice(0, 4)
          .map((k) => quote(k, 20))
          .join(", ")}${keys.length > 4 ? ", …" : ""}`;
  }
  return kindOf(v);
}

/** A count that is not one (m = 2.5, −1, a string), for messages. */
function countGiven(v: unknown): string {
  if (typeof v !== "number") return given(v);
  return Number.isNaN(v) ? "a value that is not a number" : String(v);
}

/** An entry that is not a finite number, described without quoting NaN or undefined back. */
function notANumber(v: unknown): string {
  if (v === undefined) return "is missing";
  if (typeof v === "number") return "is not a finite number";
  if (typeof v === "string") return `is text ${show(v, 20)}, not a number`;
  return `is ${kindOf(v)}, not a number`;
}

/**
 * The m × width numbers of `v` (inputs or targets) as a Float64Array, from rows or a flat array.
 * `m` is the example count when known (given, or from the other half of the data); a flat array
 * without it has length ÷ width examples. Shapes that do not fit are ShapeErrors; entries that are
 * not finite numbers are OptionErrors naming the example and the position.
 */
export function matrixOf(
  v: unknown,
  m: number | undefined,
  width: number,
  what: string,
  taker: Taker,
  unit: "input" | "target",
  /** Where a known m comes from: given as `m`, or the rows of the inputs. */
  mFrom: "m" | "inputs" = "m",
): { readonly data: Float64Array; readonly m: number } {
  const expected: Shape = [m ?? "m", width];
  const want =
    m === undefined
      ? `[m, ${width}] (one row of ${count(width, unit)} per example)`
      : `[${m}, ${width}] (${mFrom === "inputs" ? `one row of ${count(width, unit)} ${m === 1 ? "for the 1 example" : `for each of the ${m} examples`} of the inputs` : `${count(m, "example")} of ${count(width, unit)}`})`;
  const wrong = (actual: Shape, detail: string, hint = ""): never => {
    throw new ShapeError(what, expected, actual, `${what} ${detail}; ${taker.description} takes ${want}${hint}.`);
  };
  const entry = (x: unknown, e: number, k: number): number => {
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new OptionError(
        `${what}: example ${e + 1}, ${unit} ${k + 1} ${notANumber(x)}. Give finite numbers only.`,
        e,
      );
    }
    return x;
  };
  const flat = (a: ArrayLike<unknown>): { data: Float64Array; m: number } => {
    const n = a.length;
    const rows = m ?? n / width;
    if (n === 0) wrong([0], "are empty (shape [0])", ", at least one example");
    if (!Number.isInteger(rows) || rows * width !== n) {
      const given =
        m === undefined
          ? `a flat array of ${count(n, "number")} (shape [${n}])`
          : `a flat array of ${count(n, "number")} for m = ${m} (shape [${n}])`;
      wrong(
        [n],
        `are ${given}`,
        m === undefined
          ? `: give rows, or a flat array of a multiple of ${width} numbers`
          : `: ${m * width} numbers row by row`,
      );
    }
    if (a instanceof Float64Array) {
      // a Float64Array of finite numbers is used as it is (no copy)
      for (let i = 0; i < n; i++) if (!Number.isFinite(a[i]!)) entry(a[i], Math.floor(i / width), i % width);
      return { data: a, m: rows };
    }
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = entry(a[i], Math.floor(i / width), i % width);
    return { data, m: rows };
  };
  if (v instanceof Float64Array) return flat(v);
  if (numericView(v)) return flat(v);
  if (!Array.isArray(v)) {
    throw new OptionError(
      `${what} are rows of numbers, one per example (e.g. [[0, 1], [1, 0]]), or a Float64Array row by row; got ${given(v)}.`,
      v,
    );
  }
  const list = v as readonly unknown[];
  if (list.length === 0) wrong([0], "are empty (shape [0])", ", at least one example");
  const isRow = (r: unknown) => Array.isArray(r) || numericView(r);
  const first = list[0];
  if (!isRow(first)) {
    // a flat list of numbers, row by row
    const r = list.findIndex(isRow);
    if (r >= 0) wrong([list.length], `mix numbers and rows (entry 1 is a number, entry ${r + 1} a row)`);
    return flat(list);
  }
  const rows = list.length;
  if (m !== undefined && rows !== m)
    wrong(
      [rows, (first as ArrayLike<unknown>).length],
      `have ${count(rows, "row")} (shape [${rows}, ${(first as ArrayLike<unknown>).length}])`,
    );
  const data = new Float64Array(rows * width);
  for (let e = 0; e < rows; e++) {
    const row = list[e];
    if (!isRow(row))
      wrong(
        [rows],
        `mix rows and numbers (entry 1 is a row, entry ${e + 1} ${row === undefined ? "is missing" : "is not a row"})`,
      );
    const r = row as ArrayLike<unknown>;
    if (r.length !== width) {
      const shape = `shape [${rows}, ${r.length}]`;
      wrong(
        [rows, r.length],
        e === 0 || r.length === (first as ArrayLike<unknown>).length
          ? `have rows of ${count(r.length, "number")} (${shape})`
          : `have rows of different lengths: row ${e + 1} has ${count(r.length, "number")} (${shape} there)`,
      );
    }
    for (let k = 0; k < width; k++) {
      const x = r[k];
      if (Array.isArray(x) || numericView(x))
        wrong(
          [rows, width, x.length],
          `are nested three deep (example ${e + 1}, ${unit} ${k + 1} is a list; shape [${rows}, ${width}, ${x.length}])`,
        );
      data[e * width + k] = entry(x, e, k);
    }
  }
  return { data, m: rows };
}

/** The example count a data object gives, or undefined when it leaves m out. */
function mOf(data: { readonly m?: unknown }, what: string): number | undefined {
  const m = data.m;
  if (m === undefined) return undefined;
  if (typeof m !== "number" || !Number.isInteger(m) || m < 1)
    throw new OptionError(
      `${what}'s m (the number of examples) is a whole number ≥ 1, or left out; got ${countGiven(m)}.`,
      m,
    );
  return m;
}

/**
 * Examples in any form as a {@link Batch} for a model of `taker.inputs` inputs and
 * `taker.outputs` outputs. A Batch of Float64Arrays is returned as it is (no copy) once its
 * shape and numbers are checked.
 */
export function batchOf(data: unknown, what: string, taker: Taker): Batch {
  if (typeof data !== "object" || data === null || Array.isArray(data) || ArrayBuffer.isView(data)) {
    throw new OptionError(
      `${what} is { x, y }: inputs and targets as rows (one per example, e.g. { x: [[0, 1]], y: [[1]] }) or Float64Arrays with m; got ${given(data)}.`,
      data,
    );
  }
  const d = data as {
    readonly x?: unknown;
    readonly y?: unknown;
    readonly m?: unknown;
    readonly name?: unknown;
    readonly inputs?: unknown;
    readonly outputs?: unknown;
  };
  // a dataset says its own shape: name it, and what the model expects
  if (
    typeof d.name === "string" &&
    typeof d.inputs === "number" &&
    typeof d.outputs === "number" &&
    (d.inputs !== taker.inputs || d.outputs !== taker.outputs)
  ) {
    const parts: string[] = [];
    if (d.inputs !== taker.inputs)
      parts.push(`the data has ${count(d.inputs, "input")} per example, the model expects ${taker.inputs}`);
    if (d.outputs !== taker.outputs)
      parts.push(
        `the data has ${count(d.outputs, "target")} per example, the model has ${count(taker.outputs, "output")}`,
      );
    throw new DataError(
      d.name,
      `${parts.join("; ")} (${taker.description}). Use data of the model's shape, or a network whose first and last layers fit the data.`,
      null,
      [d.inputs, d.outputs],
    );
  }
  if (d.x === undefined || d.y === undefined) {
    throw new OptionError(
      `${what} needs both x (inputs) and y (targets); ${d.x === undefined ? "x" : "y"} is missing. Give them as rows, e.g. { x: [[0, 1]], y: [[1]] }.`,
      data,
    );
  }
  const m = mOf(d, what);
  const x = matrixOf(d.x, m, taker.inputs, `${what}'s inputs`, taker, "input");
  const y = matrixOf(d.y, x.m, taker.outputs, `${what}'s targets`, taker, "target", m === undefined ? "inputs" : "m");
  if (d.x === x.data && d.y === y.data && m === x.m) return data as Batch;
  return { m: x.m, x: x.data, y: y.data };
}

/** Inputs alone (for predictions) as m × inputs numbers. */
export function inputsOf(
  x: unknown,
  m: unknown,
  what: string,
  taker: Taker,
): { readonly x: Float64Array; readonly m: number } {
  if (m !== undefined && (typeof m !== "number" || !Number.isInteger(m) || m < 1)) {
    throw new OptionError(
      `${what}: m (the number of examples) is a whole number ≥ 1, or left out; got ${countGiven(m)}.`,
      m,
    );
  }
  const r = matrixOf(x, m as number | undefined, taker.inputs, what, taker, "input");
  return { x: r.data, m: r.m };
}
