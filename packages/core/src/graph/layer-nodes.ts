/**
 * The nodes of a layered network, from its layer info alone: what {@link layered} builds, and what
 * validation compares a graph that claims layers against. Internal to core.
 */
import type { CostName } from "../registry/costs.js";
import type { GraphNode, LayerInfo } from "./types.js";

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

/** Node tables made by {@link layerNodes}: validation trusts them without comparing. */
export const generated = new WeakSet<object>();

/** The nodes of a layered network in the post's notation, in insertion (topological) order. */
export function layerNodes(info: LayerInfo, cost: CostName, l2: number): Record<string, GraphNode> {
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
      put({
        kind: "z",
        id: ids.z(l + 1, j),
        terms,
        bias: bias ? ids.theta(l, j, 0) : null,
        label: { layer: l + 1, j },
      });
      zs.push(ids.z(l + 1, j));
    }
    const act = activations[l - 1]!;
    for (let j = 1; j <= to; j++) {
      put({
        kind: "a",
        id: ids.a(l + 1, j),
        activation: act,
        z: ids.z(l + 1, j),
        group: act === "softmax" ? zs : null,
        label: { layer: l + 1, j },
      });
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
  generated.add(nodes);
  return nodes;
}

const sameList = (a: readonly unknown[] | null, b: readonly unknown[] | null): boolean =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]));

/** True when two nodes are the same node of a layered network (labels included). */
export function sameLayerNode(a: GraphNode, b: GraphNode): boolean {
  if (a.kind !== b.kind || a.id !== b.id) return false;
  const la = a.label;
  const lb = b.label;
  if ((la === undefined) !== (lb === undefined)) return false;
  if (la !== undefined && lb !== undefined && (la.layer !== lb.layer || la.j !== lb.j || la.k !== lb.k)) return false;
  switch (a.kind) {
    case "input":
    case "target":
      return true;
    case "param":
      return a.role === (b as typeof a).role;
    case "z": {
      const o = b as typeof a;
      return (
        a.bias === o.bias &&
        a.terms.length === o.terms.length &&
        a.terms.every((t, i) => t.param === o.terms[i]!.param && t.input === o.terms[i]!.input)
      );
    }
    case "a": {
      const o = b as typeof a;
      return a.activation === o.activation && a.z === o.z && sameList(a.group, o.group);
    }
    case "cost": {
      const o = b as typeof a;
      return a.cost === o.cost && a.l2 === o.l2 && sameList(a.outputs, o.outputs) && sameList(a.targets, o.targets);
    }
  }
}
