/**
 * The chain colours: one colour per path of a partial, blue first as in the post.
 *
 * Each colour's name is a CSS named colour made of lowercase letters only, so the same LaTeX
 * (`\textcolor{mediumblue}{…}`) renders in KaTeX and MathJax as it stands, and compiles with
 * pdflatex once {@link colourDefinitions} (which pins each name to the same RGB value) is in the
 * preamble. SVG uses the hex values.
 *
 * The palette is chosen for people who see colours differently and for paper:
 * - every colour is dark enough for coloured text on white (WCAG contrast ≥ 4.5:1; the post's
 *   orange, #FF8C00, is 2.3:1, and no CSS orange reaches 4.5:1, so the second colour is sienna);
 * - the four hues (blue, brown, purple, teal) stay apart when protanopia, deuteranopia or
 *   tritanopia is simulated;
 * - colour is never the only cue: each path also has a dash pattern and a number (1, 2, …), so a
 *   black-and-white print still tells the paths apart.
 */

/** A path colour: its name in LaTeX/CSS, its RGB value, and the line pattern that goes with it. */
export interface PathColour {
  /** CSS named colour and LaTeX colour name, e.g. "mediumblue". */
  readonly name: string;
  /** "#RRGGBB". */
  readonly hex: string;
  /** A word for prose ("blue"). */
  readonly word: string;
  /**
   * Dash pattern of a highlighted path, on and off lengths in diagram units (SVG pixels at a
   * stroke width of 2.5), drawn with butt caps; empty for a solid line.
   */
  readonly dash: readonly number[];
  /** The pattern in words ("solid", "dashed", …), for captions. */
  readonly line: string;
}

/** The palette, in the order paths are coloured; paths after the fourth start it again. */
export const PATH_COLOURS: readonly PathColour[] = [
  { name: "mediumblue", hex: "#0000CD", word: "blue", dash: [], line: "solid" },
  { name: "sienna", hex: "#A0522D", word: "brown", dash: [9, 4], line: "dashed" },
  { name: "purple", hex: "#800080", word: "purple", dash: [2.5, 3], line: "dotted" },
  { name: "teal", hex: "#008080", word: "teal", dash: [10, 3, 2.5, 3], line: "dash-dotted" },
];

/**
 * Colour for muted parts (edges that are not highlighted, axes). Drawn as lines only, never as
 * text that carries meaning; at 3.9:1 it passes the 3:1 asked of graphics.
 */
export const MUTED: PathColour = { name: "gray", hex: "#808080", word: "grey", dash: [], line: "solid" };

/** The colour of path number `i` (0-based); the palette repeats after four paths (the numbers do not). */
export function pathColour(i: number): PathColour {
  return PATH_COLOURS[((i % PATH_COLOURS.length) + PATH_COLOURS.length) % PATH_COLOURS.length]!;
}

/**
 * The number a diagram draws on path `i` (0-based) and a listing can print beside its chain, as
 * LaTeX that KaTeX (strict) and pdflatex both accept: a circled 1, 2, …
 */
export function pathNumberLatex(i: number): string {
  return `\\text{\\textcircled{\\scriptsize ${i + 1}}}`;
}

/**
 * The same number as a character, for renderers that have no `\textcircled` (MathJax, which
 * shows text-mode commands verbatim): ① … ⑳, then (21), (22), ….
 */
export function pathNumberText(i: number): string {
  return i >= 0 && i < 20 ? String.fromCodePoint(0x2460 + i) : `(${i + 1})`;
}

/**
 * `\definecolor` lines for every palette colour (needs xcolor). Put them in the preamble of any
 * document that includes the library's LaTeX fragments.
 */
export function colourDefinitions(): string {
  return [...PATH_COLOURS, MUTED].map((c) => `\\definecolor{${c.name}}{HTML}{${c.hex.slice(1)}}`).join("\n");
}

/** `\textcolor{name}{body}`. */
export function coloured(colour: PathColour, body: string): string {
  return `\\textcolor{${colour.name}}{${body}}`;
}
