/**
 * The network diagram as SVG: neurons expanded into z and a (as the post draws them), edges
 * labelled with their parameters, and the chosen parameter's paths in the chain colours.
 * Self-contained (no external fonts, images or links); every user string is escaped. Labels use
 * the document's notation: the printer's LaTeX, taken apart into base, subscript and superscript.
 */
import type { Graph } from "@chainrule/core";
import { MUTED } from "../colours.js";
import { escapeXml } from "../escape.js";
import type { NotationName } from "../latex/notation.js";
import { LatexPrinter } from "../latex/printer.js";
import { GEOMETRY, layout, type DiagramOptions, type Layout, type Unit } from "./layout.js";

/** Options of {@link networkSvg}. */
export interface SvgOptions extends DiagramOptions {
  readonly notation?: NotationName;
  /** Accessible title (user text, escaped). */
  readonly title?: string;
}

const G = GEOMETRY;

/** A label as plain text parts (user names stay as they are; SVG escapes them). */
export interface LabelParts {
  readonly base: string;
  readonly sup?: string;
  readonly sub?: string;
}

const LETTERS: { readonly [cmd: string]: string } = {
  "\\theta": "θ",
  "\\Theta": "Θ",
  "\\delta": "δ",
  "\\sigma": "σ",
  "\\lambda": "λ",
};

/** The notation's printer for a graph's labels. */
export function labelPrinter(graph: Graph, notation: NotationName = "post"): LatexPrinter {
  return new LatexPrinter(graph, { notation });
}

/**
 * Plain parts of a node's label: `\theta^{(1)}_{11}` → θ, (1), 11; `J(\theta)` → J. Labels that
 * are not of that simple shape (unusual user names) fall back to the node's id, verbatim.
 */
export function labelParts(printer: LatexPrinter, id: string): LabelParts {
  const tex = printer.node(id).replace(/\(\\theta\)$/, "");
  const m = /^(\\[A-Za-z]+|[A-Za-z]|\\mathrm\{([A-Za-z]+)\})(?:\^\{([^{}]*)\})?(?:_\{([^{}]*)\})?$/.exec(tex);
  if (m === null) return { base: id };
  const [, head, roman, sup, sub] = m;
  const base = roman ?? LETTERS[head!] ?? (head!.startsWith("\\") ? null : head!);
  if (base === null) return { base: id };
  return { base, ...(sup !== undefined ? { sup } : {}), ...(sub !== undefined ? { sub } : {}) };
}

const f = (v: number) => (Math.round(v * 10) / 10).toString();

/** The right and left anchor points of a unit, where edges leave and arrive. */
export function anchors(u: Unit): { readonly right: number; readonly left: number } {
  const half = u.kind === "neuron" ? G.neuronWidth / 2 : u.kind === "bias" ? G.radius * 0.7 : G.radius;
  return { right: u.x + half, left: u.x - half };
}

/** Where a line between two units runs; a line skipping columns bows upwards around the units between. */
export interface Segment {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** Control point of the bow (cubic, both control points here), or null for a straight line. */
  readonly control: { readonly x: number; readonly y: number } | null;
}

/** The segment from unit a to unit b, shifted by `offset` (parallel paths). */
export function segment(a: Unit, b: Unit, offset = 0): Segment {
  if (a.x === b.x) {
    // two units of one column (a softmax group): a bow on their right
    const x = anchors(a).right;
    return { x1: x, y1: a.y + offset, x2: x, y2: b.y + offset, control: { x: x + G.column * 0.3, y: (a.y + b.y) / 2 + offset } };
  }
  const x1 = anchors(a).right;
  const x2 = anchors(b).left;
  const y1 = a.y + offset;
  const y2 = b.y + offset;
  const skips = x2 - x1 > G.column * 1.2 && b.kind !== "cost";
  if (!skips) return { x1, y1, x2, y2, control: null };
  const lift = G.row * 0.55 + (x2 - x1) * 0.08;
  return { x1, y1, x2, y2, control: { x: (x1 + x2) / 2, y: Math.min(y1, y2) - lift } };
}

