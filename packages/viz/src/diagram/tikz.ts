/**
 * The network diagram as TikZ (a `tikzpicture` for a LaTeX document with amsmath, tikz and
 * xcolor): the SVG's scene scaled to fit, labels in the document's notation, the chosen
 * parameter's paths in the chain colours, dash patterns and numbers (colours defined inside the
 * picture, so it can be \input anywhere). Text is set at 10 pt and scaled with the picture, so
 * every label takes, in print, the room the placer gave it; a deep network's picture, scaled down
 * to the page, has its labels placed larger, so that a parameter never prints below
 * {@link MIN_EDGE_PT}.
 */
import type { Graph } from "@chainrule/core";
import { MUTED, PATH_COLOURS } from "../colours.js";
import type { Route } from "./geometry.js";
import type { Unit } from "./layout.js";
import { layout } from "./layout.js";
import { type PlacedLabel, type Scene, type SceneOptions, STROKE, type Stroke, scene } from "./scene.js";
import { FONT } from "./text.js";

/** Options of {@link networkTikz}. */
export interface TikzOptions extends SceneOptions {
  /** Widest the picture may be, in cm. Default 15. */
  readonly maxWidth?: number;
}

/** Points in a centimetre. */
const PT_PER_CM = 72.27 / 2.54;

const f = (v: number) => (Math.round(v * 10) / 10).toString();
const g = (v: number) => (Math.round(v * 1000) / 1000).toString();

/** A route as a TikZ path. */
function tikzPath(r: Route): string {
  const c = r.control;
  return c === null
    ? `(${f(r.x1)},${f(r.y1)}) -- (${f(r.x2)},${f(r.y2)})`
    : `(${f(r.x1)},${f(r.y1)}) .. controls (${f(c.x)},${f(c.y)}) .. (${f(r.x2)},${f(r.y2)})`;
}

/**
 * The TikZ picture's scale: centimetres per SVG pixel, at most 0.03 and small enough for the
 * picture to fit `maxWidth` cm. A label of s px prints at s × ptPerPx points.
 */
export function tikzScale(width: number, maxWidth = 15): { readonly cmPerPx: number; readonly ptPerPx: number } {
  const cmPerPx = Math.min(0.03, maxWidth / width);
  return { cmPerPx, ptPerPx: cmPerPx * PT_PER_CM };
}

/** The smallest a parameter's label prints (its base size, pt): at a 10 pt body, readable in a figure. */
export const MIN_EDGE_PT = 7;

/**
 * The scene the TikZ picture draws and its scale: the text scaled up (see
 * {@link SceneOptions.textScale}) as far as it takes for a parameter's label to print at
 * {@link MIN_EDGE_PT} or more once the picture is scaled to fit `maxWidth`.
 */
export function tikzScene(
  graph: Graph,
  options: TikzOptions = {},
): { readonly scene: Scene; readonly cmPerPx: number; readonly ptPerPx: number } {
  const need = (width: number) => MIN_EDGE_PT / (FONT.edge * tikzScale(width, options.maxWidth).ptPerPx);
  // the layout's width sets the scale; a long input name may widen the scene a little, so once more then
  let k = Math.max(1, options.textScale ?? 1, need(layout(graph, options).width));
  // the rows further apart (by the square of the text's scale: a label grows both ways), so that
  // the larger labels find room between the edges of a gap
  const at = (textScale: number) => scene(graph, { ...options, textScale, rowSpread: textScale ** 2 });
  let sc = at(k);
  if (need(sc.layout.width) > k) {
    k = need(sc.layout.width) * 1.01;
    sc = at(k);
  }
  return { scene: sc, ...tikzScale(sc.layout.width, options.maxWidth) };
}

