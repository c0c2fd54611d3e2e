/**
 * Markdown target: prose escaped, inline math in `$ … $`, each equation group a display block
 * `$$ \begin{aligned} … \end{aligned} $$` (what GitHub, Jupyter and KaTeX/MathJax renderers read),
 * figures as a link to the SVG file written next to the Markdown. MathJax sets text-mode commands
 * verbatim, so a chain's path number (`\textcircled`) is written as its character, ①.
 */

import { pathNumberText } from "../colours.js";
import { alignedBlock, type Block, type DerivationDocument, type Inline } from "../doc/model.js";
import { escapeMarkdown } from "../escape.js";

/** Options of {@link toMarkdown}. */
export interface MarkdownOptions {
  /** Link figures to their SVG file (default true); false leaves figures out. */
  readonly figures?: boolean;
  /** A list of the sections, linked to their headings, after the title (default true). */
  readonly contents?: boolean;
}

/**
 * The anchor GitHub and most renderers give a heading: lower case, punctuation dropped, spaces
 * as hyphens ("1. The network and its notation" → "1-the-network-and-its-notation").
 */
export function headingAnchor(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .trim()
    .replace(/\s/g, "-");
}

/** The contents: one linked item per second-level heading. */
function contents(doc: DerivationDocument): string {
  const items = doc.blocks.filter((b) => b.kind === "heading" && b.level === 2);
  return items
    .map((b) => (b.kind === "heading" ? `- [${escapeMarkdown(b.text)}](#${headingAnchor(b.text)})` : ""))
    .join("\n");
}

/** A path number as colours.ts's pathNumberLatex writes it. */
const PATH_NUMBER = /\\text\{\\textcircled\{\\scriptsize (\d+)\}\}/g;

/** Math that MathJax renders as KaTeX and LaTeX do: path numbers as characters. */
function portable(latex: string): string {
  return latex.replace(PATH_NUMBER, (_, n: string) => `\\text{${pathNumberText(Number(n) - 1)}}`);
}

/** Inline pieces in Markdown. */
export function markdownInline(content: readonly Inline[]): string {
  return content
    .map((i) =>
      i.kind === "math"
        ? `$${portable(i.latex)}$`
        : i.kind === "strong"
          ? `**${escapeMarkdown(i.text)}**`
          : escapeMarkdown(i.text),
    )
    .join("");
}

function block(b: Block, o: MarkdownOptions): string {
  switch (b.kind) {
    case "heading":
      return `${"#".repeat(b.level)} ${escapeMarkdown(b.text)}`;
    case "paragraph":
      return markdownInline(b.content);
    case "note":
      return `> ${markdownInline(b.content)}`;
    case "equations":
      return b.rows.length === 0 ? "" : `$$\n${portable(alignedBlock(b.rows))}\n$$`;
    case "list":
      return b.items.map((i, n) => `${b.ordered ? `${n + 1}.` : "-"} ${markdownInline(i)}`).join("\n");
    case "figure":
      // the caption holds math, which alt text cannot: the alt text names the picture
      return o.figures === false ? "" : `![Network diagram](${b.file})\n\n*${markdownInline(b.caption)}*`;
  }
}

/** The document as Markdown. */
export function toMarkdown(doc: DerivationDocument, options: MarkdownOptions = {}): string {
  const toc = options.contents === false ? "" : contents(doc);
  return `${[`# ${escapeMarkdown(doc.title)}`, toc, ...doc.blocks.map((b) => block(b, options))]
    .filter((s) => s !== "")
    .join("\n\n")}\n`;
}
