/**
 * Documents that fit their pages, measured by the engines that set them: pdflatex reports no
 * overfull line wider than 1pt for the post's networks, 2-3-3-2, 3-4-2 with softmax and
 * cross-entropy, 4-10-3 and 4-10-3 in full, in every notation, and the default document of each
 * network up to 4-10-3 takes at most 8 pages; and in Chromium at 1280 px no KaTeX display block of
 * their HTML pages needs a horizontal scroll bar. Each half skips when its engine is missing (and
 * fails under CI=true, which needs every test).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Graph, layered } from "@chainrule/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileTex, HAVE_CHROMIUM, launchChromium, PDFLATEX, required } from "../../../test-support/tools.js";
import { derivation, exampleValues, NOTATIONS, type NotationName, toHtml, toStandaloneLatex } from "../src/index.js";
import { post111, post222 } from "./helpers.js";

const pdflatex = required(PDFLATEX, "pdflatex", "the layout tests that need it");
const browserThere = required(HAVE_CHROMIUM, "chromium", "the layout tests that need it");

/**
 * The networks of the issue, the notation their HTML page is checked in and whether in full, and
 * the most pages each may take: 8 for the default document of any of them (the everyday
 * document: representative parameters, each chain once), a full listing as many as it needs.
 */
const NETWORKS: { name: string; graph: () => Graph; notation: NotationName; full: boolean; pages: number }[] = [
  { name: "1-1-1", graph: post111, notation: "post", full: false, pages: 8 },
  { name: "2-2-2", graph: post222, notation: "post", full: false, pages: 8 },
  { name: "2-2-2-ng", graph: post222, notation: "ng", full: false, pages: 8 },
  { name: "2-3-3-2", graph: () => layered({ sizes: [2, 3, 3, 2] }), notation: "post", full: false, pages: 8 },
  {
    name: "3-4-2-softmax",
    graph: () => layered({ sizes: [3, 4, 2], activation: ["tanh", "softmax"], cost: "cross-entropy" }),
    notation: "post",
    full: false,
    pages: 8,
  },
  { name: "4-10-3", graph: () => layered({ sizes: [4, 10, 3] }), notation: "post", full: false, pages: 8 },
  { name: "4-10-3-full", graph: () => layered({ sizes: [4, 10, 3] }), notation: "post", full: true, pages: 36 },
];

/** A network's document as `chainrule render` makes it: θ⁽¹⁾₁₁ chosen, seed 1's weights and example, η = 0.5. */
const documentOf = (n: (typeof NETWORKS)[number], notation: NotationName = n.notation) => {
  const g = n.graph();
  return derivation(g, { notation, full: n.full, values: exampleValues(g, 1) });
};

describe.skipIf(!pdflatex)("pdflatex", () => {
  // every network in every notation (the "-ng" entry is the 2-2-2 network again)
  for (const n of NETWORKS.filter((m) => !m.name.endsWith("-ng"))) {
    it(`sets the ${n.name} document with no overfull line and in at most ${n.pages} pages, in every notation`, async () => {
      const found = await Promise.all(
        NOTATIONS.map(async (notation) => {
          const { log } = await compileTex("d", toStandaloneLatex(documentOf(n, notation)), "chainrule-layout-");
          const overfull = [...log.matchAll(/Overfull \\hbox \(([\d.]+)pt too wide\)[^\n]*\n([^\n]*)/g)]
            .filter((m) => Number(m[1]) > 1)
            .map((m) => `${m[1]}pt: ${m[2]}`);
          const pages = Number(/Output written on d\.pdf \((\d+) pages?/.exec(log)?.[1]);
          return { notation, overfull, pages };
        }),
      );
      expect(found.flatMap((f) => f.overfull.map((o) => `${f.notation}: ${o}`))).toEqual([]);
      for (const f of found) {
        expect(f.pages, f.notation).toBeLessThanOrEqual(n.pages);
        // a document cut short would pass the bound: the post's steps take more than a few pages
        expect(f.pages, f.notation).toBeGreaterThanOrEqual(n.full ? 20 : 5);
      }
    }, 180_000);
  }
});

describe.skipIf(!browserThere)("Chromium at 1280 px", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  for (const n of NETWORKS) {
    it(`shows every display block of the ${n.name} page without a horizontal scroll bar`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "chainrule-layout-"));
      const file = join(dir, "d.html");
      writeFileSync(file, toHtml(documentOf(n)));
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      await page.evaluate("document.fonts.ready.then(() => true)");
      // each .eq block scrolls sideways only if its KaTeX is wider than the block
      const wide = (await page.evaluate(
        `[...document.querySelectorAll(".eq")].map((e, i) => ({ i, over: e.scrollWidth - e.clientWidth, tex: (e.querySelector("annotation")?.textContent ?? "").slice(0, 120) })).filter((x) => x.over > 1)`,
      )) as { i: number; over: number; tex: string }[];
      const blocks = (await page.evaluate(`document.querySelectorAll(".eq").length`)) as number;
      const pageWide = (await page.evaluate(`document.documentElement.scrollWidth - window.innerWidth`)) as number;
      await context.close();
      expect(blocks).toBeGreaterThan(10);
      expect(wide).toEqual([]);
      expect(pageWide).toBeLessThanOrEqual(0);
    }, 120_000);
  }
});
