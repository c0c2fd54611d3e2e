/**
 * The SVG diagrams in headless Chromium: every label's rendered ink stays inside the box the
 * placer reserved for it — with the fonts the SVG asks for and with wider and narrower serif
 * fonts forced in their place — so labels kept apart in the model are apart on screen, and the
 * superscript renders above the subscript. Each test opens its own page; screenshots go to
 * test-artifacts/.
 */
import { join } from "node:path";
import { type Graph, layered } from "@chainrule/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAVE_CHROMIUM, launchChromium, required } from "../../../test-support/tools.js";
import { type PlacedLabel, scene } from "../src/diagram/scene.js";
import { type NotationName, networkSvg } from "../src/index.js";
import { artifactsDir, hostileDag, post222 } from "./helpers.js";

const available = required(HAVE_CHROMIUM, "chromium", "the browser tests");

const DIAGRAMS: readonly { name: string; graph: () => Graph; param: string; notation: NotationName }[] = [
  { name: "2-2-2", graph: post222, param: "theta_1_1_1", notation: "post" },
  { name: "2-3-2-ng", graph: () => layered({ sizes: [2, 3, 2] }), param: "theta_2_1_1", notation: "ng" },
  {
    name: "3-4-2-softmax",
    graph: () => layered({ sizes: [3, 4, 2], activation: ["sigmoid", "softmax"], cost: "cross-entropy" }),
    param: "theta_1_1_1",
    notation: "nielsen",
  },
  { name: "12-10-12", graph: () => layered({ sizes: [12, 10, 12] }), param: "theta_1_10_12", notation: "post" },
  { name: "hostile-dag", graph: hostileDag, param: "w1", notation: "post" },
];

/** Serif fonts forced onto the labels: none (the SVG's own), a wide one and a Times-like one. */
const FONTS = [null, "DejaVu Serif", "Liberation Serif"] as const;

/** Each label group's rendered ink (the union of its texts'), in SVG units, and its scripts'. */
interface Rendered {
  readonly box: { x0: number; y0: number; x1: number; y1: number };
  readonly sup: { y0: number; y1: number } | null;
  readonly sub: { y0: number; y1: number } | null;
}

/**
 * Run in the page (a string: the test itself has no DOM types): the ink of every text of every
 * label, from the canvas's measure of the same text in the same computed font, placed at the
 * text's anchor.
 */
const MEASURE = `(() => {
  const ctx = document.createElement("canvas").getContext("2d");
  const ink = (t) => {
    const cs = getComputedStyle(t);
    ctx.font = cs.fontStyle + " " + cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily;
    const m = ctx.measureText(t.textContent);
    const x = Number(t.getAttribute("x"));
    const y = Number(t.getAttribute("y"));
    const anchor = t.getAttribute("text-anchor") || cs.textAnchor;
    const left = anchor === "end" ? x - m.width : anchor === "middle" ? x - m.width / 2 : x;
    return { x0: left - m.actualBoundingBoxLeft, x1: left + m.actualBoundingBoxRight, y0: y - m.actualBoundingBoxAscent, y1: y + m.actualBoundingBoxDescent };
  };
  return [...document.querySelectorAll("svg g.labels > g")].map((g) => {
    const texts = [...g.querySelectorAll("text")].map((t) => ({ cls: t.getAttribute("class") || "", b: ink(t) }));
    const part = (c) => { const p = texts.find((x) => x.cls.split(" ").includes(c)); return p ? { y0: p.b.y0, y1: p.b.y1 } : null; };
    return {
      box: { x0: Math.min(...texts.map((x) => x.b.x0)), y0: Math.min(...texts.map((x) => x.b.y0)), x1: Math.max(...texts.map((x) => x.b.x1)), y1: Math.max(...texts.map((x) => x.b.y1)) },
      sup: part("sup"),
      sub: part("sub"),
    };
  });
})()`;

/** The room reserved for a label's text (a path number: its disc). */
function room(p: PlacedLabel): { x0: number; y0: number; x1: number; y1: number } {
  if (p.kind === "marker") return p.box;
  return { x0: p.x, y0: p.baseline - p.extent.ascent, x1: p.x + p.extent.width, y1: p.baseline + p.extent.descent };
}

describe.skipIf(!available)("SVG diagrams in a browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const d of DIAGRAMS) {
    it(`${d.name}: every label renders inside its room, whatever the serif font`, async () => {
      const options = { param: d.param, notation: d.notation };
      const svg = networkSvg(d.graph(), options);
      const labels = scene(d.graph(), options).labels;
      const page = await browser.newPage();
      try {
        const overflow: string[] = [];
        for (const font of FONTS) {
          const force =
            font === null
              ? ""
              : `<style>svg g.unit-label text, svg g.edge-label text { font-family: "${font}" !important; }</style>`;
          await page.setContent(`<!DOCTYPE html><body style="margin:0">${force}${svg}</body>`);
          await page.evaluate("document.fonts.ready.then(() => true)");
          const rendered = (await page.evaluate(MEASURE)) as Rendered[];
          expect(rendered.length).toBe(labels.length);
          rendered.forEach((r, i) => {
            const p = labels[i]!;
            const b = room(p);
            const t = 0.25;
            if (r.box.x0 < b.x0 - t || r.box.y0 < b.y0 - t || r.box.x1 > b.x1 + t || r.box.y1 > b.y1 + t) {
              overflow.push(
                `${font ?? "own font"}: ${p.kind} ${p.text.latex} renders ${JSON.stringify(r.box)} in ${JSON.stringify(b)}`,
              );
            }
            // a superscript renders above its subscript, their ink apart
            if (r.sup !== null && r.sub !== null)
              expect(r.sup.y1, `${font ?? "own font"} ${p.text.latex}`).toBeLessThan(r.sub.y0);
          });
          if (font === null)
            await page.locator("svg").screenshot({ path: join(artifactsDir(), `diagram-${d.name}.png`) });
        }
        expect(overflow).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
