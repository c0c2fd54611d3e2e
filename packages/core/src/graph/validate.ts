/**
 * Validation: the only way plain data becomes a {@link Graph}. Each check throws a
 * {@link GraphError} whose message names the offending node and says how to fix it.
 */
import { GraphError, unknownName } from "../errors.js";
import { ACTIVATIONS, isActivation } from "../registry/activations.js";
import { COSTS, COST_TABLE, type CostName } from "../registry/costs.js";
import type { ANode, CostNode, Graph, GraphData, GraphNode, ZNode } from "./types.js";

/** Derived facts about a valid graph, computed once per graph object. */
export interface GraphIndex {
  /** Node ids in a topological order (every node after the nodes it reads). */
  readonly order: readonly string[];
  /** The cost node. */
  readonly cost: CostNode;
  /** Ids by kind, in topological order. */
  readonly inputs: readonly string[];
  readonly targets: readonly string[];
  readonly params: readonly string[];
  readonly zs: readonly string[];
  readonly as: readonly string[];
}

const indexes = new WeakMap<object, GraphIndex>();

/** Validates plain graph data and returns it as a frozen {@link Graph}. */
export function buildGraph(data: GraphData): Graph {
  const index = check(data);
  const graph = freezeGraph(data);
  indexes.set(graph, index);
  return graph;
}

/** Freezes a graph's data all the way down (nodes, their lists, the layer info). */
function freezeGraph(data: GraphData): Graph {
  for (const n of Object.values(data.nodes)) {
    if (Object.isFrozen(n)) continue;
    if (n.kind === "z") {
      for (const t of n.terms) Object.freeze(t);
      Object.freeze(n.terms);
    } else if (n.kind === "a" && n.group !== null) Object.freeze(n.group);
    else if (n.kind === "cost") {
      Object.freeze(n.outputs);
      Object.freeze(n.targets);
    }
    if (n.label !== undefined) Object.freeze(n.label);
    Object.freeze(n);
  }
  Object.freeze(data.nodes);
  if (data.layers !== null) {
    Object.freeze(data.layers.sizes);
    Object.freeze(data.layers.activations);
    Object.freeze(data.layers);
  }
  return Object.freeze(data) as Graph;
}

/** The derived index of a valid graph. */
export function graphIndex(graph: Graph): GraphIndex {
  const hit = indexes.get(graph);
  if (hit !== undefined) return hit;
  // A graph object that did not come through buildGraph (e.g. a structural copy): validate it.
  const index = check(graph);
  indexes.set(graph, index);
  return index;
}

/** The node with this id, or a GraphError. */
export function nodeOf(graph: GraphData, id: string): GraphNode {
  const n = Object.hasOwn(graph.nodes, id) ? graph.nodes[id] : undefined;
  if (n === undefined) throw new GraphError("dangling-input", `No node "${id}" in this graph.`, id);
  return n;
}

function fail(code: ConstructorParameters<typeof GraphError>[0], message: string, value?: unknown): never {
  throw new GraphError(code, message, value);
}

