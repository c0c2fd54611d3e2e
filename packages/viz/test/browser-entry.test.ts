/**
 * The main entry runs in a browser: nothing it reaches (viz's modules, core's) imports a node
 * module or uses a node global; KaTeX's stylesheet and fonts are embedded, and the embedded copy
 * is the installed katex's (scripts/katex-css.mjs writes it again after an upgrade).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { moduleGraph } from "../../../scripts/module-graph.mjs";
import * as main from "../src/index.js";
import { katexCss } from "../src/index.js";
import * as node from "../src/node.js";
import { installedKatexVersion, readKatexCss } from "../src/node.js";
import { KATEX_VERSION } from "../src/targets/katex-assets.js";

const src = (f: string) => fileURLToPath(new URL(`../src/${f}`, import.meta.url));
const short = (f: string) => f.slice(f.indexOf("packages/"));

describe("@chainrule/viz's entries", () => {
  it("the main entry imports no node module and uses no node global", () => {
    const g = moduleGraph(src("index.ts"));
    expect(g.files.length).toBeGreaterThan(30);
    expect(g.node.map((n) => `${short(n.file)}: ${n.specifier}`)).toEqual([]);
    expect(g.globals.map((n) => `${short(n.file)}: ${n.name}`)).toEqual([]);
    expect([...g.packages].sort()).toEqual(["immer", "katex"]);
  });

  it("the node entry is the only one that reads files, and shares no name with the main entry", () => {
    const g = moduleGraph(src("node.ts"));
    expect([...new Set(g.node.map((n) => short(n.file)))]).toEqual(["packages/viz/src/node/katex-files.ts"]);
    expect(Object.keys(node).filter((k) => k in main)).toEqual([]);
  });

  it("embeds the installed katex's stylesheet and fonts", () => {
    expect(KATEX_VERSION).toBe(installedKatexVersion());
    for (const fonts of ["inline", "none"] as const) expect(katexCss(fonts)).toBe(readKatexCss(fonts));
    expect(katexCss("inline")).toMatch(/src:url\(data:font\/woff2;base64,[A-Za-z0-9+/]{1000}/);
    expect(katexCss("none")).not.toContain("@font-face");
  });
});
