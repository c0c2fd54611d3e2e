/**
 * LaTeX fragments of one form of the derivation for chosen parameters — the `align*` rows behind
 * `chainrule derive --format latex`: the coloured chains, the local partials, or the δ table and
 * the gradients that use it.
 */
import { deltaForm, deltasNeededBy, type Graph } from "@chainrule/core";
import { colourDefinitions } from "../colours.js";
import { chainListing, chainRows, partialOfCost } from "./chains.js";
import { LatexPrinter, type PrinterOptions } from "./printer.js";

/** Which form a fragment spells the partials in. */
export type FragmentForm = "chain" | "local" | "delta";

/** Options of {@link fragmentRows}. */
export interface FragmentOptions extends Partial<PrinterOptions> {
  /** Paths listed per partial before the rest are counted. Default: all. */
  readonly maxPaths?: number;
  /** Factors per line of a chain. Default 5. */
  readonly factorsPerLine?: number;
}

/** The δ nodes the given gradients need, closed over the δ table, in dependency order. */
function neededDeltas(graph: Graph, params: readonly string[]): string[] {
  const form = deltaForm(graph);
  const list = deltasNeededBy(
    graph,
    params.map((p) => form.byParam.get(p)!.perExample),
  );
  // a layered network reads better layer by layer, neuron 1 first; a layer's δs never use each other
  if (graph.layers === null) return list;
  const key = (z: string) => graph.nodes[z]!.label!;
  return list.sort((a, b) => key(b).layer! - key(a).layer! || key(a).j - key(b).j);
}

/** The `align*` rows of one form for some parameters of a graph. */
export function fragmentRows(
  graph: Graph,
  params: readonly string[],
  form: FragmentForm,
  options: FragmentOptions = {},
): string[] {
  const printer = new LatexPrinter(graph, options);
  const per = options.factorsPerLine ?? 5;
  if (form !== "delta")
    return params.flatMap((p) => chainRows(printer, chainListing(graph, p, options.maxPaths ?? Infinity), form, per));
  const table = deltaForm(graph);
  const rows = neededDeltas(graph, params).map((z) => {
    const d = table.byNode.get(z)!;
    return `${printer.print(d.ref)} &= ${printer.print(d.definition)}`;
  });
  for (const p of params) {
    const g = table.byParam.get(p)!;
    const l2 = g.batch.kind === "const" && g.batch.value === 0 ? "" : ` + ${printer.print(g.batch)}`;
    rows.push(`${partialOfCost(printer, p)} &= ${printer.print(g.perExample)}${l2}`);
  }
  return rows;
}

/**
 * A fragment ready to paste into a LaTeX document with amsmath and xcolor: the colour
 * definitions, then the rows in an `align*`.
 */
export function latexFragment(
  graph: Graph,
  params: readonly string[],
  form: FragmentForm,
  options: FragmentOptions = {},
): string {
  const rows = fragmentRows(graph, params, form, options);
  return [
    "% chainrule: needs \\usepackage{amsmath} and \\usepackage{xcolor}; the path colours:",
    colourDefinitions(),
    "\\begin{align*}",
    rows.join(" \\\\\n"),
    "\\end{align*}",
  ].join("\n");
}
