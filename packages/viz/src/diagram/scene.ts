/**
 * Everything a network diagram draws, placed once for SVG and TikZ alike: the layout's units and
 * edges, the highlighted paths as strokes (each in its colour and dash pattern, side by side where
 * paths share an edge, a ring around a neuron for the z → a step), and every label with the box it
 * takes — unit labels inside their units, a parameter on its grey edge or beside its highlighted
 * one, and each path's number beside one of its own strokes.
 *
 * A place is taken only if its box meets no other label, no unit and no highlighted stroke, lies
 * inside the picture, and is nearer its own edge than any other edge; among those, one crossing
 * the fewest grey edges wins. The chosen parameter goes first and is always labelled, then the
 * path numbers; the other parameters a gap between two columns at a time, by a small search for
 * a place each where no two meet — all of the gap's, or (when they do not all fit, or there are
 * more than a dozen) none.
 */
import type { Graph } from "@chainrule/core";
import type { PathColour } from "../colours.js";
import type { NotationName } from "../latex/notation.js";
import {
  type Box,
  boundsOf,
  boxesOverlap,
  boxInside,
  distanceBoxToPolyline,
  distanceToPolyline,
  inflate,
  type Point,
  pointAt,
  polyline,
  polylineHitsBox,
  type Route,
  roundedRect,
  shifted,
  tangentAt,
} from "./geometry.js";
import {
  type DiagramOptions,
  GEOMETRY,
  type Layout,
  layout,
  routeBetween,
  translate,
  unitBox,
  unitColumns,
} from "./layout.js";
import { FONT, type LabelText, labelOf, labelPrinter, measure, plainLabel, type TextExtent } from "./text.js";

/** Options of a diagram's scene. */
export interface SceneOptions extends DiagramOptions {
  readonly notation?: NotationName;
  /**
   * The parameters' and path numbers' sizes as a multiple of {@link FONT}'s (default 1): a picture
   * printed smaller than its pixels (TikZ's, for a deep network) sets them larger, so that in print
   * they stay readable. The units' labels, which fill their units, keep their size; parameters
   * that no longer find room are left out as any are.
   */
  readonly textScale?: number;
}

/** Label sizes (px) of one scene: {@link FONT}'s, times its text scale. */
interface Sizes {
  readonly unit: number;
  readonly edge: number;
  readonly marker: number;
  /** The smallest a unit's label is fitted down to. */
  readonly least: number;
}

/** A label and where it goes. */
export interface PlacedLabel {
  readonly kind: "unit" | "edge" | "marker";
  readonly text: LabelText;
  /** Font size, px. */
  readonly size: number;
  readonly extent: TextExtent;
  /** Where the text starts (its left end) and its baseline. */
  readonly x: number;
  readonly baseline: number;
  /** The room it takes: the text and its white halo (a path number: its disc). */
  readonly box: Box;
  /** An edge label's edge ("from→to") and parameters. */
  readonly edge?: string;
  readonly params?: readonly string[];
  /** A path number's path (0-based) and colour. */
  readonly path?: number;
  readonly colour?: PathColour;
}

/** One highlighted stroke: a path's hop along an edge, or its ring around a neuron (z → a). */
export interface Stroke {
  /** The path (0-based) and its colour and dash pattern. */
  readonly path: number;
  readonly colour: PathColour;
  /** The hop, "from→to" (a ring: the neuron's id twice). */
  readonly hop: string;
  /** Where an edge hop runs (shifted beside the other paths on its edge), or null for a ring. */
  readonly route: Route | null;
  /** A ring's centre, half width and height, and corner radius. */
  readonly ring: {
    readonly x: number;
    readonly y: number;
    readonly hw: number;
    readonly hh: number;
    readonly r: number;
  } | null;
  /** The stroke's centre line as a polyline. */
  readonly points: readonly Point[];
}

/** A placed diagram. */
export interface Scene {
  readonly layout: Layout;
  readonly labels: readonly PlacedLabel[];
  readonly strokes: readonly Stroke[];
}

/** Stroke widths (px): grey edges, highlighted paths, and the spacing of paths sharing an edge. */
export const STROKE = { edge: 1, path: 2.5, spacing: 3.5, ringGap: 3 } as const;

/** Labels keep this far from each other, from units and from highlighted strokes (px). */
const HALO = 1.5;
/** Where along an edge a label may go, in order of preference. */
const ALONG = [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85];
/** The parameters of a gap between columns are labelled when it has at most this many. */
const MAX_GAP_LABELS = 12;

