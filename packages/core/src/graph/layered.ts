/**
 * Layered networks in the post's notation: x_k = a⁽¹⁾_k, z⁽ˡ⁾_j, a⁽ˡ⁾_j, θ⁽ˡ⁾_jk (into neuron j of
 * layer l+1 from neuron k of layer l; k = 0 is the bias), targets y_j and the cost J.
 */
import { produce, type Draft } from "immer";
import { ArgumentError, GraphError } from "../errors.js";
import { activation as checkActivation, type ActivationName } from "../registry/activations.js";
import { cost as checkCost, type CostName } from "../registry/costs.js";
import type { Graph, GraphData, GraphNode, LayerInfo } from "./types.js";
import { buildGraph } from "./validate.js";

/** What a layered network is made of. */
export interface LayerSpec {
  /** Neurons per layer, input layer first, e.g. [2, 2, 2]. At least two layers, each ≥ 1. */
  readonly sizes: readonly number[];
  /** One activation for every layer, or one per non-input layer. Default sigmoid. */
  readonly activation?: ActivationName | string | readonly (ActivationName | string)[];
  /** Bias into every neuron (θ⁽ˡ⁾_j0). Default true. */
  readonly bias?: boolean;
  /** Default mse. */
  readonly cost?: CostName | string;
  /** L2 strength λ. Default 0. */
  readonly l2?: number;
}

/** Node ids of a layered network: the names the text format uses too. */
export const ids = {
  x: (k: number) => `x_${k}`,
  y: (j: number) => `y_${j}`,
  z: (l: number, j: number) => `z_${l}_${j}`,
  /** a⁽ˡ⁾_j; layer 1 is the input x_j. */
  a: (l: number, j: number) => (l === 1 ? `x_${j}` : `a_${l}_${j}`),
  theta: (l: number, j: number, k: number) => `theta_${l}_${j}_${k}`,
  J: "J",
} as const;

/** Checks and normalises a layer spec; throws ArgumentError on bad sizes or names. */
export function normaliseSpec(spec: LayerSpec): { info: LayerInfo; cost: CostName; l2: number } {
  const sizes = spec.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new ArgumentError("invalid-size", `A network needs at least two layers (input and output), e.g. [2, 2, 2]; got ${JSON.stringify(sizes)}.`, sizes);
  }
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1) {
      throw new ArgumentError("invalid-size", `Layer ${i + 1} has size ${JSON.stringify(n)}; every layer needs a whole number of neurons ≥ 1.`, n);
    }
  });
  const L = sizes.length;
  const act = spec.activation ?? "sigmoid";
  const list = typeof act === "string" ? Array.from({ length: L - 1 }, () => act) : [...act];
  if (list.length !== L - 1) {
    throw new ArgumentError("invalid-argument", `Give one activation, or one per non-input layer (${L - 1} for ${L} layers); got ${list.length}.`, act);
  }
  const activations = list.map((a) => checkActivation(a).name);
  const costName = checkCost(spec.cost ?? "mse").name;
  const l2 = spec.l2 ?? 0;
  if (!Number.isFinite(l2) || l2 < 0) throw new ArgumentError("invalid-value", `L2 strength must be a finite number ≥ 0, got ${l2}.`, l2);
  activations.slice(0, -1).forEach((a, i) => {
    if (a === "softmax") throw new ArgumentError("invalid-argument", `softmax is only for the output layer, but layer ${i + 2} uses it.`, a);
  });
  if (activations[L - 2] === "softmax" && sizes[L - 1]! < 2) {
    throw new ArgumentError(
      "invalid-argument",
      "A softmax output needs two or more units: over one unit it is always 1 and nothing can be learned. For one output use sigmoid (with binary-cross-entropy), or give the output layer one unit per class.",
      sizes[L - 1],
    );
  }
  return { info: { sizes: [...sizes], activations, bias: spec.bias ?? true }, cost: costName, l2 };
}

/**
 * Builds the graph of a layered, fully connected network.
 *
 * @example
 * const g = layered({ sizes: [2, 2, 2], bias: false }); // the post's network
 */
