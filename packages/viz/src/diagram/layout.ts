/**
 * Where things go in a network diagram, shared by the SVG and TikZ renderers: one column per layer
 * (or per depth, for a free-form DAG), each neuron drawn expanded into its z and a as in the post,
 * bias units, the cost J, edges carrying their parameters, and the chosen parameter's paths.
 * Wide layers show their first two neurons, ⋮, and the last.
 */
import { graphIndex, paths, type ANode, type Graph, type ZNode } from "@chainrule/core";
import { pathColour, type PathColour } from "../colours.js";
import { shownIndices } from "../latex/tensor.js";

/** A box or circle of the diagram. */
export interface Unit {
  /** Unique id within the layout: a node id of the graph, or "bias:…", "gap:…". */
  readonly id: string;
  readonly kind: "input" | "neuron" | "bias" | "cost" | "gap";
  /** Centre. */
  readonly x: number;
  readonly y: number;
  /** For a neuron: its z and a node ids. */
  readonly z?: string;
  readonly a?: string;
}

/** A line from one unit to another, carrying parameters (none for a → J). */
export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly params: readonly string[];
}

/** One highlighted path: the unit-to-unit hops it takes, in its colour. */
export interface Highlight {
  readonly colour: PathColour;
  /** Edges by "from→to"; "z→a" hops inside a neuron are listed by the neuron's id twice. */
  readonly hops: readonly (readonly [string, string])[];
}

/** A laid-out diagram. */
export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly units: readonly Unit[];
  readonly edges: readonly Edge[];
  readonly highlights: readonly Highlight[];
  /** The parameter whose paths are highlighted. */
  readonly param: string | null;
}

/** Options of a diagram. */
export interface DiagramOptions {
  /** Parameter whose paths are drawn in the chain colours. */
  readonly param?: string | null;
  /** Layers wider than this show 1, 2, ⋮, n. Default 4; Infinity shows all. */
  readonly threshold?: number;
  /** Paths highlighted at most. Default 4. */
  readonly maxPaths?: number;
}

/** Sizes of the drawing, in SVG pixels. */
export const GEOMETRY = { column: 170, row: 64, neuronWidth: 92, neuronHeight: 30, radius: 15, margin: 36 } as const;

/** Lays out a graph. */
export function layout(graph: Graph, options: DiagramOptions = {}): Layout {
  const threshold = options.threshold ?? 4;
  const idx = graphIndex(graph);
  // Column of each node: inputs 0, a neuron one more than the deepest unit it reads.
  const column = new Map<string, number>();
  const neuronOf = new Map<string, string>(); // a node → its neuron (z) id
  for (const id of idx.inputs) column.set(id, 0);
  for (const id of idx.order) {
    const n = graph.nodes[id]!;
    if (n.kind === "z") column.set(id, 1 + Math.max(0, ...n.terms.map((t) => column.get(neuronOf.get(t.input) ?? t.input) ?? 0)));
    if (n.kind === "a") neuronOf.set(id, (n as ANode).z);
  }
  const last = Math.max(1, ...idx.zs.map((z) => column.get(z)!));
  const columns: string[][] = Array.from({ length: last + 1 }, () => []);
  for (const id of [...idx.inputs, ...idx.zs]) columns[column.get(id)!]!.push(id);
  // Shown rows of each column: wide columns elided with a gap.
  const shown = columns.map((c) => shownIndices(c.length, threshold).map((i) => (i === null ? null : c[i - 1]!)));
  const rows = Math.max(...shown.map((c) => c.length), idx.cost.outputs.length > 0 ? 1 : 0);
  const G = GEOMETRY;
  const hasBias = idx.zs.some((z) => (graph.nodes[z] as ZNode).bias !== null);
  const top = G.margin + (hasBias ? G.row * 0.8 : 0);
  const height = top + rows * G.row + G.margin / 2;
  const width = G.margin * 2 + (last + 1) * G.column + G.neuronWidth / 2;
  const units: Unit[] = [];
  const visible = new Set<string>();
  shown.forEach((c, ci) => {
    const offset = ((rows - c.length) * G.row) / 2;
    c.forEach((id, r) => {
      const x = G.margin + G.neuronWidth / 2 + ci * G.column;
      const y = top + offset + r * G.row + G.row / 2;
      if (id === null) units.push({ id: `gap:${ci}`, kind: "gap", x, y });
      else if (ci === 0) units.push({ id, kind: "input", x, y });
      else {
        const a = idx.as.find((aid) => (graph.nodes[aid] as ANode).z === id);
        units.push({ id, kind: "neuron", x, y, z: id, ...(a !== undefined ? { a } : {}) });
        if (a !== undefined) visible.add(a);
      }
      if (id !== null) visible.add(id);
    });
  });
  const cost = { id: idx.cost.id, kind: "cost" as const, x: G.margin + G.neuronWidth / 2 + (last + 1) * G.column - G.column / 3, y: top + (rows * G.row) / 2 };
  units.push(cost);
  visible.add(idx.cost.id);
  // Bias units: one per column that feeds biases, above the column before it.
  const edges: Edge[] = [];
  const biasUnit = (ci: number): string => {
    const id = `bias:${ci}`;
    if (!units.some((u) => u.id === id)) units.push({ id, kind: "bias", x: G.margin + G.neuronWidth / 2 + (ci - 1) * G.column + G.column * 0.45, y: G.margin });
    return id;
  };
  for (const z of idx.zs) {
    if (!visible.has(z)) continue;
    const n = graph.nodes[z] as ZNode;
    const byInput = new Map<string, string[]>();
    for (const t of n.terms) {
      const from = neuronOf.get(t.input) ?? t.input;
      if (!visible.has(from)) continue;
      byInput.set(from, [...(byInput.get(from) ?? []), t.param]);
    }
    for (const [from, ps] of byInput) edges.push({ from, to: z, params: ps });
    if (n.bias !== null) edges.push({ from: biasUnit(column.get(z)!), to: z, params: [n.bias] });
  }
  for (const o of idx.cost.outputs) {
    const from = neuronOf.get(o)!;
    if (visible.has(from)) edges.push({ from, to: idx.cost.id, params: [] });
  }
  const param = options.param ?? null;
  const highlights = param === null ? [] : highlightsOf(graph, param, options.maxPaths ?? 4, neuronOf, column);
  return { width, height, units, edges, highlights, param };
}

/** The hops of each listed path of ∂J/∂θ, from unit to unit. */
function highlightsOf(graph: Graph, param: string, max: number, neuronOf: ReadonlyMap<string, string>, column: ReadonlyMap<string, number>): Highlight[] {
  const out: Highlight[] = [];
  for (const path of paths(graph, param)) {
    if (out.length >= max) break;
    const hops: [string, string][] = [];
    // θ → z: the edge from the input θ weights (or the bias unit) into z
    const z1 = path[1]!;
    const zn = graph.nodes[z1] as ZNode;
    const term = zn.terms.find((t) => t.param === param);
    if (term !== undefined) hops.push([neuronOf.get(term.input) ?? term.input, z1]);
    else hops.push([`bias:${column.get(z1)!}`, z1]);
    for (let i = 1; i < path.length - 1; i++) {
      const from = path[i]!;
      const to = path[i + 1]!;
      const kind = graph.nodes[from]!.kind;
      // z → a inside a neuron; a → next z or J between units
      if (kind === "z") hops.push([from, neuronOf.get(to) ?? to]);
      else hops.push([neuronOf.get(from) ?? from, graph.nodes[to]!.kind === "a" ? neuronOf.get(to)! : to]);
    }
    out.push({ colour: pathColour(out.length), hops });
  }
  return out;
}