/** The scene of a graph's diagram. */
export function scene(graph: Graph, options: SceneOptions = {}): Scene {
  const printer = labelPrinter(graph, options.notation ?? "post");
  const k = Math.max(1, options.textScale ?? 1);
  // a unit's label already takes the height of its unit: only the parameters and path numbers grow
  const sizes: Sizes = { unit: FONT.unit, edge: FONT.edge * k, marker: FONT.marker * k, least: 8 };
  let l = layout(graph, options);
  const label = (ids: readonly string[], maxChars?: number) => labelOf(printer, ids, maxChars);
  let inside = unitLabels(l, label, sizes);
  // a long input name sits left of its circle: make room for it
  const left = Math.min(...inside.map((u) => u.box.x0));
  if (left < GEOMETRY.margin / 2) {
    l = translate(l, GEOMETRY.margin / 2 - left, 0);
    inside = unitLabels(l, label, sizes);
  }
  const strokes = strokesOf(l);
  const placer = new Placer(l, strokes, inside, sizes);
  const chosen = l.edges.filter((e) => l.param !== null && e.params.includes(l.param));
  const labelled = l.edges.filter((e) => e.params.length > 0 && !chosen.includes(e));
  const text = (e: Layout["edges"][number]) => labelOf(printer, e.params);
  // the chosen parameter's label always finds room: a long plain name is cut shorter until it does
  for (const e of chosen) {
    let spots = placer.candidates(e, text(e));
    // in a thicket of grey edges, beside its highlighted edge and nearer it than any other
    // highlighted one
    if (spots.length === 0) spots = placer.candidates(e, text(e), "highlighted edges");
    for (let max = FONT.maxChars - 1; spots.length === 0 && max >= 2 && text(e).style === "text"; max--)
      spots = placer.candidates(e, labelOf(printer, e.params, max), "highlighted edges");
    placer.take(spots[0]);
  }
  for (let i = 0; i < l.highlights.length; i++) placer.marker(i);
  // the other parameters, one gap between columns at a time (the edges into one column): all of
  // a gap's labels, or none of them
  const units = new Map(l.units.map((u) => [u.id, u]));
  const gaps = new Map<number, Layout["edges"][number][]>();
  for (const e of labelled) {
    const x = Math.round(units.get(e.to)!.x);
    gaps.set(x, [...(gaps.get(x) ?? []), e]);
  }
  for (const edges of [...gaps.entries()].sort((a, b) => a[0] - b[0]).map(([, es]) => es)) {
    if (edges.length + chosen.filter((e) => units.get(e.to)!.x === units.get(edges[0]!.to)!.x).length > MAX_GAP_LABELS)
      continue;
    const found = arrange(edges.map((e) => placer.candidates(e, text(e))));
    for (const label of found ?? []) placer.take(label);
  }
  return { layout: l, labels: placer.labels, strokes };
}

/** A label of `text` at `size` whose box is centred at (cx, cy), with `pad` of halo around it. */
function centred(
  kind: PlacedLabel["kind"],
  text: LabelText,
  size: number,
  cx: number,
  cy: number,
  pad = HALO,
): PlacedLabel {
  const e = measure(text, size);
  const h = e.ascent + e.descent;
  const box = { x0: cx - e.width / 2 - pad, y0: cy - h / 2 - pad, x1: cx + e.width / 2 + pad, y1: cy + h / 2 + pad };
  return { kind, text, size, extent: e, x: cx - e.width / 2, baseline: cy - h / 2 + e.ascent, box };
}

/**
 * The label of a node fitted to `width`: at the largest size up to `size` (not below `least`) at
 * which it fits, and a plain-text name cut shorter until it does.
 */
function fitted(
  label: (ids: readonly string[], maxChars?: number) => LabelText,
  id: string,
  size: number,
  width: number,
  least: number,
): { text: LabelText; size: number; cut: boolean } {
  let text = label([id]);
  const w = measure(text, size).width;
  if (w <= width) return { text, size, cut: false };
  const small = Math.max(least, Math.floor((size * width) / w));
  let cut = false;
  for (let max = FONT.maxChars - 1; measure(text, small).width > width && max >= 2; max--) {
    text = label([id], max);
    cut = true;
  }
  return { text, size: small, cut };
}

/** The largest size (px) of a line of text that stands inside a unit's height. */
function tallest(u: Layout["units"][number]): number {
  return (2 * u.hh) / (FONT.ascent + FONT.descent);
}