/** A segment as an SVG path. */
function pathOf(s: Segment): string {
  const c = s.control;
  return c === null
    ? `M${f(s.x1)} ${f(s.y1)}L${f(s.x2)} ${f(s.y2)}`
    : `M${f(s.x1)} ${f(s.y1)}C${f(c.x)} ${f(c.y)} ${f(c.x)} ${f(c.y)} ${f(s.x2)} ${f(s.y2)}`;
}

/**
 * The parameter labels of a diagram, SVG and TikZ alike: every edge's in small diagrams, else only
 * the chosen parameter's; placed near the sending end, where one unit's edges fan out and labels
 * do not collide.
 */
export function edgeLabels(l: Layout): { readonly params: readonly string[]; readonly at: { x: number; y: number } }[] {
  const units = new Map(l.units.map((u) => [u.id, u]));
  const labelled = l.edges.filter((e) => e.params.length > 0);
  return labelled.flatMap((e) => {
    const params = labelled.length <= 14 ? e.params : e.params.filter((p) => p === l.param);
    return params.length === 0 ? [] : [{ params, at: pointAt(segment(units.get(e.from)!, units.get(e.to)!), 0.3) }];
  });
}

/** The point at parameter t along a segment (for labels). */
export function pointAt(s: Segment, t: number): { x: number; y: number } {
  const c = s.control;
  if (c === null) return { x: s.x1 + t * (s.x2 - s.x1), y: s.y1 + t * (s.y2 - s.y1) };
  // cubic with both control points at c
  const u = 1 - t;
  const k = 3 * u * t;
  return { x: u * u * u * s.x1 + k * c.x + t * t * t * s.x2, y: u * u * u * s.y1 + k * c.y + t * t * t * s.y2 };
}

/** A hop's offset for path `i` of `n` sharing it, so parallel paths stay visible. */
export function spread(i: number, n: number): number {
  return (i - (n - 1) / 2) * 3.5;
}

/** Each highlighted hop with its colour and its place among the paths sharing it. */
export function hopsOf(l: Layout): { from: Unit; to: Unit; colour: string; offset: number }[] {
  const byKey = new Map<string, number>();
  for (const h of l.highlights) for (const [a, b] of h.hops) byKey.set(`${a}→${b}`, (byKey.get(`${a}→${b}`) ?? 0) + 1);
  const seen = new Map<string, number>();
  const units = new Map(l.units.map((u) => [u.id, u]));
  const out = [];
  for (const h of l.highlights) {
    for (const [a, b] of h.hops) {
      const from = units.get(a);
      const to = units.get(b);
      if (from === undefined || to === undefined) continue;
      const key = `${a}→${b}`;
      const i = seen.get(key) ?? 0;
      seen.set(key, i + 1);
      out.push({ from, to, colour: h.colour.hex, offset: spread(i, byKey.get(key)!) });
    }
  }
  return out;
}

/** A label as SVG text: base, then subscript, then superscript (a₁⁽²⁾, as the post writes a_1^{(2)}). */
function text(x: number, y: number, p: LabelParts, extra = ""): string {
  const sub = p.sub !== undefined ? `<tspan dy="4" font-size="72%">${escapeXml(p.sub)}</tspan>` : "";
  const sup = p.sup !== undefined ? `<tspan dy="${p.sub !== undefined ? -11 : -6}" font-size="72%">${escapeXml(p.sup)}</tspan>` : "";
  return `<text x="${f(x)}" y="${f(y + 4)}" text-anchor="middle"${extra}>${escapeXml(p.base)}${sub}${sup}</text>`;
}

