/**
 * The network diagram as TikZ (a `tikzpicture` for a LaTeX document with tikz and xcolor): the
 * same layout as the SVG, labels in the document's notation, the chosen parameter's paths in the
 * chain colours (defined inside the picture, so it can be \input anywhere).
 */
import type { Graph } from "@chainrule/core";
import { MUTED, PATH_COLOURS } from "../colours.js";
import type { NotationName } from "../latex/notation.js";
import { GEOMETRY, layout, type DiagramOptions } from "./layout.js";
import { edgeLabels, hopsOf, labelPrinter, pointAt, segment, type Segment } from "./svg.js";

/** Options of {@link networkTikz}. */
export interface TikzOptions extends DiagramOptions {
  readonly notation?: NotationName;
  /** Widest the picture may be, in cm. Default 15. */
  readonly maxWidth?: number;
}

const G = GEOMETRY;
const f = (v: number) => (Math.round(v * 10) / 10).toString();

/** A segment as a TikZ path. */
function tikzPath(s: Segment): string {
  const c = s.control;
  return c === null ? `(${f(s.x1)},${f(s.y1)}) -- (${f(s.x2)},${f(s.y2)})` : `(${f(s.x1)},${f(s.y1)}) .. controls (${f(c.x)},${f(c.y)}) .. (${f(s.x2)},${f(s.y2)})`;
}

/** The network diagram of a graph as a `tikzpicture`. */
export function networkTikz(graph: Graph, options: TikzOptions = {}): string {
  const l = layout(graph, options);
  const printer = labelPrinter(graph, options.notation ?? "post");
  const units = new Map(l.units.map((u) => [u.id, u]));
  // One SVG pixel in cm; y grows downwards as in the SVG.
  const scale = Math.min(0.03, (options.maxWidth ?? 15) / l.width);
  const cm = (px: number) => `${(px * scale).toFixed(3)}cm`;
  const colour = (hex: string) => PATH_COLOURS.find((c) => c.hex === hex)?.name ?? MUTED.name;
  const out: string[] = [`\\begin{tikzpicture}[x=${scale.toFixed(4)}cm, y=-${scale.toFixed(4)}cm]`];
  for (const c of [...PATH_COLOURS, MUTED]) out.push(`\\definecolor{${c.name}}{HTML}{${c.hex.slice(1)}}`);
  for (const e of l.edges) {
    const a = units.get(e.from)!;
    const b = units.get(e.to)!;
    out.push(`\\draw[${MUTED.name}] ${tikzPath(segment(a, b))};`);
  }
  for (const h of hopsOf(l)) {
    const c = colour(h.colour);
    if (h.from === h.to) {
      const y = h.from.y + G.neuronHeight / 2 - 5 + h.offset;
      out.push(`\\draw[${c}, line width=1.4pt] (${f(h.from.x - G.neuronWidth / 4)},${f(y)}) -- (${f(h.from.x + G.neuronWidth / 4)},${f(y)});`);
    } else {
      out.push(`\\draw[${c}, line width=1.4pt] ${tikzPath(segment(h.from, h.to, h.offset))};`);
    }
  }
  const font = "\\scriptsize";
  for (const u of l.units) {
    const at = `(${f(u.x)},${f(u.y)})`;
    if (u.kind === "neuron") {
      out.push(
        `\\draw[rounded corners=${cm(G.neuronHeight / 2 - 1)}] (${f(u.x - G.neuronWidth / 2)},${f(u.y - G.neuronHeight / 2)}) rectangle (${f(u.x + G.neuronWidth / 2)},${f(u.y + G.neuronHeight / 2)});`,
        `\\draw (${f(u.x)},${f(u.y - G.neuronHeight / 2)}) -- (${f(u.x)},${f(u.y + G.neuronHeight / 2)});`,
        `\\node[font=${font}] at (${f(u.x - G.neuronWidth / 4)},${f(u.y)}) {$${printer.node(u.z!)}$};`,
      );
      if (u.a !== undefined) out.push(`\\node[font=${font}] at (${f(u.x + G.neuronWidth / 4)},${f(u.y)}) {$${printer.node(u.a)}$};`);
    } else if (u.kind === "input" || u.kind === "cost") {
      // the cost is J in the picture, J(θ) in the text
      const label = u.kind === "cost" ? printer.node(u.id).replace(/\(\\theta\)$/, "") : printer.node(u.id);
      out.push(`\\draw ${at} circle[radius=${cm(G.radius)}];`);
      // a long name sits left of its circle instead of spilling over it
      if (u.kind === "input" && label.length > 12) out.push(`\\node[font=${font}, anchor=east] at (${f(u.x - G.radius - 3)},${f(u.y)}) {$${label}$};`);
      else out.push(`\\node[font=${font}] at ${at} {$${label}$};`);
    } else if (u.kind === "bias") {
      out.push(`\\draw[dashed] ${at} circle[radius=${cm(G.radius * 0.7)}];`, `\\node[font=${font}] at ${at} {$1$};`);
    } else {
      out.push(`\\node at ${at} {$\\vdots$};`);
    }
  }
  for (const { params: ps, at } of edgeLabels(l)) {
    const x = at.x;
    const y = at.y - 6;
    const label = ps.map((p) => printer.node(p)).join(", ");
    out.push(`\\node[font=\\tiny, fill=white, inner sep=0.5pt] at (${f(x)},${f(y)}) {$${label}$};`);
  }
  out.push("\\end{tikzpicture}");
  return out.join("\n");
}
