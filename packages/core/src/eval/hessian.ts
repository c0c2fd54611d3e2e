/**
 * Second derivatives in numbers: ∂²J/∂θᵢ∂θⱼ from the symbolic derivative of the δ-form gradient,
 * for small networks (the expression grows with the graph; use it for a few dozen parameters).
 */

import { secondDerivative } from "../derive/second.js";
import { ArgumentError } from "../errors.js";
import type { Graph } from "../graph/types.js";
import { paramArgument } from "../graph/validate.js";
import { kindOf } from "../messages.js";
import { type Batch, type ParamValues, parameterIds } from "./data.js";
import { batchValue, sumOverBatch } from "./evaluate.js";

/** The Hessian restricted to `params` (default all), row-major k × k. */
export function hessianValues(graph: Graph, theta: ParamValues, data: Batch, params?: readonly string[]): Float64Array {
  const all = parameterIds(graph);
  const ps = params ?? all;
  if (!Array.isArray(ps))
    throw new ArgumentError("invalid-argument", `Give the parameters as a list of ids; got ${kindOf(ps)}.`, ps);
  for (const p of ps) paramArgument(graph, p);
  const k = ps.length;
  const parts = ps.flatMap((i) => ps.map((j) => secondDerivative(graph, i, j)));
  const sums = sumOverBatch(
    graph,
    parts.map((p) => p.perExample),
    theta,
    data,
  );
  const out = new Float64Array(k * k);
  parts.forEach((p, n) => {
    out[n] = sums[n]! + batchValue(graph, p.batch, theta, data);
  });
  return out;
}
