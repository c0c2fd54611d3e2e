/**
 * The HTML page renders in headless Chromium with nothing but itself: no KaTeX error element, no
 * console error, no request other than the page (data: URLs aside), KaTeX's fonts loaded from
 * the page, and no script element; on a 390 px phone the network figure keeps its natural size in
 * a box that scrolls sideways. One browser for the whole file; screenshots go to
 * test-artifacts/.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { layered } from "@chainrule/core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAVE_CHROMIUM, launchChromium, required } from "../../../test-support/tools.js";
import { derivation, exampleValues, networkSvg, toHtml, trainingCurveSvg } from "../src/index.js";
import { artifactsDir, hostileDag, post222 } from "./helpers.js";

const available = required(HAVE_CHROMIUM, "chromium", "the browser tests");

interface Visit {
  readonly requests: string[];
  readonly refused: string[];
  readonly errors: string[];
  readonly katexErrors: number;
  readonly katex: number;
  readonly scripts: number;
  readonly fontsLoaded: boolean;
}

describe.skipIf(!available)("the HTML page in a browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a page file, watching every request; anything but the file itself or data: is refused. */
  async function visit(file: string, screenshot: string): Promise<Visit> {
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ viewport: { width: 1000, height: 1300 }, offline: true });
    const page = await context.newPage();
    const seen = new Set<string>();
    const refused: string[] = [];
    const errors: string[] = [];
    await page.route("**/*", async (route) => {
      const u = route.request().url();
      seen.add(u);
      if (u === url || u.startsWith("data:")) await route.continue();
      else {
        refused.push(u);
        await route.abort();
      }
    });
    // every request the page makes, whether or not it reached the route handler
    page.on("request", (r) => void seen.add(r.url()));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: "load" });
    // evaluated in the page (a string: the test itself has no DOM types)
    await page.evaluate("document.fonts.ready.then(() => true)");
    const result: Visit = {
      requests: [...seen],
      refused,
      errors,
      katexErrors: await page.locator(".katex-error").count(),
      katex: await page.locator(".katex").count(),
      scripts: await page.locator("script").count(),
      fontsLoaded:
        (await page.evaluate(
          `document.fonts.check("20px KaTeX_Main") && [...document.fonts].some((f) => f.family.includes("KaTeX") && f.status === "loaded")`,
        )) === true,
    };
    await page.screenshot({ path: join(artifactsDir(), screenshot), fullPage: false });
    await context.close();
    return result;
  }

  it("renders the 2-2-2 derivation offline, fonts and all", async () => {
    const g = post222();
    const file = join(artifactsDir(), "derivation-2-2-2.html");
    writeFileSync(file, toHtml(derivation(g, { values: exampleValues(g, 1) })));
    const v = await visit(file, "derivation-2-2-2.png");
    expect(v.refused).toEqual([]);
    expect(v.requests.filter((r) => !r.startsWith("data:"))).toEqual([pathToFileURL(file).href]);
    expect(v.errors).toEqual([]);
    expect(v.katexErrors).toBe(0);
    expect(v.katex).toBeGreaterThan(50);
    expect(v.scripts).toBe(0);
    expect(v.fontsLoaded).toBe(true);
  });

  it("keeps the network figure at its natural size on a 390 px phone, in a box that scrolls sideways", async () => {
    const g = layered({ sizes: [2, 3, 3, 2] });
    const file = join(artifactsDir(), "derivation-2-3-3-2-phone.html");
    writeFileSync(file, toHtml(derivation(g, { values: exampleValues(g, 1) })));
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      offline: true,
    });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.evaluate("document.fonts.ready.then(() => true)");
    // the figure's SVG as drawn: its width on the page against its own width in pixels, and its box
    const figure = (await page.evaluate(`(() => {
      const svg = document.querySelector("figure svg");
      const box = svg.closest(".figure-scroll");
      const label = svg.querySelector(".edge-label text");
      return {
        natural: Number(svg.getAttribute("width")),
        drawn: svg.getBoundingClientRect().width,
        label: label === null ? 0 : label.getBoundingClientRect().height,
        scrolls: box.scrollWidth > box.clientWidth,
        boxWidth: box.clientWidth,
        overflowX: getComputedStyle(box).overflowX,
        pageOver: document.documentElement.scrollWidth - window.innerWidth,
        caption: document.querySelector("figcaption").getBoundingClientRect().width,
      };
    })()`)) as {
      natural: number;
      drawn: number;
      label: number;
      scrolls: boolean;
      boxWidth: number;
      overflowX: string;
      pageOver: number;
      caption: number;
    };
    await page.evaluate(`document.querySelector("figure").scrollIntoView()`);
    await page.screenshot({ path: join(artifactsDir(), "derivation-2-3-3-2-phone.png") });
    await context.close();
    // drawn at its own size (12 px parameters stay 12 px), wider than the phone, so its box scrolls
    expect(figure.natural).toBeGreaterThan(390);
    expect(Math.abs(figure.drawn - figure.natural)).toBeLessThan(1);
    expect(figure.label).toBeGreaterThanOrEqual(8);
    expect(figure.overflowX).toBe("auto");
    expect(figure.scrolls).toBe(true);
    expect(figure.boxWidth).toBeLessThanOrEqual(390);
    // while the page itself does not scroll sideways, and the caption wraps to the phone's width
    expect(figure.pageOver).toBeLessThanOrEqual(0);
    expect(figure.caption).toBeLessThanOrEqual(390);
  });

  it("shows hostile names as text and runs nothing", async () => {
    const g = hostileDag();
    const file = join(artifactsDir(), "derivation-dag.html");
    writeFileSync(
      file,
      toHtml(
        derivation(g, {
          title: `<script>document.title="owned"</script><img src="https://example.com/x.png">`,
          values: exampleValues(g, 2),
        }),
        { fonts: "none" },
      ),
    );
    const v = await visit(file, "derivation-dag.png");
    expect(v.refused).toEqual([]);
    expect(v.errors).toEqual([]);
    expect(v.katexErrors).toBe(0);
    expect(v.scripts).toBe(0);
  });

  it("shows the diagram and the training curve as standalone SVG files", async () => {
    const svg = join(artifactsDir(), "network.svg");
    writeFileSync(svg, networkSvg(post222(), { param: "theta_1_1_1" }));
    const curve = join(artifactsDir(), "training-curve.svg");
    const history = Array.from({ length: 40 }, (_, i) => ({
      epoch: i + 1,
      cost: 0.3 * Math.exp(-i / 10) + 0.02,
      accuracy: 1 - 0.5 * Math.exp(-i / 8),
      validationCost: 0.32 * Math.exp(-i / 11) + 0.03,
    }));
    writeFileSync(curve, trainingCurveSvg(history, { title: "Training <2-2-2>" }));
    for (const [file, shot] of [
      [svg, "network-svg.png"],
      [curve, "training-curve.png"],
    ] as const) {
      const v = await visit(file, shot);
      expect(v.refused).toEqual([]);
      // an XML error in an SVG file shows as a parsererror document
      expect(v.errors).toEqual([]);
    }
  });
});
