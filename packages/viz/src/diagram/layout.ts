/**
 * Where things go in a network diagram, shared by the SVG and TikZ renderers: one column per layer
 * (or per depth, for a free-form DAG), each neuron drawn expanded into its z and a as in the post,
 * bias units, the cost J, edges carrying their parameters, and the chosen parameter's paths.
 * A softmax group's activations get a column of their own, each fed by every z of the group, so
 * the cross-links z_j → a_i are edges like any other. Wide layers show their first two neurons,
 * ⋮, and the last. An edge runs straight unless a unit is in its way; then it bows around.
 */
import { type ANode, type Graph, graphIndex, paths, type ZNode } from "@chainrule/core";
import { type PathColour, pathColour } from "../colours.js";
import { shownIndices } from "../latex/tensor.js";
import { type Box, boundsOf, inflate, polyline, polylineHitsBox, type Route } from "./geometry.js";

/** What a unit of the picture is. */
export type UnitKind =
  /** an input x (a circle) */
  | "input"
  /** a neuron: its z and a side by side in one pill */
  | "neuron"
  /** a z alone (a member of a softmax group) */
  | "sum"
  /** an a alone (a softmax output, fed by every z of its group) */
  | "activation"
  /** the constant 1 that biases multiply (a dashed circle) */
  | "bias"
  /** the cost J (a circle) */
  | "cost"
  /** ⋮ for the neurons a wide layer leaves out */
  | "gap";

/** A box or circle of the diagram. */
export interface Unit {
  /** Unique id within the layout: a node id of the graph, or "bias:…", "gap:…". */
  readonly id: string;
  readonly kind: UnitKind;
  /** Centre. */
  readonly x: number;
  readonly y: number;
  /** Half width and half height of its outline (for a circle, its radius twice). */
  readonly hw: number;
  readonly hh: number;
  /** The z and a node ids it shows (a neuron both, a sum its z, an activation its a). */
  readonly z?: string;
  readonly a?: string;
}

/** A line from one unit to another, carrying parameters (none for a → J or z → a). */
export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly params: readonly string[];
  /** Where it runs. */
  readonly route: Route;
}

/** One highlighted path: the unit-to-unit hops it takes, in its colour. */
export interface Highlight {
  readonly colour: PathColour;
  /** Edges by "from→to"; a z → a hop inside a neuron is listed by the neuron's id twice. */
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
  /** Units a wide layer leaves out, each with the ⋮ that stands for it. */
  readonly hidden: ReadonlyMap<string, string>;
}

/** Options of a diagram. */
export interface DiagramOptions {
  /** Parameter whose paths are drawn in the chain colours. */
  readonly param?: string | null;
  /** Layers wider than this show 1, 2, ⋮, n. Default 4; Infinity shows all. */
  readonly threshold?: number;
  /** Paths highlighted at most. Default 4. */
  readonly maxPaths?: number;
  /**
   * The rows this many times further apart (default 1, at least 1): more room between the edges
   * of a gap for labels set larger (a picture printed small, see the scene's `textScale`).
   */
  readonly rowSpread?: number;
}

/** Sizes of the drawing, in SVG pixels. */
export const GEOMETRY = {
  /** Between the centres of neighbouring columns. */
  column: 176,
  /** From a softmax group's z column to its a column. */
  softmaxColumn: 104,
  /** From the last column to the cost. */
  costGap: 104,
  /** Between the centres of neighbouring rows. */
  row: 84,
  neuronWidth: 80,
  neuronHeight: 32,
  /** Width of a z or an a drawn alone. */
  halfNeuronWidth: 48,
  radius: 16,
  biasRadius: 11,
  margin: 30,
  /** Room for the bias units above the first row. */
  biasRow: 56,
  /** Edges keep this far from units they do not end at. */
  clearance: 6,
} as const;

const G = GEOMETRY;

/** The unit a node is drawn in: a neuron for its z and (non-softmax) a, else the node itself. */
function unitOfNode(graph: Graph): (id: string) => string {
  return (id) => {
    const n = graph.nodes[id]!;
    return n.kind === "a" && n.activation !== "softmax" ? n.z : id;
  };
}

