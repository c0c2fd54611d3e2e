/**
 * Random parameter values and data for a graph, from a seed (for `check` and `paths`): θ uniform
 * in [−1, 1], inputs uniform in [−1, 1], targets that suit the cost (one-hot for cross-entropy).
 * Unlike viz's rounded example values these are full-precision, so a z exactly on a relu kink is
 * vanishingly unlikely. The values depend only on the network's shape, so a layered network's
 * case is drawn from its sizes without building its graph.
 */
import {
  type Batch,
  type Graph,
  graphIndex,
  type LayerSpec,
  layeredParameterCount,
  normaliseSpec,
  parameterIds,
  Random,
} from "@chainrule/core";

/** What the random values are drawn for. */
export interface CaseShape {
  readonly parameters: number;
  readonly inputs: number;
  readonly outputs: number;
  /** One-hot targets (cross-entropy), else uniform in [0, 1). */
  readonly oneHot: boolean;
}

/** The shape of a graph's case. */
export function graphShape(graph: Graph): CaseShape {
  const idx = graphIndex(graph);
  return {
    parameters: parameterIds(graph).length,
    inputs: idx.inputs.length,
    outputs: idx.targets.length,
    oneHot: idx.cost.cost === "cross-entropy",
  };
}

/** The shape of a layered network's case, from its spec (the same as its graph's). */
export function layeredShape(spec: LayerSpec): CaseShape {
  const { info, cost } = normaliseSpec(spec);
  const { sizes, bias } = info;
  return {
    parameters: layeredParameterCount(sizes, bias),
    inputs: sizes[0]!,
    outputs: sizes[sizes.length - 1]!,
    oneHot: cost === "cross-entropy",
  };
}

/** Parameter values and a batch of m examples drawn from the seed. */
export function randomCase(shape: CaseShape, seed: number, m: number): { theta: Float64Array; data: Batch } {
  // core's generator: the same draws as any other seeded chainrule run
  const random = new Random(seed);
  const rnd = () => random.float();
  const theta = new Float64Array(shape.parameters);
  for (let i = 0; i < theta.length; i++) theta[i] = rnd() * 2 - 1;
  const x = new Float64Array(m * shape.inputs);
  for (let i = 0; i < x.length; i++) x[i] = rnd() * 2 - 1;
  const nOut = shape.outputs;
  const y = new Float64Array(m * nOut);
  for (let e = 0; e < m; e++) {
    if (shape.oneHot) y[e * nOut + Math.floor(rnd() * nOut)] = 1;
    else for (let j = 0; j < nOut; j++) y[e * nOut + j] = rnd();
  }
  return { theta, data: { m, x, y } };
}
