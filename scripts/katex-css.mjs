// Writes packages/viz/src/targets/katex-assets.ts: KaTeX's stylesheet and the woff2 fonts it names
// (base64), read from the katex package viz depends on. viz's HTML target inlines them, so
// `toHtml` makes a self-contained page in a browser as in node, reading no file. Run it after
// changing viz's katex version: node scripts/katex-css.mjs
// (packages/viz/test/browser-entry.test.ts fails while the module and the installed katex differ.)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const viz = fileURLToPath(new URL("../packages/viz/", import.meta.url));
const require = createRequire(join(viz, "package.json"));
const cssPath = require.resolve("katex/dist/katex.min.css");
const version = JSON.parse(readFileSync(join(dirname(cssPath), "..", "package.json"), "utf8")).version;
const css = readFileSync(cssPath, "utf8");
const files = [...new Set([...css.matchAll(/url\(fonts\/([^)]+\.woff2)\)/g)].map((m) => m[1]))].sort();
const fonts = files.map(
  (f) =>
    `  ${JSON.stringify(f)}:\n    ${JSON.stringify(readFileSync(join(dirname(cssPath), "fonts", f)).toString("base64"))},`,
);

const out = join(viz, "src", "targets", "katex-assets.ts");
writeFileSync(
  out,
  `/**
 * KaTeX's stylesheet and the woff2 fonts it names, from katex ${version}: written by
 * scripts/katex-css.mjs (do not edit; run it again after changing katex's version). The HTML
 * target inlines them, so a page needs no file and no request.
 */

/** The katex version these come from. */
export const KATEX_VERSION = ${JSON.stringify(version)};

/** katex/dist/katex.min.css as katex ships it. */
export const KATEX_STYLESHEET =
  ${JSON.stringify(css)};

/** The woff2 fonts the stylesheet names (\`url(fonts/<name>)\`), base64, by file name. */
export const KATEX_FONTS: Readonly<Record<string, string>> = {
${fonts.join("\n")}
};
`,
);
console.log(`${out}: katex ${version}, ${files.length} fonts`);