/** The network diagram of a graph as an SVG document. */
export function networkSvg(graph: Graph, options: SvgOptions = {}): string {
  const l = layout(graph, options);
  const printer = labelPrinter(graph, options.notation ?? "post");
  const units = new Map(l.units.map((u) => [u.id, u]));
  const out: string[] = [];
  const title = options.title ?? "Network diagram";
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f(l.width)} ${f(l.height)}" width="${f(l.width)}" height="${f(l.height)}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>text{font-family:"Latin Modern Roman","Times New Roman",Times,serif;font-size:13px;font-style:italic;fill:#222}.p{font-size:10px}</style>`,
    `<rect width="100%" height="100%" fill="white"/>`,
  );
  // Edges, grey.
  out.push(`<g stroke="${MUTED.hex}" stroke-width="1" fill="none">`);
  for (const e of l.edges) {
    const a = units.get(e.from)!;
    const b = units.get(e.to)!;
    out.push(`<path d="${pathOf(segment(a, b))}"/>`);
  }
  out.push("</g>");
  // Highlighted paths, in the chain colours.
  out.push(`<g stroke-width="2.5" fill="none" stroke-linecap="round">`);
  for (const h of hopsOf(l)) {
    if (h.from === h.to) {
      // z → a inside a neuron
      const y = h.from.y + G.neuronHeight / 2 - 5 + h.offset;
      out.push(`<line x1="${f(h.from.x - G.neuronWidth / 4)}" y1="${f(y)}" x2="${f(h.from.x + G.neuronWidth / 4)}" y2="${f(y)}" stroke="${h.colour}"/>`);
    } else {
      out.push(`<path d="${pathOf(segment(h.from, h.to, h.offset))}" stroke="${h.colour}"/>`);
    }
  }
  out.push("</g>");
  // Units.
  out.push(`<g stroke="#222" stroke-width="1.2" fill="white">`);
  for (const u of l.units) {
    if (u.kind === "neuron") {
      out.push(`<rect x="${f(u.x - G.neuronWidth / 2)}" y="${f(u.y - G.neuronHeight / 2)}" width="${G.neuronWidth}" height="${G.neuronHeight}" rx="${G.neuronHeight / 2}"/>`);
      out.push(`<line x1="${f(u.x)}" y1="${f(u.y - G.neuronHeight / 2)}" x2="${f(u.x)}" y2="${f(u.y + G.neuronHeight / 2)}"/>`);
    } else if (u.kind === "input" || u.kind === "cost") out.push(`<circle cx="${f(u.x)}" cy="${f(u.y)}" r="${G.radius}"/>`);
    else if (u.kind === "bias") out.push(`<circle cx="${f(u.x)}" cy="${f(u.y)}" r="${f(G.radius * 0.7)}" stroke-dasharray="2 2"/>`);
  }
  out.push("</g>");
  out.push(`<g stroke="none">`);
  for (const u of l.units) {
    if (u.kind === "neuron") {
      out.push(text(u.x - G.neuronWidth / 4, u.y, labelParts(printer, u.z!)));
      if (u.a !== undefined) out.push(text(u.x + G.neuronWidth / 4, u.y, labelParts(printer, u.a)));
    } else if (u.kind === "input" || u.kind === "cost") {
      const parts = labelParts(printer, u.id);
      // a long name sits left of its circle instead of spilling over it
      if (u.kind === "input" && parts.base.length > 2) out.push(`<text x="${f(u.x - G.radius - 4)}" y="${f(u.y + 4)}" text-anchor="end">${escapeXml(parts.base)}</text>`);
      else out.push(text(u.x, u.y, parts));
    }
    else if (u.kind === "bias") out.push(text(u.x, u.y, { base: "1" }, ` style="font-style:normal"`));
    else out.push(`<text x="${f(u.x)}" y="${f(u.y + 5)}" text-anchor="middle" style="font-style:normal;font-size:18px">⋮</text>`);
  }
  for (const { params: ps, at } of edgeLabels(l)) {
    const x = at.x;
    const y = at.y - 8;
    const parts = ps.map((p) => labelParts(printer, p));
    const chosen = ps.includes(l.param ?? "");
    const style = ` class="p" stroke="white" stroke-width="2.5" paint-order="stroke"${chosen ? ' style="font-weight:bold"' : ""}`;
    out.push(text(x, y, parts.length === 1 ? parts[0]! : { base: parts.map((q) => q.base).join(",") }, style));
  }
  out.push("</g>", "</svg>");
  return out.join("\n");
}
