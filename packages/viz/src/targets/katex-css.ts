/**
 * KaTeX's stylesheet made self-contained: every font a data URI, or no @font-face at all. The
 * main entry applies it to the stylesheet and fonts embedded in `katex-assets.ts`;
 * `@chainrule/viz/node` to the files of the installed katex package (the same text while the
 * two are the same version).
 */

/** How a page gets KaTeX's fonts: woff2 data URIs ("inline") or none (the page's serif font stands in). */
export type FontMode = "inline" | "none";

/**
 * KaTeX's stylesheet `css` with each `@font-face` source replaced by the woff2 font as a data URI
 * (`font(name)` gives its base64), or every `@font-face` removed for "none". Throws if a `url(`
 * other than a data URI is left: such a page would make a request.
 */
export function selfContainedKatexCss(css: string, fonts: FontMode, font: (file: string) => string): string {
  if (fonts !== "inline" && fonts !== "none")
    throw new Error(
      `chainrule: KaTeX's fonts are "inline" or "none"; got ${JSON.stringify(String(fonts)).slice(0, 40)}.`,
    );
  const out =
    fonts === "none"
      ? css.replace(/@font-face\{[^}]*\}/g, "")
      : css.replace(
          /src:url\(fonts\/([^)]+\.woff2)\) format\("woff2"\)[^;}]*/g,
          (_m, file: string) => `src:url(data:font/woff2;base64,${font(file)}) format("woff2")`,
        );
  // any url( left would be a request: refuse to hand out such a stylesheet
  if (/url\((?!data:)/.test(out)) throw new Error("chainrule: KaTeX's stylesheet still refers to an external file.");
  return out;
}
