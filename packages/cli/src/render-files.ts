/**
 * The files of a rendered derivation, built in memory: standalone LaTeX, Markdown, HTML and the
 * network diagram as SVG and TikZ. Shared by `render` and `demo`.
 */
import type { Graph } from "@chainrule/core";
import {
  type DerivationOptions,
  derivation,
  networkSvg,
  networkTikz,
  notation,
  toHtml,
  toMarkdown,
  toStandaloneLatex,
} from "@chainrule/viz";

/** The files `render` writes, in order. */
export const RENDER_FILES = [
  "derivation.tex",
  "derivation.md",
  "derivation.html",
  "network.svg",
  "network.tikz",
] as const;

/** Every file of the derivation of `graph`, as [name, text] pairs in {@link RENDER_FILES} order. */
export function derivationFiles(
  graph: Graph,
  options: DerivationOptions & { readonly param: string },
): [string, string][] {
  const doc = derivation(graph, options);
  const full = options.full === true;
  const diagram = {
    param: options.param,
    notation: notation(options.notation ?? "post").name,
    ...(full ? { threshold: Infinity, maxPaths: Infinity } : {}),
  };
  const texts: Record<(typeof RENDER_FILES)[number], string> = {
    "derivation.tex": toStandaloneLatex(doc),
    "derivation.md": toMarkdown(doc),
    "derivation.html": toHtml(doc),
    "network.svg": networkSvg(graph, { ...diagram, title: doc.title }),
    "network.tikz": `${networkTikz(graph, diagram)}\n`,
  };
  return RENDER_FILES.map((name) => [name, texts[name]]);
}
