/**
 * The text of a diagram: labels in the document's notation taken apart into base, superscript and
 * subscript (SVG stacks the two scripts after the base, as LaTeX does), their LaTeX for TikZ, and
 * how much room they take. The sizes are estimates made on the wide side — per character, for the
 * widest of the fonts a reader is likely to have (DejaVu Serif, Latin Modern, Times, and Computer
 * Modern in pdflatex) — so a label's real ink stays inside the box the placer reserves; the
 * browser and pdflatex tests measure that.
 */
import type { Graph } from "@chainrule/core";
import { escapeLatexText } from "../escape.js";
import type { NotationName } from "../latex/notation.js";
import { LatexPrinter } from "../latex/printer.js";

/** One name as plain text parts (user names stay as they are; the SVG writer escapes them). */
export interface LabelParts {
  readonly base: string;
  readonly sup?: string;
  readonly sub?: string;
}

/** A label: one or more names (an edge carrying several parameters), in SVG and in LaTeX. */
export interface LabelText {
  readonly atoms: readonly LabelParts[];
  /** Math mode LaTeX for TikZ. */
  readonly latex: string;
  /** A printed name of the notation (italic letters), or plain text (a user's unusual name). */
  readonly style: "math" | "text";
}

/** Font sizes (px) and script geometry (in ems of the label's size). */
export const FONT = {
  /** z, a, x, J, 1 and ⋮ in the units. */
  unit: 15,
  /** Parameters on edges. */
  edge: 12,
  /** Path numbers. */
  marker: 11,
  /** Script size as a fraction of the base size. */
  script: 0.72,
  /** A superscript's baseline above the base's. */
  supRise: 0.5,
  /** A subscript's baseline below the base's. */
  subDrop: 0.32,
  /** Height above and depth below the baseline of one line of text. */
  ascent: 0.96,
  descent: 0.3,
  /** Names longer than this many characters are cut, with an ellipsis. */
  maxChars: 14,
} as const;

const LETTERS: { readonly [cmd: string]: string } = {
  "\\theta": "θ",
  "\\Theta": "Θ",
  "\\delta": "δ",
  "\\sigma": "σ",
  "\\lambda": "λ",
};

/** The notation's printer for a graph's labels. */
export function labelPrinter(graph: Graph, notation: NotationName = "post"): LatexPrinter {
  return new LatexPrinter(graph, { notation });
}

/**
 * Plain parts of a node's label: `\theta^{(1)}_{11}` → θ, (1), 11; `J(\theta)` → J. Labels that
 * are not of that simple shape (unusual user names) fall back to the node's id, verbatim.
 */
export function labelParts(printer: LatexPrinter, id: string): LabelParts {
  return simpleLabel(printer, id) ?? { base: id };
}

/** The parts of a label of the simple shape, or null. */
function simpleLabel(printer: LatexPrinter, id: string): LabelParts | null {
  const tex = printer.node(id).replace(/\(\\theta\)$/, "");
  const m = /^(\\[A-Za-z]+|[A-Za-z]|\\mathrm\{([A-Za-z]+)\})(?:\^\{([^{}]*)\})?(?:_\{([^{}]*)\})?$/.exec(tex);
  if (m === null) return null;
  const [, head, roman, sup, sub] = m;
  const base = roman ?? LETTERS[head!] ?? (head!.startsWith("\\") ? null : head!);
  if (base === null) return null;
  return { base, ...(sup !== undefined ? { sup } : {}), ...(sub !== undefined ? { sub } : {}) };
}

/** A name cut to `max` characters with an ellipsis. */
function cut(s: string, max: number): { text: string; cut: boolean } {
  // a character outside ASCII prints as eight in LaTeX ("[U+00E9]")
  const weight = (c: string) => (c.codePointAt(0)! >= 0x80 ? 8 : 1);
  const chars = [...s];
  if (chars.reduce((n, c) => n + weight(c), 0) <= max) return { text: s, cut: false };
  let n = 0;
  let i = 0;
  while (i < chars.length && n + weight(chars[i]!) <= max - 1) n += weight(chars[i++]!);
  return { text: chars.slice(0, i).join(""), cut: true };
}

