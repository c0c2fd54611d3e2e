/**
 * What the explorer shows, as plain data: the network (layer sizes, an activation per layer, the
 * cost, biases), the notation, the chosen parameter θ⁽ˡ⁾_jk, the numbers of the worked example and
 * the open view. The state travels to the derivation worker as it is and lives in the page's URL
 * (`#layers=2,2,2&act=sigmoid,sigmoid&…`), so a teacher can hand out a link to one derivation.
 */
import {
  ACTIVATIONS,
  type ActivationName,
  COSTS,
  type CostName,
  paramAddressOf as coreAddressOf,
  ids,
  layeredParamExists,
  MAX_SEED,
} from "@chainrule/core";

/** The notations viz prints in (the post's, Andrew Ng's, Michael Nielsen's). */
export const NOTATION_NAMES = ["post", "ng", "nielsen"] as const;
/** A notation name. */
export type NotationChoice = (typeof NOTATION_NAMES)[number];

/** The views of the derivation, in tab order. */
export const VIEW_IDS = ["chain", "delta", "matrix", "count", "worked", "network", "notes"] as const;
/** A view of the derivation. */
export type ViewId = (typeof VIEW_IDS)[number];

/** A layered network. */
export interface NetworkState {
  /** Neurons per layer, input first. */
  readonly sizes: readonly number[];
  /** One activation per non-input layer. */
  readonly activations: readonly ActivationName[];
  readonly cost: CostName;
  readonly bias: boolean;
}

/** Numbers of the worked example: drawn from a seed, or typed in (θ in core's order, one example). */
export type Weights =
  | { readonly mode: "random"; readonly seed: number }
  | {
      readonly mode: "typed";
      readonly theta: readonly number[];
      readonly x: readonly number[];
      readonly y: readonly number[];
    };

/** θ⁽ˡ⁾_jk as [l, j, k]; k = 0 is the bias. */
export type ParamAddress = readonly [number, number, number];

/** Everything the derivation views depend on. */
export interface ExplorerState {
  readonly network: NetworkState;
  readonly notation: NotationChoice;
  readonly param: ParamAddress;
  readonly weights: Weights;
  readonly view: ViewId;
}

/** The post's 2-2-2 network without biases: 8 parameters, 52 factors. */
export const DEFAULT_STATE: ExplorerState = {
  network: { sizes: [2, 2, 2], activations: ["sigmoid", "sigmoid"], cost: "mse", bias: false },
  notation: "post",
  param: [1, 1, 1],
  weights: { mode: "random", seed: 1 },
  view: "chain",
};

/** Core's node id of θ⁽ˡ⁾_jk in a layered network. */
export function paramNodeId([l, j, k]: ParamAddress): string {
  return ids.theta(l, j, k);
}

/** [l, j, k] of a layered network's parameter id `theta_l_j_k`, or null for any other id. */
export function paramAddressOf(id: string): ParamAddress | null {
  return coreAddressOf(id);
}

/** Whether θ⁽ˡ⁾_jk exists in a network of this shape (core's rule, from the sizes alone). */
export function paramExists(network: NetworkState, [l, j, k]: ParamAddress): boolean {
  return layeredParamExists(network, l, j, k);
}

/** A key that changes exactly when the graph changes. */
export function structureKey(n: NetworkState): string {
  return `${n.sizes.join("-")}|${n.activations.join(",")}|${n.cost}|${n.bias ? "bias" : "nobias"}`;
}

/** The state as a URL fragment (without the #). */
export function toHash(s: ExplorerState): string {
  const q = new URLSearchParams();
  q.set("layers", s.network.sizes.join(","));
  q.set("act", s.network.activations.join(","));
  q.set("cost", s.network.cost);
  q.set("bias", s.network.bias ? "on" : "off");
  q.set("notation", s.notation);
  q.set("param", s.param.join(","));
  if (s.weights.mode === "random") q.set("seed", String(s.weights.seed));
  else {
    q.set("theta", s.weights.theta.join(","));
    q.set("x", s.weights.x.join(","));
    q.set("y", s.weights.y.join(","));
  }
  q.set("view", s.view);
  return q.toString();
}

const numbers = (text: string | null): number[] | null => {
  if (text === null || text.trim() === "") return null;
  const v = text.split(",").map((t) => (t.trim() === "" ? NaN : Number(t)));
  return v.every(Number.isFinite) ? v : null;
};

function oneOf<T extends string>(list: readonly T[], text: string | null, fallback: T): T {
  return text !== null && (list as readonly string[]).includes(text) ? (text as T) : fallback;
}

/**
 * The state a URL fragment describes. Each part that is missing or malformed keeps the default,
 * so an edited or truncated link still opens; `check` rejects networks the page would refuse
 * (the same checks as the controls), which then fall back to the default network.
 */
export function fromHash(hash: string, check: (n: NetworkState) => string | null): ExplorerState {
  const q = new URLSearchParams(hash.replace(/^#/, ""));
  const d = DEFAULT_STATE;
  const sizes = numbers(q.get("layers"));
  let network = d.network;
  if (sizes?.every((n) => Number.isInteger(n))) {
    const acts = (q.get("act") ?? "").split(",");
    const activations = sizes.slice(1).map((_, i) => oneOf(ACTIVATIONS, acts[i] ?? null, "sigmoid"));
    const candidate: NetworkState = {
      sizes,
      activations,
      cost: oneOf(COSTS, q.get("cost"), "mse"),
      bias: q.get("bias") !== "off",
    };
    if (check(candidate) === null) network = candidate;
  }
  const p = numbers(q.get("param"));
  const asked: ParamAddress | null = p !== null && p.length === 3 ? [p[0]!, p[1]!, p[2]!] : null;
  const param = asked !== null && paramExists(network, asked) ? asked : FIRST_PARAM;
  const theta = numbers(q.get("theta"));
  const x = numbers(q.get("x"));
  const y = numbers(q.get("y"));
  const seed = Number(q.get("seed"));
  const weights: Weights =
    theta !== null && x !== null && y !== null
      ? { mode: "typed", theta, x, y }
      : { mode: "random", seed: q.has("seed") && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED ? seed : 1 };
  return {
    network,
    notation: oneOf(NOTATION_NAMES, q.get("notation"), d.notation),
    param,
    weights,
    view: oneOf(VIEW_IDS, q.get("view"), d.view),
  };
}

/** θ⁽¹⁾₁₁, the post's example, which every layered network has. */
export const FIRST_PARAM: ParamAddress = [1, 1, 1];
