/**
 * The derivative-flow structure of a graph: which node's value feeds which (θ → z, x/a → z,
 * z → a, a → J), and the local partial ∂(consumer)/∂(producer) on each edge, as an expression.
 */
import { ArgumentError } from "../errors.js";
import { add, type Expr, ONE, partial, type Sym, sym } from "../expr/expr.js";
import { perGraph } from "../graph/per-graph.js";
import type { ANode, Graph, GraphNode } from "../graph/types.js";
import { graphIndex, nodeOf } from "../graph/validate.js";
import { show } from "../messages.js";
import { ACTIVATION_TABLE, softmaxPartial } from "../registry/activations.js";
import { COST_TABLE, type CostOutput } from "../registry/costs.js";

/** The symbol standing for a node's value. */
export function nodeSym(node: GraphNode): Sym {
  const kind: unknown = typeof node === "object" && node !== null ? node.kind : undefined;
  if (
    typeof kind !== "string" ||
    !["input", "target", "param", "z", "a", "cost"].includes(kind) ||
    (kind !== "cost" && typeof node.id !== "string")
  ) {
    throw new ArgumentError("invalid-argument", `nodeSym needs a graph node ({ kind, id }); got ${show(node)}.`, node);
  }
  switch (node.kind) {
    case "input":
      return sym({ kind: "x", node: node.id });
    case "target":
      return sym({ kind: "y", node: node.id });
    case "param":
      return sym({ kind: "theta", node: node.id });
    case "z":
      return sym({ kind: "z", node: node.id });
    case "a":
      return sym({ kind: "a", node: node.id });
    case "cost":
      return sym({ kind: "J" });
  }
}

/** Derivative-flow view of one graph, computed once per graph. */
export interface Flow {
  readonly graph: Graph;
  /** Distinct successors of each node along derivative flow (producer → consumers). */
  readonly succ: ReadonlyMap<string, readonly string[]>;
  /** Symbol of each node. */
  readonly syms: { get(id: string): Sym | undefined };
  /** The cost's view of each output a node. */
  readonly outputs: ReadonlyMap<string, CostOutput>;
  /** ∂to/∂from, evaluated to a local expression. */
  local(from: string, to: string): Expr;
  /** ∂to/∂from, unevaluated. */
  partialOf(from: string, to: string): Expr;
}

/**
 * Distinct successors of each node along derivative flow (θ → z, x/a → z, z → a, a → J), in
 * graph order; cached per graph. Cheap: no expressions are built.
 */
export function successors(graph: Graph): ReadonlyMap<string, readonly string[]> {
  return successorsOf(graph);
}
const successorsOf = perGraph((graph: Graph): ReadonlyMap<string, readonly string[]> => {
  const idx = graphIndex(graph);
  const succ = new Map<string, string[]>();
  for (const id of idx.order) succ.set(id, []);
  // One edge per (from, to) pair, however often `to` reads `from`.
  const link = (sources: Iterable<string>, to: string) => {
    for (const from of new Set(sources)) succ.get(from)!.push(to);
  };
  for (const id of idx.order) {
    const n = graph.nodes[id]!;
    if (n.kind === "z") {
      const sources: string[] = [];
      for (const t of n.terms) sources.push(t.param, t.input);
      if (n.bias !== null) sources.push(n.bias);
      link(sources, id);
    } else if (n.kind === "a") link(n.group ?? [n.z], id);
    else if (n.kind === "cost") link(n.outputs, id);
  }
  return succ;
});

/** The derivative-flow view of a graph (cached per graph object). */
export function flowOf(graph: Graph): Flow {
  return flows(graph);
}
const flows = perGraph((graph: Graph): Flow => {
  const idx = graphIndex(graph);
  // Symbols are made on first use: a large graph's matrix form needs only a few of them.
  const made = new Map<string, Sym>();
  const syms = {
    get(id: string): Sym | undefined {
      let s = made.get(id);
      if (s === undefined && typeof id === "string" && Object.hasOwn(graph.nodes, id)) {
        s = nodeSym(nodeOf(graph, id));
        made.set(id, s);
      }
      return s;
    },
  };
  const succ = successors(graph);
  const cost = idx.cost;
  const outputs = new Map<string, CostOutput>();
  cost.outputs.forEach((o, i) => {
    const a = graph.nodes[o] as ANode;
    outputs.set(o, {
      a: syms.get(o)!,
      y: syms.get(cost.targets[i]!)!,
      z: syms.get(a.z)!,
      lse: a.group !== null ? sym({ kind: "lse", node: a.group[0]! }) : null,
      ysum: a.group !== null ? sym({ kind: "ysum", node: a.group[0]! }) : null,
    });
  });
  const costRec = COST_TABLE[cost.cost];
  // The softmax a node whose own z is z, for softmax partials.
  const softmaxA = new Map<string, string>();
  for (const id of idx.as) {
    const a = graph.nodes[id] as ANode;
    if (a.group !== null) softmaxA.set(a.z, id);
  }

  const noEdge = (from: string, to: string): never => {
    throw new ArgumentError(
      "invalid-argument",
      `There is no derivative edge ${show(from, 40)} → ${show(to, 40)} in this graph; local partials exist along θ → z, x/a → z, z → a and a → J.`,
      [from, to],
    );
  };
  const local = (from: string, to: string): Expr => {
    const n = typeof to === "string" && Object.hasOwn(graph.nodes, to) ? graph.nodes[to]! : undefined;
    if (n === undefined || typeof from !== "string" || !Object.hasOwn(graph.nodes, from)) return noEdge(from, to);
    switch (n.kind) {
      case "z": {
        // ∂z/∂θ = Σ inputs that θ weights (+1 for a bias);  ∂z/∂a = Σ θ that weight a
        const parts: Expr[] = [];
        for (const t of n.terms) {
          if (t.param === from) parts.push(syms.get(t.input)!);
          if (t.input === from) parts.push(syms.get(t.param)!);
        }
        if (n.bias === from) parts.push(ONE);
        return add(...parts);
      }
      case "a": {
        // ∂a/∂z = f′(z), written as the activation's record writes it
        if (n.group === null) return ACTIVATION_TABLE[n.activation].derivative(syms.get(n.z)!, syms.get(to)!);
        // ∂a_i/∂z_j = a_i(δ_ij − a_j)
        if (!n.group.includes(from)) return noEdge(from, to);
        return softmaxPartial(syms.get(to)!, syms.get(softmaxA.get(from)!)!, from === n.z);
      }
      case "cost":
        // ∂J/∂a from the cost's record
        if (!outputs.has(from)) return noEdge(from, to);
        return costRec.dJda(outputs.get(from)!);
      default:
        return noEdge(from, to);
    }
  };
  const partialOf = (from: string, to: string): Expr => {
    const t = syms.get(to);
    const f = syms.get(from);
    return t !== undefined && f !== undefined ? partial(t, f) : noEdge(from, to);
  };
  const flow: Flow = { graph, succ, syms, outputs, local, partialOf };
  return flow;
});
