/**
 * Computation graphs as plain, immutable data: a DAG of inputs x, targets y, parameters θ,
 * weighted sums z, activations a and one cost J. Node ids are the names users see.
 */
import type { ActivationName } from "../registry/activations.js";
import type { CostName } from "../registry/costs.js";

/** Where a node sits in a layered network, in the post's notation. */
export interface Label {
  /** Layer number, 1 = input layer. Absent for targets and J. */
  readonly layer?: number;
  /** Neuron index within the layer (1-based); for θ⁽ˡ⁾_jk the receiving neuron j. */
  readonly j: number;
  /** For θ⁽ˡ⁾_jk: the sending neuron k (0 = bias). */
  readonly k?: number;
}

interface NodeBase {
  /** Unique name within the graph. */
  readonly id: string;
  /** Position in a layered network, used for printing in a notation; absent in free-form DAGs. */
  readonly label?: Label;
}

/** An input x_k (one value per example). */
export interface InputNode extends NodeBase {
  readonly kind: "input";
}
/** A target y_j (one value per example). */
export interface TargetNode extends NodeBase {
  readonly kind: "target";
}
/** A parameter θ: a weight or a bias. One parameter may be used by several z nodes (tied). */
export interface ParamNode extends NodeBase {
  readonly kind: "param";
  readonly role: "weight" | "bias";
}
/** One weighted input of a z node: θ · input. */
export interface Term {
  readonly param: string;
  readonly input: string;
}
/** z = Σ θ · input (+ bias). Inputs are x or a nodes. */
export interface ZNode extends NodeBase {
  readonly kind: "z";
  readonly terms: readonly Term[];
  readonly bias: string | null;
}
/**
 * a = f(z). For `softmax`, `group` lists the z nodes the softmax runs over (in order, including
 * this node's own `z`); for every other activation it is null.
 */
export interface ANode extends NodeBase {
  readonly kind: "a";
  readonly activation: ActivationName;
  readonly z: string;
  readonly group: readonly string[] | null;
}
/** The cost J over output activations and their targets (paired by position), plus optional L2. */
export interface CostNode extends NodeBase {
  readonly kind: "cost";
  readonly cost: CostName;
  readonly outputs: readonly string[];
  readonly targets: readonly string[];
  /** L2 strength λ in λ/(2m) Σ θ² over weights (not biases); 0 for none. */
  readonly l2: number;
}

/** Any graph node. */
export type GraphNode = InputNode | TargetNode | ParamNode | ZNode | ANode | CostNode;
/** The node kinds. */
export type NodeKind = GraphNode["kind"];

/** What a layered network was built from; present when the graph came from {@link layered}. */
export interface LayerInfo {
  /** Neurons per layer, input layer first. */
  readonly sizes: readonly number[];
  /** Activation of layers 2…L (one per non-input layer). */
  readonly activations: readonly ActivationName[];
  readonly bias: boolean;
}

/** The plain data of a graph (what immer drafts, what JSON holds). */
export interface GraphData {
  /** Nodes by id, in insertion order. */
  readonly nodes: { readonly [id: string]: GraphNode };
  /** Layer structure when the graph is a layered network, else null. */
  readonly layers: LayerInfo | null;
}

declare const validGraph: unique symbol;
/**
 * A validated graph. Only {@link buildGraph}, the {@link GraphBuilder}, {@link layered} and
 * {@link editGraph} produce one, so an invalid graph cannot exist.
 */
export type Graph = GraphData & { readonly [validGraph]: true };
