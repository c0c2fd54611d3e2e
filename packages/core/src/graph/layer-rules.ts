/**
 * The arithmetic of a layered network from its sizes alone, with no graph: how many parameters it
 * has, where θ⁽ˡ⁾_jk stands in core's parameter order (per layer l, per neuron j, the bias θ⁽ˡ⁾_j0
 * then θ⁽ˡ⁾_j1 … θ⁽ˡ⁾_jn), which addresses exist and, for one that does not, the message that says
 * which do. The graph builder, nn's networks, viz, the CLI and the explorer all ask these.
 */
import { ArgumentError } from "../errors.js";
import { kindOf, show } from "../messages.js";
import { ids } from "./layer-nodes.js";

/** What the parameter arithmetic of a layered network needs: its sizes and whether it has biases. */
export interface LayerShape {
  /** Neurons per layer, input layer first. */
  readonly sizes: readonly number[];
  readonly bias: boolean;
}

/** θ⁽ˡ⁾_jk as [l, j, k]: into neuron j of layer l+1 from neuron k of layer l (k = 0: the bias). */
export type ParamAddress = readonly [l: number, j: number, k: number];

/** Parameters of a layered network: Σ over layers l of n_{l+1} · (n_l + 1 with biases). */
export function layeredParameterCount(sizes: readonly number[], bias: boolean): number {
  if (
    !Array.isArray(sizes) ||
    !sizes.every((n) => typeof n === "number" && Number.isInteger(n) && n >= 0) ||
    typeof bias !== "boolean"
  ) {
    throw new ArgumentError(
      "invalid-argument",
      `A parameter count needs the layer sizes (whole numbers) and whether there are biases; got ${show(sizes, 40)} and ${show(bias)}.`,
      sizes,
    );
  }
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l]! * (sizes[l - 1]! + (bias ? 1 : 0));
  return n;
}

function checkShape(layers: LayerShape): LayerShape {
  if (
    typeof layers !== "object" ||
    layers === null ||
    !Array.isArray(layers.sizes) ||
    typeof layers.bias !== "boolean"
  ) {
    throw new ArgumentError(
      "invalid-argument",
      `The layers are { sizes, bias } (a graph's \`layers\`, or layeredInfo(spec)); got ${kindOf(layers)} ${show(layers, 40)}.`,
      layers,
    );
  }
  return layers;
}

/** True when θ⁽ˡ⁾_jk exists: l in 1…L−1, j in 1…n_{l+1}, k in 0…n_l (1…n_l without biases). */
export function layeredParamExists(layers: LayerShape, l: number, j: number, k: number): boolean {
  const { sizes, bias } = checkShape(layers);
  const whole = Number.isInteger(l) && Number.isInteger(j) && Number.isInteger(k);
  return (
    whole && l >= 1 && l <= sizes.length - 1 && j >= 1 && j <= sizes[l]! && k >= (bias ? 0 : 1) && k <= sizes[l - 1]!
  );
}

/**
 * Which addresses exist, for a message about θ⁽ˡ⁾_jk: "layer l must be 1…2" when l is out of
 * range, else "for l = 1, j must be 1…3 and k 0…2 (k = 0 is the bias)".
 */
export function layeredParamRanges(layers: LayerShape, l: number): string {
  const { sizes, bias } = checkShape(layers);
  const L = sizes.length;
  if (!Number.isInteger(l) || l < 1 || l > L - 1) return `layer l must be 1…${L - 1}`;
  return `for l = ${l}, j must be 1…${sizes[l]} and k ${bias ? 0 : 1}…${sizes[l - 1]}${bias ? " (k = 0 is the bias)" : " (no biases in this network)"}`;
}

/**
 * The id of θ⁽ˡ⁾_jk in a layered network of these sizes, from the sizes alone (no graph is
 * built): l in 1…L−1, j in 1…n_{l+1}, k in 0…n_l (1…n_l without biases); else an error that says
 * which ranges exist.
 */
export function layeredParamId(layers: LayerShape, l: number, j: number, k: number): string {
  const { sizes } = checkShape(layers);
  for (const [name, v] of [
    ["l", l],
    ["j", j],
    ["k", k],
  ] as const) {
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new ArgumentError(
        "unknown-parameter",
        `The address of θ⁽ˡ⁾_jk is three whole numbers l, j, k; ${name} is ${show(v)}.`,
        [l, j, k],
      );
    }
  }
  const id = ids.theta(l, j, k);
  if (!layeredParamExists(layers, l, j, k)) {
    throw new ArgumentError(
      "unknown-parameter",
      `There is no parameter ${id} (l=${l}, j=${j}, k=${k}) in a ${sizes.join("-")} network: ${layeredParamRanges(layers, l)}.`,
      [l, j, k],
    );
  }
  return id;
}

/**
 * Where θ⁽ˡ⁾_jk stands in core's parameter order (`parameterIds(layered(spec))`), from the sizes
 * alone; an address that does not exist is {@link layeredParamId}'s error.
 */
export function layeredParamIndex(layers: LayerShape, l: number, j: number, k: number): number {
  layeredParamId(layers, l, j, k);
  const { sizes, bias } = layers;
  // the blocks of the layers before l, then j − 1 rows of n_l (+ 1) entries
  const before = layeredParameterCount(sizes.slice(0, l), bias);
  return before + (j - 1) * (sizes[l - 1]! + (bias ? 1 : 0)) + (bias ? k : k - 1);
}

/** The address [l, j, k] of parameter i in core's parameter order, from the sizes alone. */
export function layeredParamAddress(layers: LayerShape, i: number): ParamAddress {
  const { sizes, bias } = checkShape(layers);
  if (typeof i !== "number" || !Number.isInteger(i) || i < 0) {
    throw new ArgumentError("invalid-argument", `A parameter's position is a whole number ≥ 0; got ${show(i)}.`, i);
  }
  let at = i;
  for (let l = 1; l < sizes.length; l++) {
    const row = sizes[l - 1]! + (bias ? 1 : 0);
    const block = sizes[l]! * row;
    if (at < block) {
      const col = at % row;
      return [l, Math.floor(at / row) + 1, bias ? col : col + 1];
    }
    at -= block;
  }
  throw new ArgumentError(
    "unknown-parameter",
    `A ${sizes.join("-")} network has ${layeredParameterCount(sizes, bias)} parameters; there is no parameter ${i} (positions start at 0).`,
    i,
  );
}

/** [l, j, k] of a layered network's parameter id `theta_l_j_k` ({@link ids}.theta), or null for any other id. */
export function paramAddressOf(id: string): ParamAddress | null {
  const m = typeof id === "string" ? /^theta_(\d+)_(\d+)_(\d+)$/.exec(id) : null;
  return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3])];
}