/** Lays out a graph. */
export function layout(graph: Graph, options: DiagramOptions = {}): Layout {
  const threshold = options.threshold ?? 4;
  const idx = graphIndex(graph);
  const unitOf = unitOfNode(graph);
  const isSoftmax = (id: string) => {
    const n = graph.nodes[id]!;
    return n.kind === "a" && n.activation === "softmax";
  };
  // Column of each unit: inputs 0, a z one more than the deepest unit it reads, a softmax a one
  // more than the deepest z of its group.
  const column = new Map<string, number>();
  for (const id of idx.inputs) column.set(id, 0);
  const drawn: string[] = [...idx.inputs];
  for (const id of idx.order) {
    const n = graph.nodes[id]!;
    if (n.kind === "z") column.set(id, 1 + Math.max(0, ...n.terms.map((t) => column.get(unitOf(t.input)) ?? 0)));
    else if (n.kind === "a" && n.activation === "softmax")
      column.set(id, 1 + Math.max(0, ...(n as ANode).group!.map((z) => column.get(z) ?? 0)));
    else continue;
    drawn.push(id);
  }
  const last = Math.max(1, ...column.values());
  const columns: string[][] = Array.from({ length: last + 1 }, () => []);
  for (const id of drawn) columns[column.get(id)!]!.push(id);
  // Shown rows of each column: wide columns elided with a gap.
  const shown = columns.map((c) => shownIndices(c.length, threshold).map((i) => (i === null ? null : c[i - 1]!)));
  const rows = Math.max(1, ...shown.map((c) => c.length));
  // x of each column: a column of softmax outputs sits closer to its z column
  const xs: number[] = [];
  columns.forEach((c, ci) => {
    const step = c.length > 0 && c.every(isSoftmax) ? G.softmaxColumn : G.column;
    xs.push(ci === 0 ? G.margin + G.radius : xs[ci - 1]! + step);
  });
  const hasBias = idx.zs.some((z) => (graph.nodes[z] as ZNode).bias !== null);
  const top = G.margin + (hasBias ? G.biasRow : 0);
  const rowStep = G.row * Math.max(1, options.rowSpread ?? 1);
  const units: Unit[] = [];
  const visible = new Set<string>();
  const hidden = new Map<string, string>();
  columns.forEach((c, ci) => {
    for (const id of c) if (!shown[ci]!.includes(id)) hidden.set(id, `gap:${ci}`);
  });
  shown.forEach((c, ci) => {
    const offset = ((rows - c.length) * rowStep) / 2;
    c.forEach((id, r) => {
      const x = xs[ci]!;
      const y = top + offset + r * rowStep + rowStep / 2;
      if (id === null) {
        units.push({ id: `gap:${ci}`, kind: "gap", x, y, hw: 8, hh: 12 });
        return;
      }
      visible.add(id);
      const n = graph.nodes[id]!;
      if (n.kind === "input") units.push({ id, kind: "input", x, y, hw: G.radius, hh: G.radius });
      else if (n.kind === "a")
        units.push({ id, kind: "activation", x, y, hw: G.halfNeuronWidth / 2, hh: G.neuronHeight / 2, a: id });
      else {
        const a = idx.as.find((aid) => (graph.nodes[aid] as ANode).z === id);
        const alone = a === undefined || isSoftmax(a);
        if (alone) units.push({ id, kind: "sum", x, y, hw: G.halfNeuronWidth / 2, hh: G.neuronHeight / 2, z: id });
        else {
          units.push({ id, kind: "neuron", x, y, hw: G.neuronWidth / 2, hh: G.neuronHeight / 2, z: id, a });
          visible.add(a);
        }
      }
    });
  });
  units.push({
    id: idx.cost.id,
    kind: "cost",
    x: xs[last]! + G.costGap,
    y: top + (rows * rowStep) / 2,
    hw: G.radius,
    hh: G.radius,
  });
  visible.add(idx.cost.id);
  // Bias units: one per column that has biases, above the gap before it.
  const biasUnit = (ci: number): string => {
    const id = `bias:${ci}`;
    if (!units.some((u) => u.id === id))
      units.push({
        id,
        kind: "bias",
        x: xs[ci - 1]! + 0.45 * (xs[ci]! - xs[ci - 1]!),
        y: G.margin + G.biasRadius,
        hw: G.biasRadius,
        hh: G.biasRadius,
      });
    return id;
  };
  const links: { from: string; to: string; params: string[] }[] = [];
  for (const z of idx.zs) {
    if (!visible.has(z)) continue;
    const n = graph.nodes[z] as ZNode;
    const byInput = new Map<string, string[]>();
    for (const t of n.terms) {
      const from = unitOf(t.input);
      if (!visible.has(from)) continue;
      byInput.set(from, [...(byInput.get(from) ?? []), t.param]);
    }
    for (const [from, ps] of byInput) links.push({ from, to: z, params: ps });
    if (n.bias !== null) links.push({ from: biasUnit(column.get(z)!), to: z, params: [n.bias] });
  }
  // a softmax output reads every z of its group: a_i = e^{z_i} / Σ_j e^{z_j}
  for (const a of idx.as) {
    if (!visible.has(a) || !isSoftmax(a)) continue;
    for (const z of (graph.nodes[a] as ANode).group!) if (visible.has(z)) links.push({ from: z, to: a, params: [] });
  }
  for (const o of idx.cost.outputs) {
    const from = unitOf(o);
    if (visible.has(from)) links.push({ from, to: idx.cost.id, params: [] });
  }
  const byId = new Map(units.map((u) => [u.id, u]));
  const columnsOf = unitColumns(units);
  const edges: Edge[] = links.map((e) => ({
    ...e,
    route: routeBetween(byId.get(e.from)!, byId.get(e.to)!, columnsOf),
  }));
  const param = options.param ?? null;
  const highlights = param === null ? [] : highlightsOf(graph, param, options.maxPaths ?? 4, column);
  return framed({ width: 0, height: 0, units, edges, highlights, param, hidden });
}

