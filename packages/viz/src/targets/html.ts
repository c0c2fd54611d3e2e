/**
 * A self-contained HTML page: the math pre-rendered with KaTeX, its stylesheet and fonts inline,
 * diagrams as inline SVG, and a content security policy that forbids every request and script —
 * the page renders offline and never reaches the network. KaTeX's stylesheet and fonts are
 * embedded in this package (`katex-assets.ts`, generated from the katex it depends on), so a page
 * is made the same way in a browser and in node, reading no file.
 */
import katex from "katex";
import { alignedBlock, type Block, type DerivationDocument, type Inline } from "../doc/model.js";
import { escapeHtml } from "../escape.js";
import { KATEX_FONTS, KATEX_STYLESHEET } from "./katex-assets.js";
import { type FontMode, selfContainedKatexCss } from "./katex-css.js";

export type { FontMode } from "./katex-css.js";

const cache = new Map<FontMode, string>();

/** KaTeX's CSS with every font as a woff2 data URI ("inline") or no @font-face at all ("none"). */
export function katexCss(fonts: FontMode = "inline"): string {
  const hit = cache.get(fonts);
  if (hit !== undefined) return hit;
  const out = selfContainedKatexCss(KATEX_STYLESHEET, fonts, (file) => {
    const data = KATEX_FONTS[file];
    if (data === undefined)
      throw new Error(
        `chainrule: KaTeX's stylesheet names the font ${file}, which viz does not embed; run node scripts/katex-css.mjs.`,
      );
    return data;
  });
  cache.set(fonts, out);
  return out;
}

/** KaTeX settings of the HTML target: no trust (no \href, \url, \includegraphics), errors shown in place. */
export const KATEX_PAGE_OPTIONS = {
  throwOnError: false,
  strict: "ignore",
  trust: false,
  output: "htmlAndMathml",
} as const;

/** Math to HTML with KaTeX. */
export function renderMath(latex: string, display: boolean): string {
  return katex.renderToString(latex, { ...KATEX_PAGE_OPTIONS, displayMode: display });
}

/** The strict settings the tests hold every printed string to: any LaTeX KaTeX or LaTeX would reject throws. */
export const KATEX_STRICT_OPTIONS = { throwOnError: true, strict: "error", trust: false } as const;

/** Options of {@link toHtml}. */
export interface HtmlOptions {
  /** KaTeX fonts as data URIs (default) or left out (the page's serif font stands in). */
  readonly fonts?: FontMode;
}

/** No fetches, no scripts: styles and fonts inline, images only as data URIs. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:";

const PAGE_CSS = `
body{margin:0;background:#fff;color:#1a1a1a;font:17px/1.55 "Latin Modern Roman","Times New Roman",Times,serif}
main{max-width:56rem;margin:0 auto;padding:2rem 1.5rem 4rem}
h1{font-size:1.9rem;margin:0 0 1.5rem}
h2{font-size:1.35rem;margin:2.2rem 0 .8rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1.1rem}
.eq{overflow-x:auto;overflow-y:hidden;margin:.6rem 0;padding:.2rem 0}
.note{border-left:3px solid #bbb;margin:1rem 0;padding:.2rem 1rem;color:#333;font-size:.95em;background:#fafafa}
figure{margin:1.2rem 0;text-align:center}
.figure-scroll{overflow-x:auto;overflow-y:hidden}
.figure-scroll svg{max-width:none;height:auto;display:inline-block;vertical-align:top}
figcaption{font-size:.9em;color:#333;margin-top:.4rem}
`;

/** Inline pieces in HTML: prose escaped, math rendered by KaTeX. */
export function htmlInline(content: readonly Inline[]): string {
  return content
    .map((i) =>
      i.kind === "math"
        ? renderMath(i.latex, false)
        : i.kind === "strong"
          ? `<strong>${escapeHtml(i.text)}</strong>`
          : escapeHtml(i.text),
    )
    .join("");
}

/** How {@link blockToHtml} writes the blocks a page shows differently. */
export interface BlockHtmlOptions {
  /** Heading level to use instead of the block's own. */
  readonly headingLevel?: number;
  /** A figure's HTML (default: the SVG with its caption). */
  readonly figure?: (b: Extract<Block, { kind: "figure" }>) => string;
}

/** One block of a derivation document as HTML: prose escaped, math rendered by KaTeX. */
export function blockToHtml(b: Block, options: BlockHtmlOptions = {}): string {
  switch (b.kind) {
    case "heading": {
      const level = options.headingLevel ?? b.level;
      return `<h${level}>${escapeHtml(b.text)}</h${level}>`;
    }
    case "paragraph":
      return `<p>${htmlInline(b.content)}</p>`;
    case "note":
      return `<div class="note"><p>${htmlInline(b.content)}</p></div>`;
    case "equations":
      return b.rows.length === 0 ? "" : `<div class="eq">${renderMath(alignedBlock(b.rows), true)}</div>`;
    case "list": {
      const tag = b.ordered ? "ol" : "ul";
      return `<${tag}>${b.items.map((i) => `<li>${htmlInline(i)}</li>`).join("")}</${tag}>`;
    }
    case "figure":
      // the SVG is the library's own, every user string in it escaped; it keeps its natural size
      // (its labels stay readable on a phone) in a box that scrolls sideways when the page is narrower
      return (
        options.figure?.(b) ??
        `<figure><div class="figure-scroll">${b.svg}</div><figcaption>${htmlInline(b.caption)}</figcaption></figure>`
      );
  }
}

/** The document as one HTML page that needs nothing but itself. */
export function toHtml(doc: DerivationDocument, options: HtmlOptions = {}): string {
  const body = doc.blocks
    .map((b) => blockToHtml(b))
    .filter((s) => s !== "")
    .join("\n");
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${katexCss(options.fonts ?? "inline")}</style>`,
    `<style>${PAGE_CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<h1>${escapeHtml(doc.title)}</h1>`,
    body,
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
