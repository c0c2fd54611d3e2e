/**
 * Layered networks in the post's notation: x_k = a⁽¹⁾_k, z⁽ˡ⁾_j, a⁽ˡ⁾_j, θ⁽ˡ⁾_jk (into neuron j of
 * layer l+1 from neuron k of layer l; k = 0 is the bias), targets y_j and the cost J.
 */
import { type Draft, produce } from "immer";
import { ArgumentError, GraphError, TooLargeError } from "../errors.js";
import { kindOf, show } from "../messages.js";
import { type ActivationName, activation as checkActivation } from "../registry/activations.js";
import { type CostName, cost as checkCost, checkOutputActivation } from "../registry/costs.js";
import { layerNodes, sameLayerNode } from "./layer-nodes.js";
import { layeredParameterCount, layeredParamId } from "./layer-rules.js";
import type { Graph, GraphData, GraphNode, LayerInfo } from "./types.js";
import { buildGraph, graphIndex } from "./validate.js";

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

export { ids } from "./layer-nodes.js";

/**
 * The most parameters a layered graph may have: each parameter is a few nodes of plain data
 * (about 600 bytes), so a graph this size takes about a gigabyte and seconds to build.
 */
export const MAX_GRAPH_PARAMETERS = 2_000_000;

/** Checks and normalises a layer spec; throws ArgumentError on bad sizes or names. */
export function normaliseSpec(spec: LayerSpec): { info: LayerInfo; cost: CostName; l2: number } {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new ArgumentError(
      "invalid-argument",
      `A layer spec is an object like { sizes: [2, 2, 2], activation: "sigmoid" }; got ${kindOf(spec)} ${show(spec, 40)}.`,
      spec,
    );
  }
  const sizes: unknown = spec.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new ArgumentError(
      "invalid-size",
      `A network needs at least two layers (input and output), e.g. [2, 2, 2]; got ${show(sizes)}.`,
      sizes,
    );
  }
  sizes.forEach((n: unknown, i) => {
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
      const why = n === Infinity ? " (a number too large for a 64-bit float)" : "";
      throw new ArgumentError(
        "invalid-size",
        `Layer ${i + 1} has size ${show(n)}${why}; every layer needs a whole number of neurons ≥ 1.`,
        n,
      );
    }
  });
  const L = sizes.length;
  const act: unknown = spec.activation ?? "sigmoid";
  if (typeof act !== "string" && !(Array.isArray(act) && act.every((a) => typeof a === "string"))) {
    throw new ArgumentError(
      "invalid-argument",
      `The activation is a name such as "sigmoid", or a list of ${L - 1} names (one per non-input layer); got ${kindOf(act)} ${show(act)}.`,
      act,
    );
  }
  const list: string[] = typeof act === "string" ? Array.from({ length: L - 1 }, () => act) : [...(act as string[])];
  if (list.length !== L - 1) {
    throw new ArgumentError(
      "invalid-argument",
      `Give one activation, or one per non-input layer (${L - 1} for ${L} layers); got ${list.length}.`,
      act,
    );
  }
  const bias: unknown = spec.bias ?? true;
  if (typeof bias !== "boolean")
    throw new ArgumentError("invalid-argument", `bias is true or false; got ${kindOf(bias)} ${show(bias)}.`, bias);
  const activations = list.map((a) => checkActivation(a).name);
  const costName = checkCost(spec.cost ?? "mse").name;
  const l2: unknown = spec.l2 ?? 0;
  if (typeof l2 !== "number" || !Number.isFinite(l2) || l2 < 0)
    throw new ArgumentError("invalid-value", `L2 strength must be a finite number ≥ 0, got ${show(l2)}.`, l2);
  activations.slice(0, -1).forEach((a, i) => {
    if (a === "softmax")
      throw new ArgumentError(
        "invalid-argument",
        `softmax is only for the output layer, but layer ${i + 2} uses it.`,
        a,
      );
  });
  if (activations[L - 2] === "softmax" && (sizes[L - 1] as number) < 2) {
    throw new ArgumentError(
      "invalid-argument",
      "A softmax output needs two or more units: over one unit it is always 1 and nothing can be learned. For one output use sigmoid (with binary-cross-entropy), or give the output layer one unit per class.",
      sizes[L - 1],
    );
  }
  return { info: { sizes: [...(sizes as number[])], activations, bias }, cost: costName, l2 };
}

/**
 * Checks a layer spec as building its graph would, without building it: {@link normaliseSpec}
 * (sizes, names, λ, softmax only at the output) plus the cost's output rule
 * ({@link checkOutputActivation}, the check graph validation adds).
 */
export function layeredSpec(spec: LayerSpec): { info: LayerInfo; cost: CostName; l2: number } {
  const s = normaliseSpec(spec);
  const out = s.info.activations[s.info.activations.length - 1]!;
  checkOutputActivation(s.cost, out, `the output layer (layer ${s.info.sizes.length})`);
  return s;
}

/** The normalised layers of a spec, checked as {@link layeredSpec} checks it (no graph is built). */
export function layeredInfo(spec: LayerSpec): LayerInfo {
  return layeredSpec(spec).info;
}

/**
 * Builds the graph of a layered, fully connected network.
 *
 * @example
 * const g = layered({ sizes: [2, 2, 2], bias: false }); // the post's network
 */
export function layered(spec: LayerSpec): Graph {
  const { info, cost, l2 } = normaliseSpec(spec);
  const n = layeredParameterCount(info.sizes, info.bias);
  if (n > MAX_GRAPH_PARAMETERS) {
    throw new TooLargeError(
      "too-large",
      `A ${info.sizes.join("-")} network has ${n} parameters; its graph (a few nodes per parameter) is limited to ${MAX_GRAPH_PARAMETERS} parameters. Use fewer or narrower layers.`,
      n,
    );
  }
  return buildGraph({ nodes: layerNodes(info, cost, l2), layers: info });
}

/** The layer structure of a graph, or a GraphError naming what is needed. */
export function requireLayers(graph: Graph): LayerInfo {
  graphIndex(graph);
  if (graph.layers === null) {
    throw new GraphError(
      "not-layered",
      "This needs a layered network (built with layered()); free-form DAGs have the chain and δ forms only.",
    );
  }
  return graph.layers;
}

/**
 * Edits a graph with an immer recipe and validates the result. Untouched nodes keep their
 * identity (structural sharing). If the edit breaks the layer structure of a layered graph, the
 * result is a free-form DAG (its `layers` becomes null).
 */
export function editGraph(graph: Graph, recipe: (draft: Draft<GraphData>) => void): Graph {
  graphIndex(graph);
  if (typeof recipe !== "function")
    throw new ArgumentError(
      "invalid-argument",
      `editGraph needs a recipe: a function that edits a draft of the graph; got ${kindOf(recipe)}.`,
      recipe,
    );
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
  let want: Record<string, GraphNode>;
  try {
    want = layerNodes(data.layers, cost.cost, cost.l2);
  } catch {
    return false;
  }
  const a = Object.keys(want);
  const b = Object.keys(data.nodes);
  return (
    a.length === b.length && a.every((id) => Object.hasOwn(data.nodes, id) && sameLayerNode(want[id]!, data.nodes[id]!))
  );
}

/** The id of θ⁽ˡ⁾_jk in a layered network, or an error that says which ranges exist. */
export function paramId(graph: Graph, l: number, j: number, k: number): string {
  const id = layeredParamId(requireLayers(graph), l, j, k);
  if (!Object.hasOwn(graph.nodes, id))
    throw new GraphError("unknown-parameter", `The layered graph has no node ${id}.`, [l, j, k]);
  return id;
}
