/**
 * Counts of a layered network from its sizes alone: parameters, paths and chain factors, the
 * numbers {@link count} gives for `layered(spec)`, without building the graph — so a network far
 * too large to build (10⁵-wide layers, a thousand layers) is counted in microseconds.
 *
 * Every neuron of a layer sees the same successors, so the dynamic programme of `pathCounts` runs
 * once per layer instead of once per node. With P and F the paths to J and their total factors
 * (edges) from one node, and g_l the successors a z node of layer l has among the a nodes
 * (n_l for a softmax layer, whose every a reads every z; else 1):
 *
 *   P(a⁽ᴸ⁾) = 1,  F(a⁽ᴸ⁾) = 1                                  (the edge a → J)
 *   P(z⁽ˡ⁾) = g_l P(a⁽ˡ⁾),  F(z⁽ˡ⁾) = g_l (F(a⁽ˡ⁾) + P(a⁽ˡ⁾))
 *   P(a⁽ˡ⁾) = n_{l+1} P(z⁽ˡ⁺¹⁾),  F(a⁽ˡ⁾) = n_{l+1} (F(z⁽ˡ⁺¹⁾) + P(z⁽ˡ⁺¹⁾))
 *   θ⁽ˡ⁾_jk: P = P(z⁽ˡ⁺¹⁾),  F = F(z⁽ˡ⁺¹⁾) + P(z⁽ˡ⁺¹⁾)            (one edge θ → z)
 */
import { TooLargeError } from "../errors.js";
import { type LayerSpec, layeredInfo } from "../graph/layered.js";
import { type Count, exact } from "./paths.js";

/** The parameters θ⁽ˡ⁾ of one layer of a layered network, and the paths of each to J. */
export interface ParameterLayerCount {
  /** l: θ⁽ˡ⁾ feeds layer l + 1. */
  readonly layer: number;
  /** Weights n_{l+1} · n_l. */
  readonly weights: number;
  /** Biases n_{l+1}, or 0 without biases. */
  readonly biases: number;
  /** Paths from each parameter of the layer to J (the same for all of them). */
  readonly pathsEach: bigint;
  /** Chain factors along those paths, from each parameter (edges summed over its paths). */
  readonly factorsEach: bigint;
}

/** Per parameter layer, the parameters and each one's paths and chain factors, from the sizes alone. */
export function layeredPathCounts(spec: LayerSpec): ParameterLayerCount[] {
  const { sizes, activations, bias } = layeredInfo(spec);
  const L = sizes.length;
  const out: ParameterLayerCount[] = [];
  // P and F of the a nodes of layer l, walking from the output back
  let pa = 1n;
  let fa = 1n;
  for (let l = L; l >= 2; l--) {
    const n = BigInt(sizes[l - 1]!);
    const g = activations[l - 2] === "softmax" ? n : 1n;
    const pz = g * pa;
    const weights = sizes[l - 1]! * sizes[l - 2]!;
    if (!Number.isSafeInteger(weights)) {
      throw new TooLargeError(
        "too-large",
        `Layers ${l - 1} and ${l} (${sizes[l - 2]} and ${sizes[l - 1]} neurons) have more than 2^53 − 1 weights between them; a parameter count is a whole number below that.`,
        weights,
      );
    }
    const fz = g * (fa + pa);
    // θ⁽ˡ⁻¹⁾ feeds the z nodes of layer l
    out.push({ layer: l - 1, weights, biases: bias ? sizes[l - 1]! : 0, pathsEach: pz, factorsEach: fz + pz });
    // a⁽ˡ⁻¹⁾ feeds every z node of layer l
    pa = n * pz;
    fa = n * (fz + pz);
  }
  return out.reverse();
}

/**
 * Parameters, paths and chain factors of a layered network from its sizes alone: equal to
 * `count(layered(spec))` for every spec that builds, at any size.
 *
 * @example
 * layeredCount({ sizes: [2, 2, 2], bias: false }); // { parameters: 8, paths: 12, chainFactors: 52 }
 */
export function layeredCount(spec: LayerSpec): Count {
  let params = 0n;
  let p = 0n;
  let f = 0n;
  for (const c of layeredPathCounts(spec)) {
    const n = BigInt(c.weights) + BigInt(c.biases);
    params += n;
    p += n * c.pathsEach;
    f += n * c.factorsEach;
  }
  if (params > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new TooLargeError(
      "too-large",
      `The network has ${params} parameters, more than 2^53 − 1; a parameter count is a whole number below that.`,
      params,
    );
  }
  return { parameters: Number(params), paths: exact(p), chainFactors: exact(f) };
}
