/**
 * KaTeX for self-contained pages: its stylesheet with the fonts inlined as data URIs (or left out,
 * falling back to the page's serif font), and rendering with settings that never fetch anything.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import katex from "katex";

/** How a page gets KaTeX's fonts. */
export type FontMode = "inline" | "none";

const require = createRequire(import.meta.url);
const cache = new Map<FontMode, string>();

/** KaTeX's CSS with every font as a woff2 data URI ("inline") or no @font-face at all ("none"). */
export function katexCss(fonts: FontMode = "inline"): string {
  const hit = cache.get(fonts);
  if (hit !== undefined) return hit;
  const cssPath = require.resolve("katex/dist/katex.min.css");
  const css = readFileSync(cssPath, "utf8");
  const dir = dirname(cssPath);
  const out =
    fonts === "none"
      ? css.replace(/@font-face\{[^}]*\}/g, "")
      : css.replace(/src:url\(fonts\/([^)]+\.woff2)\) format\("woff2"\)[^;}]*/g, (_m, file: string) => {
          const data = readFileSync(join(dir, "fonts", file)).toString("base64");
          return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
        });
  // any url( left would be a request: refuse to hand out such a stylesheet
  if (/url\((?!data:)/.test(out)) throw new Error("chainrule: KaTeX's stylesheet still refers to an external file.");
  cache.set(fonts, out);
  return out;
}

/** KaTeX settings of the HTML target: no trust (no \href, \url, \includegraphics), errors shown in place. */
export const KATEX_PAGE_OPTIONS = { throwOnError: false, strict: "ignore", trust: false, output: "htmlAndMathml" } as const;

/** Math to HTML with KaTeX. */
export function renderMath(latex: string, display: boolean): string {
  return katex.renderToString(latex, { ...KATEX_PAGE_OPTIONS, displayMode: display });
}

/** The strict settings the tests hold every printed string to: any LaTeX KaTeX or LaTeX would reject throws. */
export const KATEX_STRICT_OPTIONS = { throwOnError: true, strict: "error", trust: false } as const;
