/**
 * What the diagram should highlight, worked out from core's graph alone (not from viz's layout):
 * the unit-to-unit edges each path from a parameter to the cost runs along, where a unit is an
 * input, a neuron (its z and a together), a softmax output (an a of its own, fed by every z of
 * its group), a bias unit or the cost.
 */
import { type ANode, type Graph, paths, type ZNode } from "@chainrule/core";

/** The edges of one path, in order: "from→to" between diagram units. */
export function pathEdges(graph: Graph, path: readonly string[]): string[] {
  const unit = (id: string) => {
    const n = graph.nodes[id]!;
    return n.kind === "a" && n.activation !== "softmax" ? (n as ANode).z : id;
  };
  const z1 = graph.nodes[path[1]!] as ZNode;
  const term = z1.terms.find((t) => t.param === path[0]);
  // θ → z: from the unit θ weights, or from the bias unit above the previous layer (column of z)
  const column = (z1.label?.layer ?? 2) - 1;
  const edges = [term !== undefined ? `${unit(term.input)}→${z1.id}` : `bias:${column}→${z1.id}`];
  for (let i = 1; i < path.length - 1; i++) {
    const from = unit(path[i]!);
    const to = unit(path[i + 1]!);
    // z → a stays inside a neuron; a softmax's z_j → a_k are edges
    if (from !== to) edges.push(`${from}→${to}`);
  }
  return edges;
}

/** The distinct edges of a parameter's first `max` paths (the ones the diagram draws), sorted. */
export function highlightedEdges(graph: Graph, param: string, max = 4): string[] {
  const set = new Set<string>();
  let n = 0;
  for (const p of paths(graph, param)) {
    if (n++ >= max) break;
    for (const e of pathEdges(graph, p)) set.add(e);
  }
  return [...set].sort();
}
