/**
 * Labels of diagram units: LaTeX from the printer (for TikZ) and the same label as plain parts —
 * base, superscript, subscript — for SVG text, so both diagrams use the document's notation.
 */
import type { Graph } from "@chainrule/core";
import { LatexPrinter } from "../latex/printer.js";
import type { NotationName } from "../latex/notation.js";

/** A label as plain text parts (user names stay as they are; SVG escapes them). */
export interface LabelParts {
  readonly base: string;
  readonly sup?: string;
  readonly sub?: string;
}

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
  const tex = printer.node(id).replace(/\(\\theta\)$/, "");
  const m = /^(\\[A-Za-z]+|[A-Za-z]|\\mathrm\{([A-Za-z]+)\})(?:\^\{([^{}]*)\})?(?:_\{([^{}]*)\})?$/.exec(tex);
  if (m === null) return { base: id };
  const [, head, roman, sup, sub] = m;
  const base = roman ?? LETTERS[head!] ?? (head!.startsWith("\\") ? null : head!);
  if (base === null) return { base: id };
  return { base, ...(sup !== undefined ? { sup } : {}), ...(sub !== undefined ? { sub } : {}) };
}
