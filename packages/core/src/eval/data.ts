/**
 * Numbers that go into an evaluation: parameter values and a batch of m examples, laid out in the
 * graph's own order (inputs, targets and parameters in topological order).
 */
import { ArgumentError } from "../errors.js";
import { kindOf, quote, show } from "../messages.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";

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
  if (typeof values !== "object" || values === null) throw new ArgumentError("invalid-value", `Parameter values are an object { id: number }; got ${kindOf(values)}.`, values);
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
    throw new ArgumentError("invalid-value", `A batch needs the same number (≥ 1) of input rows and target rows, as lists; got ${Array.isArray(xs) ? xs.length : kindOf(xs)} and ${Array.isArray(ys) ? ys.length : kindOf(ys)}.`);
  }
  const rowOk = (row: unknown, n: number): boolean => (Array.isArray(row) || ArrayBuffer.isView(row)) && (row as ArrayLike<unknown>).length === n && Array.prototype.every.call(row, (v) => typeof v === "number");
  const x = new Float64Array(xs.length * nIn);
  const y = new Float64Array(xs.length * nOut);
  xs.forEach((row, e) => {
    if (!rowOk(row, nIn)) throw new ArgumentError("invalid-value", `Example ${e + 1} has inputs ${show(row)}; the graph takes ${nIn} numbers.`, row);
    x.set(row, e * nIn);
  });
  ys.forEach((row, e) => {
    if (!rowOk(row, nOut)) throw new ArgumentError("invalid-value", `Example ${e + 1} has targets ${show(row)}; the graph has ${nOut} numbers.`, row);
    y.set(row, e * nOut);
  });
  return { m: xs.length, x, y };
}

/** Checks that values and a batch fit a graph. */
export function checkShapes(graph: Graph, theta: ParamValues, data: Batch): void {
  const np = parameterIds(graph).length;
  if (!isNumbers(theta)) throw new ArgumentError("invalid-value", `Parameter values are a Float64Array (or a list of numbers) in parameterIds order; got ${kindOf(theta)} ${show(theta, 40)}.`, theta);
  if (theta.length !== np) throw new ArgumentError("invalid-value", `Expected ${np} parameter values, got ${theta.length}.`);
  const nIn = inputIds(graph).length;
  const nOut = targetIds(graph).length;
  if (typeof data !== "object" || data === null) throw new ArgumentError("invalid-value", `A batch is { m, x, y }; got ${kindOf(data)}.`, data);
  if (typeof data.m !== "number" || !Number.isInteger(data.m) || data.m < 1) throw new ArgumentError("invalid-value", `A batch needs m ≥ 1 examples, got ${show(data.m)}.`);
  if (!isNumbers(data.x) || !isNumbers(data.y)) throw new ArgumentError("invalid-value", `A batch's x and y are Float64Arrays (or lists of numbers); got ${kindOf(data.x)} and ${kindOf(data.y)}.`);
  if (data.x.length !== data.m * nIn || data.y.length !== data.m * nOut) {
    throw new ArgumentError("invalid-value", `A batch of ${data.m} needs ${data.m * nIn} inputs and ${data.m * nOut} targets; got ${data.x.length} and ${data.y.length}.`);
  }
}

/** A Float64Array, or an array-like of numbers only. */
function isNumbers(v: unknown): v is ArrayLike<number> {
  if (v instanceof Float64Array) return true;
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) return false;
  if (v instanceof DataView || typeof v === "bigint") return false;
  return Array.prototype.every.call(v, (x) => typeof x === "number");
}