/** The network diagram of a graph as a `tikzpicture`. */
export function networkTikz(graph: Graph, options: TikzOptions = {}): string {
  const { scene: sc, cmPerPx, ptPerPx } = tikzScene(graph, options);
  const l = sc.layout;
  const pt = (px: number) => `${g(px * ptPerPx)}pt`;
  const out: string[] = [`\\begin{tikzpicture}[x=${cmPerPx.toFixed(5)}cm, y=-${cmPerPx.toFixed(5)}cm, line cap=butt]`];
  for (const c of [...PATH_COLOURS, MUTED]) out.push(`\\definecolor{${c.name}}{HTML}{${c.hex.slice(1)}}`);
  for (const e of l.edges) out.push(`\\draw[${MUTED.name}, line width=${pt(STROKE.edge)}] ${tikzPath(e.route)};`);
  for (const u of l.units) out.push(...shape(u, pt));
  for (const s of sc.strokes) out.push(stroke(s, pt));
  for (const p of sc.labels) out.push(label(p, ptPerPx, pt));
  out.push("\\end{tikzpicture}");
  return out.join("\n");
}

/** A unit's outline. */
function shape(u: Unit, pt: (px: number) => string): string[] {
  const w = `line width=${pt(1.2)}`;
  const box = () =>
    `\\draw[${w}, rounded corners=${pt(u.hh)}] (${f(u.x - u.hw)},${f(u.y - u.hh)}) rectangle (${f(u.x + u.hw)},${f(u.y + u.hh)});`;
  switch (u.kind) {
    case "neuron":
      return [box(), `\\draw[${w}] (${f(u.x)},${f(u.y - u.hh)}) -- (${f(u.x)},${f(u.y + u.hh)});`];
    case "sum":
    case "activation":
      return [box()];
    case "input":
    case "cost":
      return [`\\draw[${w}] (${f(u.x)},${f(u.y)}) circle[radius=${pt(u.hw)}];`];
    case "bias":
      return [`\\draw[${w}, dash pattern=on ${pt(2)} off ${pt(2)}] (${f(u.x)},${f(u.y)}) circle[radius=${pt(u.hw)}];`];
    case "gap":
      return [];
  }
}

/** A highlighted stroke, in its colour and dash pattern. */
function stroke(s: Stroke, pt: (px: number) => string): string {
  const d = s.colour.dash;
  const pattern =
    d.length === 0 ? "" : `, dash pattern=${d.map((v, i) => `${i % 2 === 0 ? "on" : "off"} ${pt(v)}`).join(" ")}`;
  const style = `${s.colour.name}, line width=${pt(STROKE.path)}${pattern}`;
  if (s.route !== null) return `\\draw[${style}] ${tikzPath(s.route)};`;
  const r = s.ring!;
  return `\\draw[${style}, rounded corners=${pt(r.r)}] (${f(r.x - r.hw)},${f(r.y - r.hh)}) rectangle (${f(r.x + r.hw)},${f(r.y + r.hh)});`;
}

/**
 * What a label's node holds: its LaTeX set at 10 pt and scaled to the label's size (a path number
 * in bold sans serif). The pdflatex test measures these against the room the placer gave them.
 */
export function labelContent(p: PlacedLabel, ptPerPx: number): string {
  // TeX's \vdots stands 1.5 em tall, twice a ⋮ glyph: it is set smaller
  const k = g(((p.size * ptPerPx) / 10) * (p.text.latex === "\\vdots" ? 0.6 : 1));
  const body = p.kind === "marker" ? `\\sffamily\\bfseries ${p.path! + 1}` : `$${p.text.latex}$`;
  return `\\scalebox{${k}}{\\fontsize{10}{12}\\selectfont${body}}`;
}

/**
 * A label node, its baseline centred where the SVG's is; a parameter on a white patch (as the
 * SVG's halo); a path number on a disc of its colour.
 */
function label(p: PlacedLabel, ptPerPx: number, pt: (px: number) => string): string {
  const cx = (p.box.x0 + p.box.x1) / 2;
  if (p.kind === "marker") {
    const cy = (p.box.y0 + p.box.y1) / 2;
    return `\\node[circle, fill=${p.colour!.name}, text=white, inner sep=0pt, minimum size=${pt(p.size * 1.5)}] at (${f(cx)},${f(cy)}) {${labelContent(p, ptPerPx)}};`;
  }
  const patch = p.kind === "edge" ? `fill=white, inner sep=${pt(1)}` : "inner sep=0pt";
  return `\\node[anchor=base, ${patch}] at (${f(cx)},${f(p.baseline)}) {${labelContent(p, ptPerPx)}};`;
}
