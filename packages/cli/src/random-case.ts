/**
 * Random parameter values and data for a graph, from a seed (for `check` and `paths`): θ uniform
 * in [−1, 1], inputs uniform in [−1, 1], targets that suit the cost (one-hot for cross-entropy).
 * Unlike viz's rounded example values these are full-precision, so a z exactly on a relu kink is
 * vanishingly unlikely.
 */
import { graphIndex, parameterIds, type Batch, type Graph } from "@chainrule/core";
import { seededRandom } from "@chainrule/viz";

/** Parameter values and a batch of m examples drawn from the seed. */
export function randomCase(graph: Graph, seed: number, m: number): { theta: Float64Array; data: Batch } {
  const rnd = seededRandom(seed);
  const idx = graphIndex(graph);
  const theta = Float64Array.from(parameterIds(graph), () => rnd() * 2 - 1);
  const x = Float64Array.from({ length: m * idx.inputs.length }, () => rnd() * 2 - 1);
  const nOut = idx.targets.length;
  const y = new Float64Array(m * nOut);
  for (let e = 0; e < m; e++) {
    if (idx.cost.cost === "cross-entropy") y[e * nOut + Math.floor(rnd() * nOut)] = 1;
    else for (let j = 0; j < nOut; j++) y[e * nOut + j] = rnd();
  }
  return { theta, data: { m, x, y } };
}
