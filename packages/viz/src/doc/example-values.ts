/**
 * Reproducible numbers for a worked example when no trained model or data is at hand: weights
 * and one example drawn from core's seeded generator and rounded to two decimals, so the arithmetic of
 * the document stays easy to follow by hand (as in the well-known worked backprop examples).
 */
import {
  ArgumentError,
  type Batch,
  type Graph,
  graphIndex,
  inputIds,
  type ParamValues,
  parameterIds,
  Random,
  targetIds,
} from "@chainrule/core";

/** Options of {@link exampleValues}. */
export interface ExampleValuesOptions {
  /** Number of examples. Default 1. */
  readonly examples?: number;
  /** Weights are drawn from [−ε, ε]. Default 1. */
  readonly epsilon?: number;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Parameter values and a batch for a graph from a seed: θ uniform in [−ε, ε], inputs in [0, 1],
 * targets that suit the cost (one-hot for cross-entropy, 0 or 1 for binary cross-entropy, values
 * in [0, 1] otherwise), all rounded to two decimals.
 */
export function exampleValues(
  graph: Graph,
  seed: number,
  options: ExampleValuesOptions = {},
): { theta: ParamValues; data: Batch } {
  if (!Number.isInteger(seed))
    throw new ArgumentError("invalid-value", `The seed must be a whole number, got ${seed}.`, seed);
  const m = options.examples ?? 1;
  if (!Number.isInteger(m) || m < 1)
    throw new ArgumentError("invalid-value", `The number of examples must be a whole number ≥ 1, got ${m}.`, m);
  const eps = options.epsilon ?? 1;
  if (!Number.isFinite(eps) || eps <= 0)
    throw new ArgumentError("invalid-value", `ε must be a finite number > 0, got ${eps}.`, eps);
  // core's seeded generator (any whole number is a seed: taken modulo 2³²)
  const random = new Random(seed >>> 0);
  const next = () => random.float();
  // θ ~ U[−ε, ε]; a weight that rounds to 0 would hide its path, so it gets the smallest step
  const theta = Float64Array.from(parameterIds(graph), () => {
    const v = round2((2 * next() - 1) * eps);
    return v === 0 ? 0.01 : v;
  });
  const nIn = inputIds(graph).length;
  const nOut = targetIds(graph).length;
  const cost = graphIndex(graph).cost.cost;
  const x = new Float64Array(m * nIn);
  const y = new Float64Array(m * nOut);
  for (let e = 0; e < m; e++) {
    for (let k = 0; k < nIn; k++) x[e * nIn + k] = round2(next());
    if (cost === "cross-entropy") y[e * nOut + Math.floor(next() * nOut)] = 1;
    else
      for (let j = 0; j < nOut; j++)
        y[e * nOut + j] = cost === "binary-cross-entropy" ? (next() < 0.5 ? 0 : 1) : round2(next());
  }
  return { theta, data: { m, x, y } };
}
