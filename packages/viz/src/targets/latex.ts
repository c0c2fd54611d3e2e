/**
 * LaTeX targets: a standalone `.tex` document that compiles with pdflatex using only amsmath,
 * xcolor and tikz, and the body alone (for \input into another document with that preamble).
 */
import { colourDefinitions } from "../colours.js";
import type { Block, DerivationDocument, Inline } from "../doc/model.js";
import { latexProse } from "../escape.js";

/** Inline pieces in LaTeX: prose escaped, math between `$`. */
export function latexInline(content: readonly Inline[]): string {
  return content
    .map((i) =>
      i.kind === "math" ? `$${i.latex}$` : i.kind === "strong" ? `\\textbf{${latexProse(i.text)}}` : latexProse(i.text),
    )
    .join("");
}

/** `align*` of the rows (nothing for no rows). */
export function alignStar(rows: readonly string[]): string {
  if (rows.length === 0) return "";
  return `\\begin{align*}\n${rows.join(" \\\\\n")}\n\\end{align*}`;
}

function block(b: Block): string {
  switch (b.kind) {
    case "heading":
      return `${b.level === 1 ? "\\section*" : b.level === 2 ? "\\section*" : "\\subsection*"}{${latexProse(b.text)}}`;
    case "paragraph":
      return latexInline(b.content);
    case "note":
      return `\\begin{quote}\\small\n${latexInline(b.content)}\n\\end{quote}`;
    case "equations":
      return alignStar(b.rows);
    case "list": {
      const env = b.ordered ? "enumerate" : "itemize";
      // items close together: the paragraph skip already separates them
      return `\\begin{${env}}\\setlength{\\itemsep}{0pt}\n${b.items.map((i) => `\\item ${latexInline(i)}`).join("\n")}\n\\end{${env}}`;
    }
    case "figure":
      // in a minipage, which a page break cannot split: the caption stays with its picture
      return `\\begin{center}\n\\begin{minipage}{\\linewidth}\n\\centering\n${b.tikz}\n\n\\smallskip{\\small ${latexInline(b.caption)}}\n\\end{minipage}\n\\end{center}`;
  }
}

/** The document body: every block, blank lines between them. */
export function toLatexBody(doc: DerivationDocument): string {
  return doc.blocks
    .map(block)
    .filter((s) => s !== "")
    .join("\n\n");
}

/** The preamble a document needs to hold the library's LaTeX (packages and colour names). */
export function latexPreamble(): string {
  return [
    "\\usepackage{amsmath}",
    "\\usepackage{xcolor}",
    "\\usepackage{tikz}",
    colourDefinitions(),
    // long derivations may break across pages
    "\\allowdisplaybreaks",
  ].join("\n");
}

/** A standalone document: `pdflatex -halt-on-error` compiles it as it stands. */
export function toStandaloneLatex(doc: DerivationDocument): string {
  return [
    "\\documentclass{article}",
    latexPreamble(),
    // page geometry without extra packages: 6.5in × 9in of text (10pt) on letter or A4 paper
    "\\setlength{\\textwidth}{6.5in}\\setlength{\\oddsidemargin}{0in}\\setlength{\\evensidemargin}{0in}",
    "\\setlength{\\textheight}{9in}\\setlength{\\topmargin}{-0.5in}",
    "\\setlength{\\parindent}{0pt}\\setlength{\\parskip}{0.5em}",
    // a derivation is many short displays: less space around each (\\normalsize sets it again, so there)
    "\\makeatletter\\g@addto@macro\\normalsize{\\setlength{\\abovedisplayskip}{6pt plus 3pt minus 3pt}\\setlength{\\belowdisplayskip}{6pt plus 3pt minus 3pt}}\\makeatother",
    `\\title{${latexProse(doc.title)}}`,
    "\\date{}",
    "\\begin{document}",
    "\\maketitle",
    toLatexBody(doc),
    "\\end{document}",
    "",
  ].join("\n");
}
