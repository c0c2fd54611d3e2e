/**
 * Validation: the only way plain data becomes a {@link Graph}. Each check throws a
 * {@link GraphError} whose message names the offending node and says how to fix it.
 */
import { ArgumentError, GraphError, unknownName } from "../errors.js";
import { closest, escapeText, kindOf, quote, show } from "../messages.js";
import { ACTIVATIONS, isActivation } from "../registry/activations.js";
import { COST_TABLE, COSTS, type CostName, checkOutputActivation, isCost } from "../registry/costs.js";
import { generated, layerNodes, sameLayerNode } from "./layer-nodes.js";
import type { ANode, CostNode, Graph, GraphData, GraphNode, LayerInfo, NodeKind, ZNode } from "./types.js";

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
  if (typeof graph !== "object" || graph === null || typeof graph.nodes !== "object" || graph.nodes === null) {
    throw new GraphError("invalid-graph", `A graph is an object with a \`nodes\` table; got ${kindOf(graph)}.`, graph);
  }
  const n = typeof id === "string" && Object.hasOwn(graph.nodes, id) ? graph.nodes[id] : undefined;
  if (n === undefined)
    throw new GraphError(
      "dangling-input",
      `No node ${typeof id === "string" ? quote(id) : show(id)} in this graph.`,
      id,
    );
  return n;
}

/**
 * The node `id` of a valid graph, which must be of one of `kinds`; an ArgumentError otherwise,
 * with the closest name of that kind as a hint. `what` words the message ("parameter", "node").
 */
export function nodeArgument(graph: Graph, id: unknown, kinds: readonly NodeKind[], what: string): GraphNode {
  const idx = graphIndex(graph);
  if (!Array.isArray(kinds)) kinds = ["input", "target", "param", "z", "a", "cost"];
  what = typeof what === "string" && what.length > 0 ? escapeText(what.slice(0, 40)) : "node";
  const n = typeof id === "string" && Object.hasOwn(graph.nodes, id) ? graph.nodes[id]! : undefined;
  if (n !== undefined && kinds.includes(n.kind)) return n;
  const pool =
    kinds.length === 1 && kinds[0] === "param"
      ? idx.params
      : idx.order.filter((i) => kinds.includes(graph.nodes[i]!.kind));
  const close = typeof id === "string" ? closest(id, pool.length <= 5000 ? pool : pool.slice(0, 5000)) : undefined;
  const given = typeof id === "string" ? quote(id) : `${show(id)} (an id is text)`;
  const listed = `${pool
    .slice(0, 6)
    .map((i) => (i.length > 40 ? quote(i, 40) : i))
    .join(", ")}${pool.length > 6 ? `, … (${pool.length} in all)` : ""}`;
  const is =
    n !== undefined
      ? ` ${given} is ${n.kind === "a" || n.kind === "input" ? "an" : "a"} ${n.kind} node.`
      : ` There is no ${what} ${given} in this graph.`;
  throw new ArgumentError(
    kinds.includes("param") ? "unknown-parameter" : "invalid-argument",
    `${is.trim()}${close !== undefined ? ` Did you mean "${close}"?` : ""} ${what[0]!.toUpperCase()}${what.slice(1)}s: ${listed || "none"}.`,
    id,
  );
}

/** The id of a parameter of the graph, or an ArgumentError with the closest parameter. */
export function paramArgument(graph: Graph, id: unknown): string {
  return nodeArgument(graph, id, ["param"], "parameter").id;
}

function fail(code: ConstructorParameters<typeof GraphError>[0], message: string, value?: unknown): never {
  throw new GraphError(code, message, value);
}

/** An object that is not an array or null. */
const isRecord = (v: unknown): v is { readonly [key: string]: unknown } =>
  typeof v === "object" && v !== null && !Array.isArray(v);
/** A list of strings, holes of a sparse array counted as not strings. */
function isIdList(v: unknown): v is readonly string[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== "string") return false;
  return true;
}

