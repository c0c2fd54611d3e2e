/**
 * Node names in the post's notation for a terminal: θ⁽¹⁾₁₁, z⁽²⁾₁, a⁽³⁾₂, x₁, J.
 */
import type { Graph } from "@chainrule/core";

const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const SUB = "₀₁₂₃₄₅₆₇₈₉";
const map = (n: number, digits: string) => String(n).replace(/\d/g, (d) => digits[Number(d)]!);

/** θ⁽ˡ⁾_jk, z⁽ˡ⁾_j, a⁽ˡ⁾_j, x_k, y_j or J for a layered node; the id itself otherwise. */
export function unicodeName(graph: Graph, id: string): string {
  const n = graph.nodes[id];
  if (n === undefined) return id;
  if (n.kind === "cost") return "J";
  const lab = n.label;
  if (lab === undefined) return id;
  const layer = lab.layer === undefined ? "" : `⁽${map(lab.layer, SUP)}⁾`;
  switch (n.kind) {
    case "param":
      return `θ${layer}${map(lab.j, SUB)}${map(lab.k ?? 0, SUB)}`;
    case "z":
      return `z${layer}${map(lab.j, SUB)}`;
    case "a":
      return `a${layer}${map(lab.j, SUB)}`;
    case "input":
      return `x${map(lab.j, SUB)}`;
    case "target":
      return `y${map(lab.j, SUB)}`;
  }
}

/** Text in a 24-bit colour when colours are on. */
export function paint(text: string, hex: string, on: boolean): string {
  if (!on) return text;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `\x1b[38;2;${r};${g};${b}m${text}\x1b[39m`;
}

/** Colours on a terminal unless NO_COLOR is set. */
export function coloursOn(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true && (process.env.NO_COLOR ?? "") === "";
}
