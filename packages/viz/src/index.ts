/**
 * @chainrule/viz — the derivation as LaTeX, Markdown, HTML, SVG and TikZ: a printer for core's
 * expressions in the post's notation (and Ng's and Nielsen's), coloured chain-rule expansions,
 * the δ and matrix forms, derivation documents that follow the post for any network, network
 * diagrams and training curves.
 *
 * @packageDocumentation
 */
export * from "./escape.js";
export * from "./colours.js";
export * from "./latex/notation.js";
export * from "./latex/numbers.js";
export * from "./latex/symbols.js";
export * from "./latex/printer.js";
export * from "./latex/chains.js";
export * from "./latex/delta-steps.js";
export * from "./latex/tensor.js";
export * from "./doc/model.js";
export { resolveOptions, type DerivationOptions } from "./doc/context.js";
export * from "./doc/worked-example.js";
export * from "./doc/derivation.js";
export * from "./targets/latex.js";
export * from "./targets/markdown.js";
export * from "./targets/html.js";
export { katexCss, renderMath, KATEX_STRICT_OPTIONS, type FontMode } from "./targets/katex-assets.js";
export { layout, type Layout, type Unit, type Edge, type Highlight, type DiagramOptions } from "./diagram/layout.js";
export { networkSvg, type SvgOptions } from "./diagram/svg.js";
export { networkTikz, type TikzOptions } from "./diagram/tikz.js";
export * from "./latex/forms.js";
export * from "./chart/training-curve.js";
export * from "./doc/example-values.js";