function check(data: GraphData): GraphIndex {
  if (!isRecord(data) || !isRecord(data.nodes)) {
    fail(
      "invalid-graph",
      `A graph needs a \`nodes\` object mapping ids to nodes; got ${kindOf(data)} ${show(data, 40)}.`,
      data,
    );
  }
  if (data.layers !== null && !isRecord(data.layers)) {
    fail(
      "invalid-graph",
      `A graph's \`layers\` is null (a free-form DAG) or the layer info of a layered network; got ${kindOf(data.layers)}.`,
      data.layers,
    );
  }
  const nodes = data.nodes;
  const ids = Object.keys(nodes);
  const reads = new Map<string, string[]>();
  const costs: CostNode[] = [];
  for (const id of ids) checkShape(id, nodes[id]);
  // Softmax activation of each z, for group checks.
  const softmaxOf = new Map<string, ANode>();
  for (const n of Object.values(nodes)) if (n.kind === "a" && n.activation === "softmax") softmaxOf.set(n.z, n);

  const expect = (from: string, id: string, kinds: readonly GraphNode["kind"][], role: string): void => {
    const n = Object.hasOwn(nodes, id) ? nodes[id] : undefined;
    if (n === undefined) {
      fail(
        "dangling-input",
        `Node ${quote(from)} reads ${quote(id)} as its ${role}, but there is no node ${quote(id)}. Add it first or fix the name.`,
        id,
      );
    }
    if (!kinds.includes(n.kind)) {
      fail(
        "invalid-graph",
        `Node ${quote(from)} reads ${quote(id)} as its ${role}, which must be ${kinds.join(" or ")}, not ${n.kind}.`,
        id,
      );
    }
  };

  for (const id of ids) {
    const n = nodes[id]!;
    const r: string[] = [];
    switch (n.kind) {
      case "input":
      case "target":
      case "param":
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
    }
    reads.set(id, r);
  }
  if (costs.length !== 1) {
    fail(
      "invalid-graph",
      costs.length === 0
        ? 'The graph has no cost node; add one (e.g. builder.cost("mse", outputs, targets)).'
        : `The graph has ${costs.length} cost nodes; it needs exactly one.`,
    );
  }
  const order = topoOrder(ids, reads);
  // Ids by kind, in one pass.
  const kinds: Record<GraphNode["kind"], string[]> = { input: [], target: [], param: [], z: [], a: [], cost: [] };
  for (const id of order) kinds[nodes[id]!.kind].push(id);
  if (data.layers !== null) checkLayers(data, costs[0]!);
  return {
    order,
    cost: costs[0]!,
    inputs: kinds.input,
    targets: kinds.target,
    params: kinds.param,
    zs: kinds.z,
    as: kinds.a,
  };
}

/** The fields of one node have the right types (before any node reads another). */
function checkShape(id: string, n: unknown): asserts n is GraphNode {
  const at = quote(id);
  if (!isRecord(n))
    fail("invalid-graph", `Node ${at} is ${kindOf(n)}; a node is an object such as { kind: "input", id: ${at} }.`, id);
  if (n.id !== id) fail("invalid-graph", `Node stored under ${at} says its id is ${show(n.id)}; they must match.`, id);
  if (id.length === 0) fail("invalid-graph", "Node ids must be non-empty strings.", id);
  const label = n.label;
  if (label !== undefined) {
    const ok =
      isRecord(label) &&
      Number.isInteger(label.j) &&
      (label.layer === undefined || Number.isInteger(label.layer)) &&
      (label.k === undefined || Number.isInteger(label.k));
    if (!ok)
      fail("invalid-graph", `Node ${at} has label ${show(label)}; a label is { layer?, j, k? } of whole numbers.`, id);
  }
  const strings = (field: string, what: string) => {
    if (!isIdList(n[field]))
      fail("invalid-graph", `Node ${at} needs ${what} as a list of node ids; its ${field} is ${show(n[field])}.`, id);
  };
  switch (n.kind) {
    case "input":
    case "target":
      return;
    case "param":
      if (n.role !== "weight" && n.role !== "bias")
        fail("invalid-graph", `Parameter ${at} has role ${show(n.role)}; use "weight" or "bias".`, id);
      return;
    case "z": {
      const terms = n.terms;
      if (!Array.isArray(terms))
        fail("invalid-graph", `z node ${at} needs a list of terms [{ param, input }]; got ${show(terms)}.`, id);
      for (let i = 0; i < terms.length; i++) {
        const t: unknown = terms[i];
        if (!isRecord(t) || typeof t.param !== "string" || typeof t.input !== "string") {
          fail(
            "invalid-graph",
            `Term ${i + 1} of z node ${at} must be { param, input } with two node ids; got ${show(t)}.`,
            id,
          );
        }
      }
      if (n.bias !== null && typeof n.bias !== "string")
        fail("invalid-graph", `The bias of z node ${at} is a parameter id or null; got ${show(n.bias)}.`, id);
      return;
    }
    case "a":
      if (!isActivation(n.activation)) throw unknownName("activation", n.activation, ACTIVATIONS);
      if (typeof n.z !== "string")
        fail("invalid-graph", `a node ${at} reads a weighted sum: its z is a node id; got ${show(n.z)}.`, id);
      if (n.group !== null) strings("group", "its softmax group (or null)");
      return;
    case "cost":
      if (!isCost(n.cost)) throw unknownName("cost", n.cost, COSTS);
      strings("outputs", "its outputs");
      strings("targets", "its targets");
      if (typeof n.l2 !== "number")
        fail("invalid-graph", `L2 strength must be a finite number ≥ 0, got ${show(n.l2)}.`, n.l2);
      return;
    default:
      fail(
        "invalid-graph",
        `Node ${at} has unknown kind ${show(n.kind)}; kinds are input, target, param, z, a, cost.`,
        id,
      );
  }
}

/**
 * A graph that says it is layered must be exactly the layered network its layer info describes
 * (which is how the matrix form and the printers read it).
 */
