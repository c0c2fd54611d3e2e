/**
 * Path contributions: for one partial ∂J/∂θ, the numeric value of every path's product of
 * partials (summed over the batch), sorted by magnitude, so a researcher sees which paths
 * dominate. The contributions add up to the partial (plus the L2 term, reported apart).
 */

import { chainForm, MAX_CHAIN_PATHS, type Path } from "../derive/paths.js";
import { mul } from "../expr/expr.js";
import type { Graph } from "../graph/types.js";
import type { Batch, ParamValues } from "./data.js";
import { batchValue, ExampleEnv, sumOverBatch } from "./evaluate.js";

/** One path's share of a partial. */
export interface PathContribution {
  readonly path: Path;
  /** Σ over examples of the product of the local partials along the path. */
  readonly value: number;
  /** value / Σ |values| (0 when all vanish). */
  readonly share: number;
  /** The individual factors' values for the first example, from J backwards. */
  readonly factors: readonly number[];
}

/** All paths' contributions to one partial. */
export interface Contributions {
  readonly param: string;
  /** Sorted by |value|, largest first. */
  readonly paths: readonly PathContribution[];
  /** Σ of the path values. */
  readonly pathSum: number;
  /** The once-per-batch L2 term (λ/m)θ, or 0. */
  readonly l2Term: number;
  /** The partial: pathSum + l2Term. */
  readonly total: number;
}

/** Numeric contribution of every path to ∂J/∂θ. */
export function pathContributions(
  graph: Graph,
  param: string,
  theta: ParamValues,
  data: Batch,
  limit = MAX_CHAIN_PATHS,
): Contributions {
  const chain = chainForm(graph, param, limit);
  const products = chain.terms.map((t) => mul(...t.locals));
  const values = sumOverBatch(graph, products, theta, data);
  // The factors for the first example (m stays the batch size: the 1/m is inside).
  const env = new ExampleEnv(graph, theta, data, 0);
  const factorValues = chain.terms.map((t) => t.locals.map((l) => env.value(l)));
  let abs = 0;
  let pathSum = 0;
  for (const v of values) {
    abs += Math.abs(v);
    pathSum += v;
  }
  const paths = chain.terms
    .map((t, i) => ({
      path: t.path,
      value: values[i]!,
      share: abs === 0 ? 0 : values[i]! / abs,
      factors: factorValues[i]!,
    }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  // J's direct dependence on θ through the L2 penalty: no path, so reported apart
  const l2Term = batchValue(graph, chain.batch, theta, data);
  return { param, paths, pathSum, l2Term, total: pathSum + l2Term };
}