function check(data: GraphData): GraphIndex {
  if (typeof data !== "object" || data === null || typeof data.nodes !== "object" || data.nodes === null) {
    fail("invalid-graph", "A graph needs a `nodes` object mapping ids to nodes.");
  }
  const nodes = data.nodes;
  const ids = Object.keys(nodes);
  const reads = new Map<string, string[]>();
  const costs: CostNode[] = [];
  // Softmax activation of each z, for group checks.
  const softmaxOf = new Map<string, ANode>();
  for (const n of Object.values(nodes)) if (n.kind === "a" && n.activation === "softmax") softmaxOf.set(n.z, n);

  const expect = (from: string, id: string, kinds: readonly GraphNode["kind"][], role: string): void => {
    const n = Object.hasOwn(nodes, id) ? nodes[id] : undefined;
    if (n === undefined) {
      fail("dangling-input", `Node "${from}" reads "${id}" as its ${role}, but there is no node "${id}". Add it first or fix the name.`, id);
    }
    if (!kinds.includes(n.kind)) {
      fail("invalid-graph", `Node "${from}" reads "${id}" as its ${role}, which must be ${kinds.join(" or ")}, not ${n.kind}.`, id);
    }
  };

  for (const id of ids) {
    const n = nodes[id]!;
    if (n.id !== id) fail("invalid-graph", `Node stored under "${id}" says its id is "${n.id}"; they must match.`, id);
    if (typeof id !== "string" || id.length === 0) fail("invalid-graph", "Node ids must be non-empty strings.", id);
    const r: string[] = [];
    switch (n.kind) {
      case "input":
      case "target":
        break;
      case "param":
        if (n.role !== "weight" && n.role !== "bias") fail("invalid-graph", `Parameter "${id}" has role "${String(n.role)}"; use "weight" or "bias".`, id);
        break;
      case "z":
        checkZ(n, expect, r);
        break;
      case "a":
        checkA(n, softmaxOf, expect, r);
        break;
      case "cost":
        costs.push(n);
        checkCost(n, nodes, softmaxOf, expect, r);
        break;
      default:
        fail("invalid-graph", `Node "${id}" has unknown kind "${String((n as { kind: unknown }).kind)}"; kinds are input, target, param, z, a, cost.`, id);
    }
    reads.set(id, r);
  }
  if (costs.length !== 1) {
    fail("invalid-graph", costs.length === 0 ? "The graph has no cost node; add one (e.g. builder.cost(\"mse\", outputs, targets))." : `The graph has ${costs.length} cost nodes; it needs exactly one.`);
  }
  const order = topoOrder(ids, reads);
  // Ids by kind, in one pass.
  const kinds: Record<GraphNode["kind"], string[]> = { input: [], target: [], param: [], z: [], a: [], cost: [] };
  for (const id of order) kinds[nodes[id]!.kind].push(id);
  return { order, cost: costs[0]!, inputs: kinds.input, targets: kinds.target, params: kinds.param, zs: kinds.z, as: kinds.a };
}

type Expect = (from: string, id: string, kinds: readonly GraphNode["kind"][], role: string) => void;

function checkZ(n: ZNode, expect: Expect, r: string[]): void {
  if (!Array.isArray(n.terms)) fail("invalid-graph", `z node "${n.id}" needs a list of terms [{ param, input }].`, n.id);
  if (n.terms.length === 0 && n.bias === null) fail("invalid-graph", `z node "${n.id}" has no terms and no bias; give it at least one weighted input.`, n.id);
  for (const t of n.terms) {
    expect(n.id, t.param, ["param"], "weight");
    expect(n.id, t.input, ["input", "a"], "input");
    r.push(t.param, t.input);
  }
  if (n.bias !== null) {
    expect(n.id, n.bias, ["param"], "bias");
    r.push(n.bias);
  }
}

function checkA(n: ANode, softmaxOf: ReadonlyMap<string, ANode>, expect: Expect, r: string[]): void {
  if (!isActivation(n.activation)) throw unknownName("activation", String(n.activation), ACTIVATIONS);
  expect(n.id, n.z, ["z"], "weighted sum");
  if (n.activation === "softmax") {
    if (n.group === null || !n.group.includes(n.z)) {
      fail("invalid-graph", `softmax node "${n.id}" needs a group of z nodes that includes its own z "${n.z}".`, n.id);
    }
    if (n.group.length < 2) {
      fail("invalid-graph", `softmax node "${n.id}" runs over one z node, where it is always 1 and has no gradient; give the group two or more z nodes, or use sigmoid for a single output.`, n.id);
    }
    if (new Set(n.group).size !== n.group.length) {
      fail("invalid-graph", `softmax group of "${n.id}" lists a z node twice; each z of the group appears once.`, n.id);
    }
    for (const zid of n.group) {
      expect(n.id, zid, ["z"], "softmax group member");
      r.push(zid);
    }
    // Every z of the group must carry a softmax a with the same group.
    for (const zid of n.group) {
      const partner = softmaxOf.get(zid);
      if (partner === undefined || !sameList(partner.group, n.group)) {
        fail("invalid-graph", `softmax group of "${n.id}" includes "${zid}", which has no softmax activation over the same group; build softmax groups with builder.softmax().`, n.id);
      }
    }
  } else {
    if (n.group !== null) fail("invalid-graph", `Only softmax nodes have a group; "${n.id}" is ${n.activation}.`, n.id);
    r.push(n.z);
  }
}