function checkLayers(data: GraphData, cost: CostNode): void {
  const info = data.layers as LayerInfo;
  if (generated.has(data.nodes)) return;
  const sizes: unknown = info.sizes;
  const acts: unknown = info.activations;
  const shaped =
    Array.isArray(sizes) &&
    sizes.length >= 2 &&
    sizes.every((n) => Number.isInteger(n) && n >= 1) &&
    Array.isArray(acts) &&
    acts.length === sizes.length - 1 &&
    acts.every((a) => isActivation(a)) &&
    typeof info.bias === "boolean";
  if (!shaped) {
    fail(
      "invalid-graph",
      `The layer info must be { sizes, activations (one per non-input layer), bias }; got ${show(info)}. Use null for a free-form DAG.`,
      info,
    );
  }
  const want = layerNodes(info, cost.cost, cost.l2);
  const wantIds = Object.keys(want);
  const odd =
    wantIds.find((id) => !Object.hasOwn(data.nodes, id) || !sameLayerNode(want[id]!, data.nodes[id]!)) ??
    (wantIds.length !== Object.keys(data.nodes).length
      ? Object.keys(data.nodes).find((id) => !Object.hasOwn(want, id))
      : undefined);
  if (odd !== undefined) {
    fail(
      "invalid-graph",
      `The nodes are not the ${info.sizes.join("-")} layered network the layer info describes (node ${quote(odd)} differs); use layered() to build one, or layers: null for a free-form DAG.`,
      odd,
    );
  }
}

type Expect = (from: string, id: string, kinds: readonly GraphNode["kind"][], role: string) => void;

function checkZ(n: ZNode, expect: Expect, r: string[]): void {
  if (n.terms.length === 0 && n.bias === null)
    fail("invalid-graph", `z node ${quote(n.id)} has no terms and no bias; give it at least one weighted input.`, n.id);
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
  expect(n.id, n.z, ["z"], "weighted sum");
  if (n.activation === "softmax") {
    if (n.group === null || !n.group.includes(n.z)) {
      fail(
        "invalid-graph",
        `softmax node ${quote(n.id)} needs a group of z nodes that includes its own z ${quote(n.z)}.`,
        n.id,
      );
    }
    if (n.group.length < 2) {
      fail(
        "invalid-graph",
        `softmax node ${quote(n.id)} runs over one z node, where it is always 1 and has no gradient; give the group two or more z nodes, or use sigmoid for a single output.`,
        n.id,
      );
    }
    if (new Set(n.group).size !== n.group.length) {
      fail(
        "invalid-graph",
        `softmax group of ${quote(n.id)} lists a z node twice; each z of the group appears once.`,
        n.id,
      );
    }
    for (const zid of n.group) {
      expect(n.id, zid, ["z"], "softmax group member");
      r.push(zid);
    }
    // Every z of the group must carry a softmax a with the same group.
    for (const zid of n.group) {
      const partner = softmaxOf.get(zid);
      if (partner === undefined || !sameList(partner.group, n.group)) {
        fail(
          "invalid-graph",
          `softmax group of ${quote(n.id)} includes ${quote(zid)}, which has no softmax activation over the same group; build softmax groups with builder.softmax().`,
          n.id,
        );
      }
    }
  } else {
    if (n.group !== null)
      fail("invalid-graph", `Only softmax nodes have a group; ${quote(n.id)} is ${n.activation}.`, n.id);
    r.push(n.z);
  }
}

function checkCost(
  n: CostNode,
  nodes: GraphData["nodes"],
  softmaxOf: ReadonlyMap<string, ANode>,
  expect: Expect,
  r: string[],
): void {
  if (n.outputs.length === 0)
    fail("invalid-graph", `Cost ${quote(n.id)} has no outputs; pass the output activations.`, n.id);
  const twice = (list: readonly string[]) => list.find((x, i) => list.indexOf(x) !== i);
  const again = twice(n.outputs) ?? twice(n.targets);
  if (again !== undefined)
    fail(
      "invalid-graph",
      `Cost ${quote(n.id)} lists ${quote(again)} twice; each output and each target appears once.`,
      again,
    );
  if (n.outputs.length !== n.targets.length) {
    fail(
      "invalid-graph",
      `Cost ${quote(n.id)} has ${n.outputs.length} outputs but ${n.targets.length} targets; pair each output with one target.`,
      n.id,
    );
  }
  if (!Number.isFinite(n.l2) || n.l2 < 0)
    fail("invalid-graph", `L2 strength must be a finite number ≥ 0, got ${n.l2}.`, n.l2);
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
    for (const o of n.outputs) checkOutputActivation(rec.name, (nodes[o] as ANode).activation, quote(o), o);
    if (rec.requires === "softmax") {
      // Every member of each output softmax group must be an output.
      for (const o of n.outputs) {
        for (const zid of (nodes[o] as ANode).group ?? []) {
          const member = softmaxOf.get(zid);
          if (member !== undefined && !n.outputs.includes(member.id)) {
            fail(
              "invalid-graph",
              `cross-entropy needs the whole softmax group as outputs; ${quote(member.id)} is missing.`,
              member.id,
            );
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
    fail(
      "cycle",
      `The graph has a cycle through ${stuck
        .slice(0, 6)
        .map((s) => quote(s))
        .join(", ")}${stuck.length > 6 ? ", …" : ""}; a node may only read nodes built before it.`,
      stuck,
    );
  }
  return order;
}
