/**
 * The network diagram as SVG: neurons expanded into z and a (as the post draws them), edges
 * labelled with their parameters, and the chosen parameter's paths in the chain colours, each with
 * its dash pattern and number. Self-contained (no external fonts, images or links); every user
 * string is escaped. Labels use the document's notation, the superscript stacked over the
 * subscript after the base, as LaTeX sets them.
 *
 * The first group holds one grey path per edge of the layout, in the layout's order (the explorer
 * makes them clickable by that order); the labels' group takes no pointer events.
 */
import type { Graph } from "@chainrule/core";
import { MUTED } from "../colours.js";
import { escapeXml } from "../escape.js";
import type { Route } from "./geometry.js";
import type { Unit } from "./layout.js";
import { type PlacedLabel, type SceneOptions, STROKE, type Stroke, scene } from "./scene.js";
import { FONT, OVERHANG, separatorWidth } from "./text.js";

/** Options of {@link networkSvg}. */
export interface SvgOptions extends SceneOptions {
  /** Accessible title (user text, escaped). */
  readonly title?: string;
}

const f = (v: number) => (Math.round(v * 10) / 10).toString();

/** A route as SVG path data. */
export function pathData(r: Route): string {
  const c = r.control;
  return c === null
    ? `M${f(r.x1)} ${f(r.y1)}L${f(r.x2)} ${f(r.y2)}`
    : `M${f(r.x1)} ${f(r.y1)}C${f(c.x)} ${f(c.y)} ${f(c.x)} ${f(c.y)} ${f(r.x2)} ${f(r.y2)}`;
}

/** A unit's outline. */
function shape(u: Unit): string {
  const rect = (extra = "") =>
    `<rect x="${f(u.x - u.hw)}" y="${f(u.y - u.hh)}" width="${f(2 * u.hw)}" height="${f(2 * u.hh)}" rx="${f(u.hh)}"${extra}/>`;
  switch (u.kind) {
    case "neuron":
      return `${rect()}<line x1="${f(u.x)}" y1="${f(u.y - u.hh)}" x2="${f(u.x)}" y2="${f(u.y + u.hh)}"/>`;
    case "sum":
    case "activation":
      return rect();
    case "input":
    case "cost":
      return `<circle cx="${f(u.x)}" cy="${f(u.y)}" r="${f(u.hw)}"/>`;
    case "bias":
      return `<circle cx="${f(u.x)}" cy="${f(u.y)}" r="${f(u.hw)}" stroke-dasharray="2 2"/>`;
    case "gap":
      return "";
  }
}

/** The dash attribute of a path colour ("" for solid). */
function dash(s: Stroke): string {
  return s.colour.dash.length === 0 ? "" : ` stroke-dasharray="${s.colour.dash.join(" ")}"`;
}

/** A highlighted stroke: along an edge, or a ring around a neuron. */
function stroke(s: Stroke): string {
  const data = ` data-path="${s.path + 1}" data-hop="${escapeXml(s.hop)}" stroke="${s.colour.hex}"${dash(s)}`;
  if (s.route !== null) return `<path d="${pathData(s.route)}"${data}/>`;
  const r = s.ring!;
  return `<rect x="${f(r.x - r.hw)}" y="${f(r.y - r.hh)}" width="${f(2 * r.hw)}" height="${f(2 * r.hh)}" rx="${f(r.r)}"${data}/>`;
}

/** Classes of a run: italic for letters, upright ("u") for digits and brackets, as in LaTeX math. */
const runClass = (role: string, text: string, plain: boolean) => {
  const c = [role, plain || !/[A-Za-zα-ωΑ-Ω]/.test(text) ? "u" : ""].filter((x) => x !== "").join(" ");
  return c === "" ? "" : ` class="${c}"`;
};

/**
 * A label: per name, the base, then superscript above subscript, both starting at the split point
 * after the base and the room for its italic overhang.
 */
