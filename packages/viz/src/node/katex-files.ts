/**
 * KaTeX's stylesheet read from the installed katex package, made self-contained as the HTML
 * target's: the text `katexCss` gives from its embedded copy when the versions agree.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type FontMode, selfContainedKatexCss } from "../targets/katex-css.js";

/** The katex version installed next to viz (the one `renderMath` runs). */
export function installedKatexVersion(): string {
  const cssPath = createRequire(import.meta.url).resolve("katex/dist/katex.min.css");
  return (JSON.parse(readFileSync(join(dirname(cssPath), "..", "package.json"), "utf8")) as { version: string })
    .version;
}

/**
 * KaTeX's CSS from the installed katex package's files, every font a woff2 data URI ("inline")
 * or no @font-face at all ("none").
 */
export function readKatexCss(fonts: FontMode = "inline"): string {
  const cssPath = createRequire(import.meta.url).resolve("katex/dist/katex.min.css");
  const dir = dirname(cssPath);
  return selfContainedKatexCss(readFileSync(cssPath, "utf8"), fonts, (file) =>
    readFileSync(join(dir, "fonts", file)).toString("base64"),
  );
}
