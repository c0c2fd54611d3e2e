/**
 * @chainrule/viz/node — what reads files. The main entry reads none (its HTML pages inline the
 * KaTeX stylesheet and fonts embedded in the package); this entry reads them from the installed
 * katex package, e.g. to check that the embedded copy is current.
 *
 * @example
 * import { katexCss } from "@chainrule/viz";
 * import { readKatexCss } from "@chainrule/viz/node";
 *
 * console.log(katexCss() === readKatexCss()); // true: the embedded stylesheet is the installed katex's
 *
 * @packageDocumentation
 * @module @chainrule/viz/node
 */
export { installedKatexVersion, readKatexCss } from "./node/katex-files.js";
