/**
 * Numbers that go into an evaluation: parameter values and a batch of m examples, laid out in the
 * graph's own order (inputs, targets and parameters in topological order).
 */
import { ArgumentError } from "../errors.js";
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
  return Float64Array.from(ids, (id) => {
    const v = values[id];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ArgumentError("invalid-value", `Parameter "${id}" needs a finite number, got ${JSON.stringify(v)}.`, id);
    }
    return v;
  });
}

/** A batch from rows of inputs and targets (one array per example). */
export function batch(graph: Graph, xs: readonly (readonly number[])[], ys: readonly (readonly number[])[]): Batch {
  const nIn = inputIds(graph).length;
  const nOut = targetIds(graph).length;
  if (xs.length !== ys.length || xs.length === 0) {
    throw new ArgumentError("invalid-value", `A batch needs the same number (≥ 1) of input rows and target rows; got ${xs.length} and ${ys.length}.`);
  }
  const x = new Float64Array(xs.length * nIn);
  const y = new Float64Array(xs.length * nOut);
  xs.forEach((row, e) => {
    if (row.length !== nIn) throw new ArgumentError("invalid-value", `Example ${e + 1} has ${row.length} inputs; the graph has ${nIn}.`, row);
    x.set(row, e * nIn);
  });
  ys.forEach((row, e) => {
    if (row.length !== nOut) throw new ArgumentError("invalid-value", `Example ${e + 1} has ${row.length} targets; the graph has ${nOut}.`, row);
    y.set(row, e * nOut);
  });
  return { m: xs.length, x, y };
}

/** Checks that values and a batch fit a graph. */
export function checkShapes(graph: Graph, theta: ParamValues, data: Batch): void {
  const np = parameterIds(graph).length;
  if (theta.length !== np) throw new ArgumentError("invalid-value", `Expected ${np} parameter values, got ${theta.length}.`);
  const nIn = inputIds(graph).length;
  const nOut = targetIds(graph).length;
  if (!Number.isInteger(data.m) || data.m < 1) throw new ArgumentError("invalid-value", `A batch needs m ≥ 1 examples, got ${data.m}.`);
  if (data.x.length !== data.m * nIn || data.y.length !== data.m * nOut) {
    throw new ArgumentError("invalid-value", `A batch of ${data.m} needs ${data.m * nIn} inputs and ${data.m * nOut} targets; got ${data.x.length} and ${data.y.length}.`);
  }
}
