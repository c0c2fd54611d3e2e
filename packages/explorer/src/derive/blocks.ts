/**
 * Sections of viz's derivation document as the explorer's views: the document is split at its
 * section headings, each view takes the sections it shows, and each view is rendered twice — as
 * HTML with KaTeX (through viz's renderer, with viz's settings) and as LaTeX for the "copy LaTeX"
 * button (through viz's LaTeX target, with the preamble it needs as comments).
 */
import {
  type Block,
  blockToHtml,
  type DerivationDocument,
  htmlInline,
  latexPreamble,
  toLatexBody,
} from "@chainrule/viz";
import type { ViewId } from "../state.js";

/** One section of a document: its title (without the number) and its blocks, heading included. */
export interface Section {
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** The sections each view shows, by title; sections no view names go to "notes". */
export const VIEW_SECTIONS: { readonly [K in ViewId]: readonly string[] } = {
  chain: ["The chain rule, path by path"],
  delta: ["The δ terms"],
  matrix: ["The matrix form", "The algorithm"],
  count: ["Counting the factors"],
  worked: ["A worked example", "Checked"],
  // the document's opening paragraph has no heading: it belongs with the network
  network: ["", "The network and its notation", "The cost function"],
  notes: ["Where this differs from the post"],
};

/** A section heading without its number: "3. The chain rule, path by path" → "The chain rule, path by path". */
export function sectionTitle(text: string): string {
  return text.replace(/^\d+\.\s*/, "");
}

/** The document cut at its level-2 headings; headings lose their numbers (a view shows a few sections, not all). */
export function splitSections(doc: DerivationDocument): Section[] {
  const out: { title: string; blocks: Block[] }[] = [{ title: "", blocks: [] }];
  for (const b of doc.blocks) {
    if (b.kind === "heading" && b.level === 2) {
      const title = sectionTitle(b.text);
      out.push({ title, blocks: [{ ...b, text: title }] });
    } else out[out.length - 1]!.blocks.push(b);
  }
  return out.filter((s) => s.blocks.length > 0);
}

/** The blocks of one view, in the document's order; "notes" also takes any section no view names. */
export function viewBlocks(sections: readonly Section[], view: ViewId): Block[] {
  const named = new Set(Object.values(VIEW_SECTIONS).flat());
  const wanted = VIEW_SECTIONS[view];
  return sections
    .filter((s) => wanted.includes(s.title) || (view === "notes" && !named.has(s.title)))
    .flatMap((s) => s.blocks);
}

/** One block as HTML (viz's renderer): headings at level 3, and a figure as its caption only —
 * the diagram has its own place in the explorer. */
function blockHtml(b: Block): string {
  return blockToHtml(b, { headingLevel: 3, figure: (f) => `<p class="caption">${htmlInline(f.caption)}</p>` });
}

/** Blocks as HTML. */
export function blocksHtml(blocks: readonly Block[]): string {
  return blocks
    .map(blockHtml)
    .filter((s) => s !== "")
    .join("\n");
}

/** The preamble the library's LaTeX needs (amsmath, xcolor, tikz, the path colours), as comments. */
export function preambleComment(): string {
  return [
    "% chainrule: put these lines in the preamble of your document",
    ...latexPreamble()
      .split("\n")
      .map((l) => `% ${l}`),
  ].join("\n");
}

/** Blocks as LaTeX ready to paste: the preamble they need (commented), then the body. */
export function blocksLatex(blocks: readonly Block[]): string {
  return `${preambleComment()}\n\n${toLatexBody({ title: "", blocks })}\n`;
}