/** The label of some nodes (one for a unit, the parameters of an edge) in the printer's notation. */
export function labelOf(printer: LatexPrinter, ids: readonly string[], maxChars: number = FONT.maxChars): LabelText {
  const simple = ids.map((id) => simpleLabel(printer, id));
  const length = (p: LabelParts) => [...p.base, ...(p.sup ?? ""), ...(p.sub ?? "")].length;
  if (simple.every((p) => p !== null && length(p) <= maxChars)) {
    return {
      atoms: simple as LabelParts[],
      latex: ids.map((id) => printer.node(id).replace(/\(\\theta\)$/, "")).join(", "),
      style: "math",
    };
  }
  // unusual names: the ids as text, each cut short
  const parts = ids.map((id) => cut(id, maxChars));
  return {
    atoms: parts.map((p) => ({ base: p.cut ? `${p.text}…` : p.text })),
    latex: `\\text{${parts.map((p) => escapeLatexText(p.text) + (p.cut ? "\\ldots{}" : "")).join(", ")}}`,
    style: "text",
  };
}

/** A label of plain characters (a bias unit's 1, a path number), the same in SVG and LaTeX. */
export function plainLabel(text: string, latex: string = text): LabelText {
  return { atoms: [{ base: text }], latex, style: "text" };
}

/**
 * Width of one character in ems, on the wide side. In a plain-text label pdflatex prints a
 * character outside ASCII as its code point ("[U+00E9]"), so there it counts eight characters.
 */
function charEm(ch: string, plain: boolean): number {
  if (plain && ch.codePointAt(0)! >= 0x80 && ch !== "…" && ch !== "⋮") return 8 * 0.64;
  if (/[0-9]/.test(ch)) return 0.64;
  if (/[()[\]{}]/.test(ch)) return 0.42;
  if (/[,.:;'!|]/.test(ch)) return 0.34;
  if (ch === " ") return 0.34;
  if (/[mw]/.test(ch)) return 0.98;
  if (/[MW]/.test(ch)) return 1.08;
  if (/[a-z]/.test(ch)) return 0.66;
  if (/[A-Z]/.test(ch)) return 0.84;
  if (/[α-ω]/.test(ch)) return 0.7;
  if (/[Α-Ω]/.test(ch)) return 0.86;
  if (ch === "⋮") return 0.5;
  return 1.05;
}

/** Room (ems) after a run for an italic letter's overhang (the J of Latin Modern's italic: 0.14 em). */
export const OVERHANG = 0.16;

/** Width of a run of text at a size, with room for an italic letter's overhang. */
export function runWidth(text: string, size: number, plain = false): number {
  if (text.length === 0) return 0;
  let em = OVERHANG;
  for (const ch of text) em += charEm(ch, plain);
  return em * size;
}

/** How much room a label takes: its width, where each name's scripts start, its height and depth. */
export interface TextExtent {
  readonly width: number;
  /** For each name: the x (from the label's left) where its base (and the room for its overhang) ends and its scripts start. */
  readonly splits: readonly number[];
  /** For each name: the x where it starts. */
  readonly starts: readonly number[];
  /** Above and below the baseline. */
  readonly ascent: number;
  readonly descent: number;
}

/** The gap between names in one label (", "). */
export const SEPARATOR = ", ";

/** The width of {@link SEPARATOR} at a font size (px). */
export function separatorWidth(size: number): number {
  return runWidth(SEPARATOR, size) - OVERHANG * size;
}

/** The room a label takes at a font size (px). */
export function measure(label: LabelText, size: number): TextExtent {
  const s = size * FONT.script;
  const plain = label.style === "text";
  const sep = separatorWidth(size);
  let x = 0;
  let ascent = FONT.ascent * size;
  let descent = FONT.descent * size;
  const splits: number[] = [];
  const starts: number[] = [];
  label.atoms.forEach((p, i) => {
    if (i > 0) x += sep;
    starts.push(x);
    x += runWidth(p.base, size, plain);
    splits.push(x);
    const scripts = Math.max(
      p.sup !== undefined ? runWidth(p.sup, s, plain) : 0,
      p.sub !== undefined ? runWidth(p.sub, s, plain) : 0,
    );
    x += scripts;
    if (p.sup !== undefined) ascent = Math.max(ascent, FONT.supRise * size + FONT.ascent * s);
    if (p.sub !== undefined) descent = Math.max(descent, FONT.subDrop * size + FONT.descent * s);
  });
  return { width: x, splits, starts, ascent, descent };
}