function checkCost(n: CostNode, nodes: GraphData["nodes"], softmaxOf: ReadonlyMap<string, ANode>, expect: Expect, r: string[]): void {
  if (!(COSTS as readonly string[]).includes(n.cost)) throw unknownName("cost", String(n.cost), COSTS);
  if (n.outputs.length === 0) fail("invalid-graph", `Cost "${n.id}" has no outputs; pass the output activations.`, n.id);
  const twice = (list: readonly string[]) => list.find((x, i) => list.indexOf(x) !== i);
  const again = twice(n.outputs) ?? twice(n.targets);
  if (again !== undefined) fail("invalid-graph", `Cost "${n.id}" lists "${again}" twice; each output and each target appears once.`, again);
  if (n.outputs.length !== n.targets.length) {
    fail("invalid-graph", `Cost "${n.id}" has ${n.outputs.length} outputs but ${n.targets.length} targets; pair each output with one target.`, n.id);
  }
  if (!Number.isFinite(n.l2) || n.l2 < 0) fail("invalid-graph", `L2 strength must be a finite number ≥ 0, got ${n.l2}.`, n.l2);
  for (const o of n.outputs) {
    expect(n.id, o, ["a"], "output");
    r.push(o);
  }
  for (const t of n.targets) {
    expect(n.id, t, ["target"], "target");
    r.push(t);
  }
  const rec = COST_TABLE[n.cost as CostName];
  if (rec.requires !== null) {
    for (const o of n.outputs) {
      const a = nodes[o] as ANode;
      if (a.activation !== rec.requires) {
        fail("invalid-graph", `${n.cost} needs ${rec.requires} outputs, but "${o}" is ${a.activation}; use ${rec.requires} on the output layer or another cost.`, o);
      }
    }
    if (rec.requires === "softmax") {
      // Every member of each output softmax group must be an output.
      for (const o of n.outputs) {
        for (const zid of (nodes[o] as ANode).group ?? []) {
          const member = softmaxOf.get(zid);
          if (member !== undefined && !n.outputs.includes(member.id)) {
            fail("invalid-graph", `cross-entropy needs the whole softmax group as outputs; "${member.id}" is missing.`, member.id);
          }
        }
      }
    }
  }
}

function sameList(a: readonly string[] | null, b: readonly string[] | null): boolean {
  return a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * A topological order. Graphs built node by node list every node after the nodes it reads, so the
 * insertion order is checked first (linear); otherwise Kahn's algorithm runs, and a leftover node
 * means a cycle, which is reported with its members.
 */
function topoOrder(ids: readonly string[], reads: ReadonlyMap<string, readonly string[]>): readonly string[] {
  const position = new Map<string, number>();
  let inOrder = true;
  for (let i = 0; i < ids.length && inOrder; i++) {
    const id = ids[i]!;
    for (const src of reads.get(id)!) {
      if (!position.has(src)) {
        inOrder = false;
        break;
      }
    }
    position.set(id, i);
  }
  return inOrder ? ids : kahn(ids, reads);
}

function kahn(ids: readonly string[], reads: ReadonlyMap<string, readonly string[]>): string[] {
  const indeg = new Map<string, number>();
  const out = new Map<string, string[]>();
  for (const id of ids) {
    indeg.set(id, 0);
    out.set(id, []);
  }
  for (const id of ids) {
    for (const src of reads.get(id)!) {
      indeg.set(id, indeg.get(id)! + 1);
      out.get(src)!.push(id);
    }
  }
  const queue = ids.filter((id) => indeg.get(id) === 0);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    order.push(id);
    for (const next of out.get(id)!) {
      const d = indeg.get(next)! - 1;
      indeg.set(next, d);
      if (d === 0) queue.push(next);
    }
  }
  if (order.length !== ids.length) {
    const stuck = ids.filter((id) => indeg.get(id)! > 0);
    fail("cycle", `The graph has a cycle through ${stuck.slice(0, 6).map((s) => `"${s}"`).join(", ")}${stuck.length > 6 ? ", …" : ""}; a node may only read nodes built before it.`, stuck);
  }
  return order;
}