/** The labels inside (or, for a long input name, beside) the units. */
function unitLabels(
  l: Layout,
  label: (ids: readonly string[], maxChars?: number) => LabelText,
  sizes: Sizes,
): PlacedLabel[] {
  const out: PlacedLabel[] = [];
  for (const u of l.units) {
    switch (u.kind) {
      case "neuron": {
        // z in the left half, a in the right, each fitted to its half
        const room = u.hw - 6;
        for (const [id, cx] of [
          [u.z!, u.x - u.hw / 2],
          [u.a!, u.x + u.hw / 2],
        ] as const) {
          const f = fitted(label, id, sizes.unit, room, sizes.least);
          out.push(centred("unit", f.text, f.size, cx, u.y, 0));
        }
        break;
      }
      case "sum":
      case "activation": {
        const f = fitted(label, u.z ?? u.a!, sizes.unit, 2 * u.hw - 10, sizes.least);
        out.push(centred("unit", f.text, f.size, u.x, u.y, 0));
        break;
      }
      case "input":
      case "cost": {
        // inside the circle, a little smaller if need be; a long name left of it
        const t = label([u.id]);
        const f = fitted(label, u.id, sizes.unit, 2 * u.hw - 6, sizes.least);
        if (u.kind === "cost" || (!f.cut && f.size >= sizes.unit - 4))
          out.push(centred("unit", f.text, f.size, u.x, u.y, 0));
        else out.push(centred("unit", t, sizes.unit, u.x - u.hw - 5 - measure(t, sizes.unit).width / 2, u.y));
        break;
      }
      case "bias":
        out.push(centred("unit", plainLabel("1"), Math.min(sizes.unit * 0.9, tallest(u)), u.x, u.y, 0));
        break;
      case "gap":
        out.push(centred("unit", plainLabel("⋮", "\\vdots"), Math.min(sizes.unit, tallest(u)), u.x, u.y, 0));
        break;
    }
  }
  return out;
}

/** Paths sharing an edge run side by side, `STROKE.spacing` apart; this is path i of n's offset. */
export function spread(i: number, n: number): number {
  return (i - (n - 1) / 2) * STROKE.spacing;
}

/**
 * The highlighted strokes: each path's hops along edges, and a ring for each z → a inside a
 * neuron. A hop to or from a neuron a wide layer leaves out runs to or from its ⋮.
 */
