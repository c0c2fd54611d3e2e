/**
 * The chain colours: one colour per path of a partial, the post's blue and orange first.
 *
 * Each colour's name is a CSS named colour made of lowercase letters only, so the same LaTeX
 * (`\textcolor{royalblue}{…}`) renders in KaTeX and MathJax as it stands, and compiles with
 * pdflatex once {@link colourDefinitions} (which pins each name to the same RGB value) is in the
 * preamble. SVG uses the hex values.
 */

/** A path colour: its name in LaTeX/CSS and its RGB value. */
export interface PathColour {
  /** CSS named colour and LaTeX colour name, e.g. "royalblue". */
  readonly name: string;
  /** "#RRGGBB". */
  readonly hex: string;
  /** A word for prose ("blue"). */
  readonly word: string;
}

/** The palette, in the order paths are coloured (the post's blue, then orange). */
export const PATH_COLOURS: readonly PathColour[] = [
  { name: "royalblue", hex: "#4169E1", word: "blue" },
  { name: "darkorange", hex: "#FF8C00", word: "orange" },
  { name: "seagreen", hex: "#2E8B57", word: "green" },
  { name: "crimson", hex: "#DC143C", word: "red" },
  { name: "darkviolet", hex: "#9400D3", word: "violet" },
  { name: "teal", hex: "#008080", word: "teal" },
  { name: "sienna", hex: "#A0522D", word: "brown" },
  { name: "deeppink", hex: "#FF1493", word: "pink" },
];

/** Colour for muted parts (elided edges, axes). */
export const MUTED: PathColour = { name: "gray", hex: "#808080", word: "grey" };

/** The colour of path number `i` (0-based); the palette repeats after eight paths. */
export function pathColour(i: number): PathColour {
  return PATH_COLOURS[((i % PATH_COLOURS.length) + PATH_COLOURS.length) % PATH_COLOURS.length]!;
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
