/**
 * Numbers that go into an evaluation: parameter values and a batch of m examples, laid out in the
 * graph's own order (inputs, targets and parameters in topological order).
 */
import { ArgumentError } from "../errors.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";
import { kindOf, quote, show } from "../messages.js";

/** A batch of m examples: row-major m × (number of inputs) and m × (number of targets). */
export interface Batch {
  readonly m: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Parameter values in the order of the graph's parameters ({@link parameterIds}). */
export type ParamValues = Float64Array;

/** Parameter ids in the order ParamValues uses. */
export function parameterIds(graph: Graph): readonly string[] {
  return graphIndex(graph).params;
}

/** Input ids in the order a batch's x columns use. */
export function inputIds(graph: Graph): readonly string[] {
  return graphIndex(graph).inputs;
}

/** Target ids in the order a batch's y columns use. */
export function targetIds(graph: Graph): readonly string[] {
  return graphIndex(graph).targets;
}

/** Parameter values from a record by id; every parameter must be given. */
export function paramValues(graph: Graph, values: Readonly<Record<string, number>>): ParamValues {
  const ids = parameterIds(graph);
  if (typeof values !== "object" || values === null)
    throw new ArgumentError(
      "invalid-value",
      `Parameter values are an object { id: number }; got ${kindOf(values)}.`,
      values,
    );
  return Float64Array.from(ids, (id) => {
    const v = Object.hasOwn(values, id) ? values[id] : undefined;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ArgumentError("invalid-value", `Parameter ${quote(id)} needs a finite number, got ${show(v)}.`, id);
    }
    return v;
  });
}

/** A batch from rows of inputs and targets (one array per example). */
export function batch(graph: Graph, xs: readonly (readonly number[])[], ys: readonly (readonly number[])[]): Batch {
  const nIn = inputIds(graph).length;
  const nOut = targetIds(graph).length;
  if (!Array.isArray(xs) || !Array.isArray(ys) || xs.length !== ys.length || xs.length === 0) {
    throw new ArgumentError(
      "invalid-value",
      `A batch needs the same number (≥ 1) of input rows and target rows, as lists; got ${Array.isArray(xs) ? xs.length : kindOf(xs)} and ${Array.isArray(ys) ? ys.length : kindOf(ys)}.`,
    );
  }
  const rowOk = (row: unknown, n: number): boolean =>
    (Array.isArray(row) || ArrayBuffer.isView(row)) &&
    (row as ArrayLike<unknown>).length === n &&
    Array.prototype.every.call(row, (v) => typeof v === "number");
  const x = new Float64Array(xs.length * nIn);
  const y = new Float64Array(xs.length * nOut);
  xs.forEach((row, e) => {
    if (!rowOk(row, nIn))
      throw new ArgumentError(
        "invalid-value",
        `Example ${e + 1} has inputs ${show(row)}; the graph takes ${nIn} numbers.`,
        row,
      );
    x.set(row, e * nIn);
  });
  ys.forEach((row, e) => {
    if (!rowOk(row, nOut))
      throw new ArgumentError(
        "invalid-value",
        `Example ${e + 1} has targets ${show(row)}; the graph has ${nOut} numbers.`,
        row,
      );
    y.set(row, e * nOut);
  });
  return { m: xs.length, x, y };
}

/** What a batch must hold: its widths, and whether x and y must be Float64Arrays. */
export interface BatchShape {
  /** Inputs per example; left out, any width (x's length a multiple of m). */
  readonly inputs?: number;
  /** Targets per example; left out, any width (y's length a multiple of m). */
  readonly outputs?: number;
  /** Accept only Float64Arrays for x and y (default false: any list of numbers). */
  readonly float64?: boolean;
}

/**
 * What is wrong with `data` as a batch { m, x, y } of this shape, as a sentence about `what`
 * ("The batch"), or null when it fits: m ≥ 1 whole examples, x and y numbers, m rows of each.
 * From the widths alone, so a network's batches are checked without its graph; each caller
 * throws its own error class with the sentence.
 */
export function batchProblem(data: unknown, shape: BatchShape, what = "A batch"): string | null {
  const widths = shape as Partial<BatchShape> | null;
  const width = (w: unknown) => w === undefined || (typeof w === "number" && Number.isInteger(w) && w >= 1);
  if (
    typeof widths !== "object" ||
    widths === null ||
    !width(widths.inputs) ||
    !width(widths.outputs) ||
    typeof what !== "string"
  ) {
    throw new ArgumentError(
      "invalid-argument",
      `batchProblem takes the data, a shape { inputs?, outputs?, float64? } of whole numbers ≥ 1 and a name; got ${show(shape, 40)} and ${show(what, 40)}.`,
      shape,
    );
  }
  const b = data as Partial<Batch> | null;
  if (typeof b !== "object" || b === null) return `${what} is { m, x, y }; got ${kindOf(data)} ${show(data, 40)}.`;
  if (typeof b.m !== "number" || !Number.isInteger(b.m) || b.m < 1)
    return `${what} needs m ≥ 1 examples, got m = ${show(b.m)}.`;
  const ok = shape.float64 === true ? (v: unknown) => v instanceof Float64Array : isNumbers;
  if (!ok(b.x) || !ok(b.y))
    return `${what}'s x and y are Float64Arrays${shape.float64 === true ? "" : " (or lists of numbers)"}; got ${kindOf(b.x)} and ${kindOf(b.y)}.`;
  const { m } = b;
  const x = (b.x as ArrayLike<number>).length;
  const y = (b.y as ArrayLike<number>).length;
  const fits = (n: number, width: number | undefined) => (width === undefined ? n % m === 0 : n === m * width);
  if (fits(x, shape.inputs) && fits(y, shape.outputs)) return null;
  const want =
    shape.inputs !== undefined && shape.outputs !== undefined
      ? ` (${shape.inputs} inputs and ${shape.outputs} targets each: ${m * shape.inputs} and ${m * shape.outputs} numbers)`
      : "";
  return `${what} has m = ${m} examples${want}; got ${x} inputs and ${y} targets.`;
}

/** Checks that values and a batch fit a graph. */
export function checkShapes(graph: Graph, theta: ParamValues, data: Batch): void {
  const np = parameterIds(graph).length;
  if (!isNumbers(theta))
    throw new ArgumentError(
      "invalid-value",
      `Parameter values are a Float64Array (or a list of numbers) in parameterIds order; got ${kindOf(theta)} ${show(theta, 40)}.`,
      theta,
    );
  if (theta.length !== np)
    throw new ArgumentError("invalid-value", `Expected ${np} parameter values, got ${theta.length}.`);
  const problem = batchProblem(data, { inputs: inputIds(graph).length, outputs: targetIds(graph).length });
  if (problem !== null) throw new ArgumentError("invalid-value", problem, data);
}

/** A Float64Array, or an array-like of numbers only. */
function isNumbers(v: unknown): v is ArrayLike<number> {
  if (v instanceof Float64Array) return true;
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) return false;
  if (v instanceof DataView || typeof v === "bigint") return false;
  return Array.prototype.every.call(v, (x) => typeof x === "number");
}