function strokesOf(l: Layout): Stroke[] {
  const units = new Map(l.units.map((u) => [u.id, u]));
  const routes = new Map(l.edges.map((e) => [`${e.from}→${e.to}`, e.route]));
  const shown = (id: string) => l.hidden.get(id) ?? id;
  const hops = l.highlights.map((h) =>
    h.hops.flatMap(([a, b]): [string, string][] => (a === b && l.hidden.has(a) ? [] : [[shown(a), shown(b)]])),
  );
  const sharing = new Map<string, number>();
  for (const h of hops) for (const [a, b] of h) sharing.set(`${a}→${b}`, (sharing.get(`${a}→${b}`) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out: Stroke[] = [];
  l.highlights.forEach((h, path) => {
    for (const [a, b] of hops[path]!) {
      const key = `${a}→${b}`;
      const i = seen.get(key) ?? 0;
      seen.set(key, i + 1);
      if (a === b) {
        const u = units.get(a);
        if (u === undefined || u.kind === "gap") continue;
        const d = STROKE.ringGap + STROKE.spacing * i;
        const ring = { x: u.x, y: u.y, hw: u.hw + d, hh: u.hh + d, r: u.hh + d };
        out.push({
          path,
          colour: h.colour,
          hop: key,
          route: null,
          ring,
          points: roundedRect(ring.x, ring.y, ring.hw, ring.hh, ring.r),
        });
        continue;
      }
      const from = units.get(a);
      const to = units.get(b);
      if (from === undefined || to === undefined) continue;
      if (!routes.has(key)) routes.set(key, routeBetween(from, to, unitColumns(l.units)));
      const r = routes.get(key)!;
      const route = shifted(r, spread(i, sharing.get(key)!));
      out.push({ path, colour: h.colour, hop: key, route, ring: null, points: polyline(route) });
    }
  });
  return out;
}

/** A polyline with its bounding box, for quick rejection. */
interface Line {
  readonly key: string;
  readonly points: readonly Point[];
  readonly bounds: Box;
}

const lineOf = (key: string, points: readonly Point[]): Line => ({ key, points, bounds: boundsOf(points) });

/** Finds places for labels, each clear of everything placed before it. */
class Placer {
  readonly labels: PlacedLabel[];
  private readonly frame: Box;
  /** Boxes no label may meet: the units. */
  private readonly solid: Box[];
  /** Strokes no label may cross: the highlighted paths. */
  private readonly hot: Line[];
  /** Every edge's centre line (grey), by "from→to". */
  private readonly edges: Line[];
  private readonly edgeByKey: Map<string, Line>;

  constructor(
    l: Layout,
    private readonly strokes: readonly Stroke[],
    units: readonly PlacedLabel[],
    private readonly sizes: Sizes,
  ) {
    this.labels = [...units];
    this.frame = { x0: 2, y0: 2, x1: l.width - 2, y1: l.height - 2 };
    this.solid = l.units.map((u) => inflate(unitBox(u), HALO + 1));
    this.hot = strokes.map((s) => lineOf(s.hop, s.points));
    this.edges = l.edges.map((e) => lineOf(`${e.from}→${e.to}`, polyline(e.route)));
    this.edgeByKey = new Map(this.edges.map((e) => [e.key, e]));
  }

  /** Whether a box is free: inside the picture, clear of units, labels and highlighted strokes. */
  private free(box: Box): boolean {
    if (!boxInside(box, this.frame)) return false;
    if (this.solid.some((s) => boxesOverlap(s, box))) return false;
    if (this.labels.some((p) => boxesOverlap(p.box, box))) return false;
    const stroke = inflate(box, STROKE.path / 2);
    return !this.hot.some((h) => boxesOverlap(h.bounds, stroke) && polylineHitsBox(h.points, stroke));
  }

  /** How many grey edges (other than `own`) run through a box. */
  private crossings(box: Box, own: string | null): number {
    return this.edges.filter((e) => e.key !== own && boxesOverlap(e.bounds, box) && polylineHitsBox(e.points, box))
      .length;
  }

  /** The nearest of some lines (but `except`) to a point, within `limit`. */
  private nearest(
    p: Point,
    lines: readonly Line[],
    limit: number,
    except: Line | null = null,
  ): { line: Line | null; d: number } {
    let best: Line | null = null;
    let d = limit;
    for (const line of lines) {
      if (line === except) continue;
      const b = line.bounds;
      if (p.x < b.x0 - d || p.x > b.x1 + d || p.y < b.y0 - d || p.y > b.y1 + d) continue;
      const dd = distanceToPolyline(p, line.points);
      if (dd < d) {
        d = dd;
        best = line;
      }
    }
    return { line: best, d };
  }

  /**
   * Spots beside a route for a label of this size: a few places along it, on either side (above
   * first), a little further out each round. `half` is half the width of what is drawn along it.
   */
  private *spots(
    route: Route,
    w: number,
    h: number,
    half: number,
    gaps: readonly number[] = [2, 5, 9, 14],
  ): Generator<Point> {
    for (const gap of gaps) {
      for (const t of ALONG) {
        const p = pointAt(route, t);
        const d = tangentAt(route, t);
        const above = d.x >= 0 ? { x: d.y, y: -d.x } : { x: -d.y, y: d.x };
        for (const n of [above, { x: -above.x, y: -above.y }]) {
          const reach = half + gap + Math.abs(n.x) * (w / 2) + Math.abs(n.y) * (h / 2);
          yield { x: p.x + n.x * reach, y: p.y + n.y * reach };
        }
      }
    }
  }

  /**
   * The free spots for an edge's parameter label, best first: a grey edge's label sits on the
   * edge, where as few other edges as can be run through it and none near its middle; a
   * highlighted edge's label goes beside it (it may not cover the strokes), nearer it than any
   * other edge. Free means clear of units, highlighted strokes and the labels placed so far.
   */
  candidates(
    e: Layout["edges"][number],
    text: LabelText,
    among: "every edge" | "highlighted edges" = "every edge",
  ): PlacedLabel[] {
    const key = `${e.from}→${e.to}`;
    const own = this.edgeByKey.get(key)!;
    const k = this.strokes.filter((s) => s.hop === key).length;
    const probe = centred("edge", text, this.sizes.edge, 0, 0);
    const w = probe.box.x1 - probe.box.x0;
    const h = probe.box.y1 - probe.box.y0;
    // the edges a label must be nearer its own edge than
    const rivals =
      among === "every edge" ? this.edges : this.edges.filter((x) => this.strokes.some((s) => s.hop === x.key));
    const found: { label: PlacedLabel; crossings: number; order: number }[] = [];
    // margin: how much nearer its own edge than any rival a label's middle must be; a label
    // beside an edge also has that edge nearest its box
    const consider = (c: Point, margin: number, rank: number) => {
      const label: PlacedLabel = { ...centred("edge", text, this.sizes.edge, c.x, c.y), edge: key, params: e.params };
      if (!this.free(label.box)) return;
      const mine = distanceToPolyline(c, own.points);
      if (this.nearest(c, rivals, mine + margin, own).line !== null) return;
      if (rank > 0 || k > 0) {
        const gap = distanceBoxToPolyline(label.box, own.points);
        const reach = inflate(label.box, gap + 1);
        if (
          rivals.some(
            (o) => o !== own && boxesOverlap(o.bounds, reach) && distanceBoxToPolyline(label.box, o.points) <= gap + 1,
          )
        )
          return;
      }
      found.push({ label, crossings: this.crossings(label.box, key), order: rank * 1000 + found.length });
    };
    const beside = this.spots(
      e.route,
      w,
      h,
      k === 0 ? STROKE.edge / 2 : ((k - 1) * STROKE.spacing + STROKE.path) / 2,
      k === 0 ? [2] : undefined,
    );
    if (k === 0) {
      for (const t of ALONG) consider(pointAt(e.route, t), h / 2, 0);
      // beside a grey edge only hard by it, and well nearer it than any other edge
      for (const c of beside) consider(c, h / 2, 1);
    } else for (const c of beside) consider(c, 0.5, 0);
    return found
      .sort(
        (a, b) => Math.sign(a.order - 999) - Math.sign(b.order - 999) || a.crossings - b.crossings || a.order - b.order,
      )
      .map((f) => f.label);
  }

  /** Places a label (nothing for none). */
  take(label: PlacedLabel | undefined): void {
    if (label !== undefined) this.labels.push(label);
  }

  /**
   * Places path i's number beside one of its own strokes (one no other path shares, if it has
   * one), nearer that stroke than any other path's.
   */
  marker(i: number): boolean {
    const own = this.strokes.filter((s) => s.path === i && s.route !== null);
    const shared = (s: Stroke) => this.strokes.filter((o) => o.hop === s.hop).length;
    const order = own.map((s, k) => ({ s, k })).sort((a, b) => shared(a.s) - shared(b.s) || b.k - a.k);
    const r = this.sizes.marker * 0.75;
    const text = plainLabel(String(i + 1));
    const hops = new Set(own.map((s) => s.hop));
    // first nearest one of its own strokes; else (paths drawn alike, through a ⋮) nearest a
    // bundle that holds one of them
    for (const strict of [true, false]) {
      for (const { s } of order) {
        for (const c of this.spots(s.route!, 2 * r, 2 * r, STROKE.path / 2)) {
          const box = { x0: c.x - r - HALO, y0: c.y - r - HALO, x1: c.x + r + HALO, y1: c.y + r + HALO };
          if (!this.free(box)) continue;
          const near = this.nearest(c, this.hot, Infinity).line;
          if (near === null || (strict ? !own.some((x) => x.points === near.points) : !hops.has(near.key))) continue;
          this.labels.push({
            ...centred("marker", text, this.sizes.marker, c.x, c.y, 0),
            box,
            path: i,
            colour: s.colour,
          });
          return true;
        }
      }
    }
    return false;
  }
}

/**
 * One label per edge from each edge's candidates, no two overlapping — or null if there is no
 * such choice (or the search runs too long). Backtracking, the edge with the fewest candidates
 * left first, each choice striking the candidates it overlaps from the other edges.
 */
export function arrange(candidates: readonly (readonly PlacedLabel[])[], budget = 20_000): PlacedLabel[] | null {
  let steps = 0;
  const chosen: (PlacedLabel | null)[] = candidates.map(() => null);
  const solve = (left: readonly (readonly PlacedLabel[])[]): boolean => {
    let pick = -1;
    for (let i = 0; i < left.length; i++)
      if (chosen[i] === null && (pick < 0 || left[i]!.length < left[pick]!.length)) pick = i;
    if (pick < 0) return true;
    for (const label of left[pick]!) {
      if (++steps > budget) return false;
      chosen[pick] = label;
      const next = left.map((c, i) => (chosen[i] !== null ? c : c.filter((o) => !boxesOverlap(o.box, label.box))));
      if (next.every((c, i) => chosen[i] !== null || c.length > 0) && solve(next)) return true;
      chosen[pick] = null;
    }
    return false;
  };
  return solve(candidates) ? (chosen as PlacedLabel[]) : null;
}