export function layered(spec: LayerSpec): Graph {
  const { info, cost, l2 } = normaliseSpec(spec);
  const { sizes, activations, bias } = info;
  const L = sizes.length;
  const nodes: Record<string, GraphNode> = {};
  const put = (n: GraphNode) => {
    nodes[n.id] = n;
  };
  for (let k = 1; k <= sizes[0]!; k++) put({ kind: "input", id: ids.x(k), label: { layer: 1, j: k } });
  for (let l = 1; l < L; l++) {
    const from = sizes[l - 1]!;
    const to = sizes[l]!;
    for (let j = 1; j <= to; j++) {
      for (let k = bias ? 0 : 1; k <= from; k++) {
        put({ kind: "param", id: ids.theta(l, j, k), role: k === 0 ? "bias" : "weight", label: { layer: l, j, k } });
      }
    }
    const zs: string[] = [];
    for (let j = 1; j <= to; j++) {
      const terms = Array.from({ length: from }, (_, i) => ({ param: ids.theta(l, j, i + 1), input: ids.a(l, i + 1) }));
      put({ kind: "z", id: ids.z(l + 1, j), terms, bias: bias ? ids.theta(l, j, 0) : null, label: { layer: l + 1, j } });
      zs.push(ids.z(l + 1, j));
    }
    const act = activations[l - 1]!;
    for (let j = 1; j <= to; j++) {
      put({ kind: "a", id: ids.a(l + 1, j), activation: act, z: ids.z(l + 1, j), group: act === "softmax" ? zs : null, label: { layer: l + 1, j } });
    }
  }
  const outN = sizes[L - 1]!;
  for (let j = 1; j <= outN; j++) put({ kind: "target", id: ids.y(j), label: { j } });
  put({
    kind: "cost",
    id: ids.J,
    cost,
    outputs: Array.from({ length: outN }, (_, i) => ids.a(L, i + 1)),
    targets: Array.from({ length: outN }, (_, i) => ids.y(i + 1)),
    l2,
  });
  return buildGraph({ nodes, layers: info });
}

/** The layer structure of a graph, or a GraphError naming what is needed. */
export function requireLayers(graph: Graph): LayerInfo {
  if (graph.layers === null) {
    throw new GraphError("not-layered", "This needs a layered network (built with layered()); free-form DAGs have the chain and δ forms only.");
  }
  return graph.layers;
}

/**
 * Edits a graph with an immer recipe and validates the result. Untouched nodes keep their
 * identity (structural sharing). If the edit breaks the layer structure of a layered graph, the
 * result is a free-form DAG (its `layers` becomes null).
 */
export function editGraph(graph: Graph, recipe: (draft: Draft<GraphData>) => void): Graph {
  const next = produce(graph as GraphData, recipe);
  if (next === (graph as GraphData)) return graph;
  if (next.layers !== null && next.layers === graph.layers && next.nodes !== graph.nodes && !stillLayered(next)) {
    return buildGraph({ ...next, layers: null });
  }
  return buildGraph(next);
}

function stillLayered(data: GraphData): boolean {
  if (data.layers === null) return false;
  const cost = Object.values(data.nodes).find((n) => n.kind === "cost");
  if (cost === undefined || cost.kind !== "cost") return false;
  const fresh = layered({ ...data.layers, cost: cost.cost, l2: cost.l2 });
  const a = Object.keys(fresh.nodes);
  const b = Object.keys(data.nodes);
  return a.length === b.length && a.every((id) => JSON.stringify(fresh.nodes[id]) === JSON.stringify(data.nodes[id]));
}

/** The id of θ⁽ˡ⁾_jk in a layered network, or an error that says which ranges exist. */
export function paramId(graph: Graph, l: number, j: number, k: number): string {
  const { sizes, bias } = requireLayers(graph);
  const L = sizes.length;
  const id = ids.theta(l, j, k);
  if (graph.nodes[id] === undefined) {
    const where =
      l < 1 || l > L - 1
        ? `layer l must be 1…${L - 1}`
        : `for l = ${l}, j must be 1…${sizes[l]} and k ${bias ? 0 : 1}…${sizes[l - 1]}${bias ? " (k = 0 is the bias)" : " (no biases in this network)"}`;
    throw new ArgumentError("unknown-parameter", `There is no parameter ${id} (l=${l}, j=${j}, k=${k}) in a ${sizes.join("-")} network: ${where}.`, [l, j, k]);
  }
  return id;
}