/** The outline box of a unit. */
export function unitBox(u: Unit): Box {
  return { x0: u.x - u.hw, y0: u.y - u.hh, x1: u.x + u.hw, y1: u.y + u.hh };
}

/** Units grouped by their x (a column, a bias unit, the cost), with the widest half width of each group. */
export interface UnitColumn {
  readonly x: number;
  readonly hw: number;
  readonly units: readonly Unit[];
}

/** The units of a layout grouped by x. */
export function unitColumns(units: readonly Unit[]): UnitColumn[] {
  const byX = new Map<number, Unit[]>();
  for (const u of units) byX.set(u.x, [...(byX.get(u.x) ?? []), u]);
  return [...byX].map(([x, us]) => ({ x, hw: Math.max(...us.map((u) => u.hw)), units: us }));
}

/**
 * The route from unit a's right side to unit b's left side: straight when that passes clear of
 * every other unit, else a bow over (or under) them, the smallest that clears them.
 */
export function routeBetween(a: Unit, b: Unit, columns: readonly UnitColumn[]): Route {
  const straight: Route = { x1: a.x + a.hw, y1: a.y, x2: b.x - b.hw, y2: b.y, control: null };
  const lo = Math.min(straight.x1, straight.x2);
  const hi = Math.max(straight.x1, straight.x2);
  const near = columns.filter((c) => c.x + c.hw > lo && c.x - c.hw < hi).flatMap((c) => c.units);
  const between = near
    .filter((u) => u !== a && u !== b && u.x + u.hw > lo && u.x - u.hw < hi)
    .map((u) => inflate(unitBox(u), G.clearance));
  const clear = (r: Route) => {
    const line = polyline(r, 24);
    return between.every((box) => !polylineHitsBox(line, box));
  };
  if (clear(straight)) return straight;
  const mid = (straight.x1 + straight.x2) / 2;
  for (let lift = 24; lift <= 2000; lift += 12) {
    const up: Route = { ...straight, control: { x: mid, y: Math.min(a.y, b.y) - lift } };
    if (clear(up)) return up;
    const down: Route = { ...straight, control: { x: mid, y: Math.max(a.y, b.y) + lift } };
    if (clear(down)) return down;
  }
  return straight;
}

/** Moves everything so that units and routes sit inside the margins, and sizes the picture to fit. */
function framed(l: Layout): Layout {
  const all = [
    ...l.units.flatMap((u) => [
      { x: u.x - u.hw, y: u.y - u.hh },
      { x: u.x + u.hw, y: u.y + u.hh },
    ]),
    ...l.edges.flatMap((e) => polyline(e.route, 24)),
  ];
  const b = boundsOf(all);
  const dy = Math.max(0, G.margin - b.y0);
  const moved = dy === 0 ? l : translate(l, 0, dy);
  return { ...moved, width: b.x1 + G.margin, height: b.y1 + dy + G.margin };
}

/** The layout moved by (dx, dy), its size grown by as much. */
export function translate(l: Layout, dx: number, dy: number): Layout {
  const r = (q: Route): Route => ({
    x1: q.x1 + dx,
    y1: q.y1 + dy,
    x2: q.x2 + dx,
    y2: q.y2 + dy,
    control: q.control === null ? null : { x: q.control.x + dx, y: q.control.y + dy },
  });
  return {
    ...l,
    width: l.width + dx,
    height: l.height + dy,
    units: l.units.map((u) => ({ ...u, x: u.x + dx, y: u.y + dy })),
    edges: l.edges.map((e) => ({ ...e, route: r(e.route) })),
  };
}

/** The hops of each listed path of ∂J/∂θ, from unit to unit. */
function highlightsOf(graph: Graph, param: string, max: number, column: ReadonlyMap<string, number>): Highlight[] {
  const unitOf = unitOfNode(graph);
  const out: Highlight[] = [];
  for (const path of paths(graph, param)) {
    if (out.length >= max) break;
    const hops: [string, string][] = [];
    // θ → z: the edge from the input θ weights (or the bias unit) into z
    const z1 = path[1]!;
    const zn = graph.nodes[z1] as ZNode;
    const term = zn.terms.find((t) => t.param === param);
    hops.push(term !== undefined ? [unitOf(term.input), z1] : [`bias:${column.get(z1)!}`, z1]);
    // then unit to unit: z → a inside a neuron is [neuron, neuron]; a → z′, a → J and a
    // softmax's z_j → a_i are edges
    for (let i = 1; i < path.length - 1; i++) hops.push([unitOf(path[i]!), unitOf(path[i + 1]!)]);
    out.push({ colour: pathColour(out.length), hops });
  }
  return out;
}
