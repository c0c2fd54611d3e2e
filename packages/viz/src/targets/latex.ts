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

/**
 * The document body: every block, blank lines between them — but none between a paragraph and
 * the equations after it. A display that starts a paragraph of its own would put an empty line
 * above it (TeX sets the empty start of that paragraph as a line), a blank line's height wasted
 * at every display; attached to the paragraph before it, the display sits at its usual distance.
 */
export function toLatexBody(doc: DerivationDocument): string {
  let out = "";
  let prev: Block | null = null;
  for (const b of doc.blocks) {
    const s = block(b);
    if (s === "") continue;
    if (prev !== null) out += b.kind === "equations" && prev.kind === "paragraph" ? "\n" : "\n\n";
    out += s;
    prev = b;
  }
  return out;
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

/**
 * The standalone document's layout, in plain LaTeX (no package beyond the three): the page, the
 * paragraph and list spacing, section headings. A derivation is many short displays, lists and
 * headings, so the article class's generous spacing around each of them is pared down.
 */
const STANDALONE_LAYOUT = [
  // page geometry without extra packages: 6.5in × 9.5in of text (10pt) on letter or A4 paper, from
  // 0.75in below the top edge (no running head), the page number 0.35in below the text
  "\\setlength{\\textwidth}{6.5in}\\setlength{\\oddsidemargin}{0in}\\setlength{\\evensidemargin}{0in}",
  "\\setlength{\\textheight}{9.5in}\\setlength{\\topmargin}{-0.25in}\\setlength{\\headheight}{0pt}\\setlength{\\headsep}{0pt}\\setlength{\\footskip}{0.35in}",
  "\\setlength{\\parindent}{0pt}\\setlength{\\parskip}{0.35em plus 0.1em}",
  "\\makeatletter",
  // less space around each display (\\normalsize sets it again, so there) and between its rows
  "\\g@addto@macro\\normalsize{\\setlength{\\abovedisplayskip}{5pt plus 2pt minus 2pt}\\setlength{\\belowdisplayskip}{5pt plus 2pt minus 2pt}}",
  "\\setlength{\\jot}{2pt}",
  // headings a size smaller and closer to their text than the article class sets them
  "\\renewcommand\\section{\\@startsection{section}{1}{\\z@}{-2ex \\@plus -.5ex \\@minus -.2ex}{1ex \\@plus .2ex}{\\normalfont\\large\\bfseries}}",
  "\\renewcommand\\subsection{\\@startsection{subsection}{2}{\\z@}{-1.5ex \\@plus -.5ex \\@minus -.2ex}{.5ex \\@plus .2ex}{\\normalfont\\normalsize\\bfseries}}",
  // lists: the paragraph skip already separates them from the text and their items from each other
  "\\def\\@listi{\\leftmargin\\leftmargini\\parsep\\z@\\topsep 2pt\\itemsep\\z@}\\let\\@listI\\@listi\\setlength{\\partopsep}{0pt}",
  "\\makeatother",
];

/** A standalone document: `pdflatex -halt-on-error` compiles it as it stands. */
export function toStandaloneLatex(doc: DerivationDocument): string {
  return [
    "\\documentclass{article}",
    latexPreamble(),
    ...STANDALONE_LAYOUT,
    "\\begin{document}",
    // the title as a line of its own, without \maketitle's empty author and date blocks
    `{\\centering\\LARGE ${latexProse(doc.title)}\\par}\\vspace{1ex}`,
    toLatexBody(doc),
    "\\end{document}",
    "",
  ].join("\n");
}