function label(p: PlacedLabel): string {
  if (p.kind === "marker") {
    const cx = (p.box.x0 + p.box.x1) / 2;
    const cy = (p.box.y0 + p.box.y1) / 2;
    return `<g class="marker" data-path="${p.path! + 1}"><circle cx="${f(cx)}" cy="${f(cy)}" r="${f(FONT.marker * 0.75)}" fill="${p.colour!.hex}"/><text x="${f(cx)}" y="${f(p.baseline)}" text-anchor="middle">${p.path! + 1}</text></g>`;
  }
  const s = p.size * FONT.script;
  const plain = p.text.style === "text";
  const kind = p.kind === "edge" ? ` class="edge-label" data-edge="${escapeXml(p.edge!)}"` : ` class="unit-label"`;
  const only = p.text.atoms[0]!;
  if (plain && p.text.atoms.length === 1 && only.sup === undefined && only.sub === undefined) {
    // plain text (1, ⋮, an unusual name) sits in the middle of its room, whatever its font's widths
    return `<g${kind} font-size="${f(p.size)}"><text class="base u" x="${f(p.x + p.extent.width / 2)}" y="${f(p.baseline)}" text-anchor="middle">${escapeXml(only.base)}</text></g>`;
  }
  const parts: string[] = [];
  p.text.atoms.forEach((a, i) => {
    const split = p.x + p.extent.splits[i]!;
    if (i > 0)
      parts.push(
        `<text class="u" x="${f(p.x + p.extent.starts[i]! - separatorWidth(p.size))}" y="${f(p.baseline)}">,</text>`,
      );
    // the base ends before the room for its overhang, the scripts start after it
    parts.push(
      `<text${runClass("base", a.base, plain)} x="${f(split - OVERHANG * p.size)}" y="${f(p.baseline)}" text-anchor="end">${escapeXml(a.base)}</text>`,
    );
    if (a.sup !== undefined)
      parts.push(
        `<text${runClass("sup", a.sup, plain)} x="${f(split)}" y="${f(p.baseline - FONT.supRise * p.size)}" font-size="${f(s)}">${escapeXml(a.sup)}</text>`,
      );
    if (a.sub !== undefined)
      parts.push(
        `<text${runClass("sub", a.sub, plain)} x="${f(split)}" y="${f(p.baseline + FONT.subDrop * p.size)}" font-size="${f(s)}">${escapeXml(a.sub)}</text>`,
      );
  });
  return `<g${kind} font-size="${f(p.size)}">${parts.join("")}</g>`;
}

/** The network diagram of a graph as an SVG document. */
export function networkSvg(graph: Graph, options: SvgOptions = {}): string {
  const sc = scene(graph, options);
  const l = sc.layout;
  const out: string[] = [];
  const title = options.title ?? "Network diagram";
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f(l.width)} ${f(l.height)}" width="${f(l.width)}" height="${f(l.height)}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>text{font-family:"Latin Modern Roman","Times New Roman",Times,serif;font-style:italic;fill:#222}.u{font-style:normal}.edge-label text{stroke:white;stroke-width:3px;paint-order:stroke;stroke-linejoin:round}.marker text{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;font-style:normal;font-weight:bold;fill:white;font-size:${FONT.marker}px}</style>`,
    `<rect width="100%" height="100%" fill="white"/>`,
  );
  // Edges, grey, one path each in the layout's order.
  out.push(`<g class="edges" stroke="${MUTED.hex}" stroke-width="${STROKE.edge}" fill="none">`);
  for (const e of l.edges) out.push(`<path d="${pathData(e.route)}"/>`);
  out.push("</g>");
  // Units.
  out.push(`<g class="units" stroke="#222" stroke-width="1.2" fill="white">`);
  for (const u of l.units) out.push(shape(u));
  out.push("</g>");
  // Highlighted paths, in the chain colours and dash patterns.
  out.push(`<g class="paths" stroke-width="${STROKE.path}" fill="none" stroke-linecap="butt">`);
  for (const s of sc.strokes) out.push(stroke(s));
  out.push("</g>");
  // Labels and path numbers.
  out.push(`<g class="labels" stroke="none" pointer-events="none">`);
  for (const p of sc.labels) out.push(label(p));
  out.push("</g>", "</svg>");
  return out.join("\n");
}
