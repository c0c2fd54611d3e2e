/**
 * @chainrule/viz — the derivation as LaTeX, Markdown, HTML, SVG and TikZ: a printer for core's
 * expressions in the post's notation (and Ng's and Nielsen's), coloured chain-rule expansions,
 * the δ and matrix forms, derivation documents that follow the post for any network, network
 * diagrams and training curves.
 *
 * - {@link LatexPrinter} prints any expression of a graph (`latex(expr, graph)` for a one-off).
 * - {@link chainListing}, {@link chainRows}, {@link deltaSubstitutionRows}, {@link stepLatex} and
 *   {@link fragmentRows} print the chain, local, δ and matrix forms as `align*` rows.
 * - {@link derivation} builds a document that follows the post; {@link toStandaloneLatex},
 *   {@link toMarkdown} and {@link toHtml} render it (the HTML page needs no network at all).
 * - {@link networkSvg} and {@link networkTikz} draw the network with a parameter's paths in the
 *   chain colours; {@link trainingCurveSvg} draws per-epoch metrics.
 *
 * Every number in a worked example comes from core's evaluator; every user string is escaped.
 * Bad options throw core's typed errors (ArgumentError, UnknownNameError) with messages that say
 * what to change.
 *
 * @example
 * import { layered } from "@chainrule/core";
 * import { derivation, exampleValues, toStandaloneLatex } from "@chainrule/viz";
 *
 * const graph = layered({ sizes: [2, 2, 2], bias: false }); // the post's network
 * const doc = derivation(graph, { values: exampleValues(graph, 1) });
 * const tex = toStandaloneLatex(doc); // compiles with pdflatex
 *
 * @packageDocumentation
 * @module @chainrule/viz
 */

export * from "./chart/training-curve.js";
export * from "./colours.js";
export { type DiagramOptions, type Edge, type Highlight, type Layout, layout, type Unit } from "./diagram/layout.js";
export { networkSvg, type SvgOptions } from "./diagram/svg.js";
export { networkTikz, type TikzOptions } from "./diagram/tikz.js";
export { type DerivationOptions, MAX_FULL_FACTORS, resolveOptions } from "./doc/context.js";
export * from "./doc/derivation.js";
export * from "./doc/example-values.js";
export * from "./doc/model.js";
export { CHECKED_CHAIN_PATHS, checkedSampleSize } from "./doc/sections/checked.js";
export * from "./doc/worked-example.js";
export * from "./escape.js";
export * from "./latex/chains.js";
export * from "./latex/delta-steps.js";
export * from "./latex/forms.js";
export * from "./latex/notation.js";
export * from "./latex/numbers.js";
export * from "./latex/printer.js";
export * from "./latex/symbols.js";
export * from "./latex/tensor.js";
export * from "./targets/html.js";
export * from "./targets/latex.js";
export * from "./targets/markdown.js";
export * from "./targets/unicode.js";
