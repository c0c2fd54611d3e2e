/**
 * @chainrule/viz — the derivation as LaTeX, Markdown, HTML, SVG and TikZ.
 *
 * @packageDocumentation
 */
export {};
