/**
 * The explorer on a phone: a real `chainrule serve` and headless Chromium at 390 × 844 with touch.
 * The controls fold into one bar above the diagram and open in the page's flow, so neither folded
 * nor open do they cover the diagram or the derivation (what is drawn at the diagram's and the
 * view's points is the diagram and the view); every edge of the diagram can be hit near its middle
 * and a tap on one chooses its parameter; and the parameter controls speak the chosen notation.
 * Each test opens its own page; screenshots go to test-artifacts/.
 */

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HAVE_CHROMIUM, launchChromium, required } from "../../../test-support/tools.js";
import { artifacts, ensureBuilt, type Served, serve } from "./served.js";

const available = required(HAVE_CHROMIUM, "chromium", "the explorer's browser tests");

/** Waits until the page shows a finished derivation of parameter `param`. */
async function settled(page: Page, param: string): Promise<void> {
  await page.waitForFunction(
    (p) => {
      const el = document.getElementById("view")!;
      return document.body.dataset.busy === "false" && el.dataset.filling === "false" && el.dataset.param === p;
    },
    param,
    { timeout: 30_000 },
  );
}

/**
 * What covers the diagram or the view, at its points on screen: the page is scrolled to the top,
 * then to each, and a grid of points over the part on screen must hit the element itself.
 */
async function covered(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const target of ["diagram", "view"]) {
    for (const scroll of ["top", "target"] as const) {
      out.push(
        ...(await page.evaluate(
          ([id, where]) => {
            const el = document.getElementById(id)!;
            if (where === "top") window.scrollTo(0, 0);
            else window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8);
            const r = el.getBoundingClientRect();
            const bad: string[] = [];
            for (let i = 1; i < 6; i++) {
              for (let j = 1; j < 6; j++) {
                const x = r.left + (r.width * i) / 6;
                const y = r.top + (r.height * j) / 6;
                if (y < 0 || y >= innerHeight || x < 0 || x >= innerWidth) continue;
                const hit = document.elementFromPoint(x, y);
                if (hit === null || !el.contains(hit))
                  bad.push(
                    `${id} (scrolled to ${where}) at ${Math.round(x)},${Math.round(y)} shows ${hit?.tagName}#${hit?.id}.${hit?.getAttribute("class") ?? ""}`,
                  );
              }
            }
            return bad;
          },
          [target, scroll] as const,
        )),
      );
    }
  }
  // and the boxes on the page apart: controls, diagram, view
  out.push(
    ...(await page.evaluate(() => {
      const box = (id: string) => {
        const r = document.getElementById(id)!.getBoundingClientRect();
        return { id, x0: r.left, y0: r.top + scrollY, x1: r.right, y1: r.bottom + scrollY };
      };
      const [c, d, v] = ["controls", "diagram", "view"].map(box) as [
        ReturnType<typeof box>,
        ReturnType<typeof box>,
        ReturnType<typeof box>,
      ];
      const meet = (a: typeof c, b: typeof c) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
      return [
        [c, d],
        [c, v],
        [d, v],
      ]
        .filter(([a, b]) => meet(a!, b!))
        .map(([a, b]) => `#${a!.id} meets #${b!.id}`);
    })),
  );
  return out;
}

/**
 * For each clickable edge, the point nearest its middle that no other edge's hit area covers (its
 * middle, unless another edge crosses there), scrolled into view, and what the page has there.
 */
async function edgeHits(
  page: Page,
  only?: string,
): Promise<{ param: string; t: number; hit: boolean; x: number; y: number }[]> {
  return page.evaluate((one) => {
    const host = document.getElementById("diagram-svg")!;
    const hits = [...host.querySelectorAll<SVGPathElement>("path.hit")];
    const svg = host.querySelector("svg")!;
    return hits
      .filter((h) => one === null || h.dataset.param === one)
      .map((h) => {
        const len = h.getTotalLength();
        const p = svg.createSVGPoint();
        let t = 0.5;
        for (const dt of [0, 0.05, -0.05, 0.1, -0.1, 0.15, -0.15, 0.2, -0.2, 0.25, -0.25, 0.3, -0.3]) {
          const q = h.getPointAtLength(len * (0.5 + dt));
          p.x = q.x;
          p.y = q.y;
          if (hits.every((o) => o === h || !o.isPointInStroke(p))) {
            t = 0.5 + dt;
            break;
          }
        }
        const q = h.getPointAtLength(len * t);
        // bring the point on screen: the diagram scrolls sideways on a phone
        const m = () => h.getScreenCTM()!;
        const sx = () => m().a * q.x + m().c * q.y + m().e;
        host.scrollLeft += sx() - innerWidth / 2;
        const y0 = m().b * q.x + m().d * q.y + m().f;
        window.scrollBy(0, y0 - innerHeight / 2);
        const x = sx();
        const y = m().b * q.x + m().d * q.y + m().f;
        return { param: h.dataset.param!, t, hit: document.elementFromPoint(x, y) === h, x, y };
      });
  }, only ?? null);
}

describe.skipIf(!available)("the explorer on a 390 px phone", () => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ensureBuilt();
    served = await serve();
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  // a fresh phone-sized page for every test
  beforeEach(async () => {
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      deviceScaleFactor: 2,
    });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context.close();
  });

  /** Opens the explorer at `hash` on the test's page, its first derivation shown. */
  async function open(hash = ""): Promise<void> {
    await page.goto(served.url + hash);
    await page.waitForFunction(() => window.chainrule?.readiness.firstRender != null, null, { timeout: 30_000 });
  }

  it("folds the controls above the diagram, and nothing covers the diagram or the derivation, folded or open", async () => {
    await open();
    await settled(page, "theta_1_1_1");
    expect(await page.getAttribute("#controls-toggle", "aria-expanded")).toBe("false");
    expect(await page.isVisible("#ctl-layers")).toBe(false);
    expect(await page.textContent("#controls-toggle")).toMatch(/^2-2-2 network/);
    expect(await covered(page)).toEqual([]);
    // no sideways scroll of the page itself (the diagram scrolls inside its frame)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${artifacts()}phone-folded.png` });
    // open: the controls push the diagram down instead of lying over it, and they work
    await page.tap("#controls-toggle");
    expect(await page.getAttribute("#controls-toggle", "aria-expanded")).toBe("true");
    expect(await page.isVisible("#ctl-layers")).toBe(true);
    expect(await covered(page)).toEqual([]);
    await page.fill("#ctl-layers", "2, 3, 2");
    await page.press("#ctl-layers", "Tab");
    await page.waitForFunction(() => document.getElementById("headline")!.dataset.parameters === "12", null, {
      timeout: 30_000,
    });
    await settled(page, "theta_1_1_1");
    expect(await covered(page)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${artifacts()}phone-open.png`, fullPage: true });
  });

  for (const [name, hash] of [
    ["2-2-2", ""],
    [
      "2-3-2 with biases",
      "#layers=2,3,2&act=sigmoid,sigmoid&cost=mse&bias=on&notation=post&param=1,1,1&seed=1&view=chain",
    ],
  ] as const) {
    it(`lets every edge of the ${name} diagram be hit near its middle, and a tap choose its parameter`, async () => {
      await open(hash);
      await settled(page, "theta_1_1_1");
      const edges = await edgeHits(page);
      expect(edges.length).toBe(name === "2-2-2" ? 8 : 17);
      expect(edges.filter((e) => !e.hit).map((e) => `${e.param} at t = ${e.t}`)).toEqual([]);
      // most edges at their very middle; the rest only where another edge crosses it
      expect(edges.filter((e) => e.t === 0.5).length).toBeGreaterThanOrEqual(edges.length / 2);
      // a tap on an edge chooses its parameter
      const other = edges.find((e) => e.param !== "theta_1_1_1" && e.t === 0.5)!;
      // (the point again, scrolled into view last)
      const [at] = await edgeHits(page, other.param);
      expect(at!.hit).toBe(true);
      await page.touchscreen.tap(at!.x, at!.y);
      await settled(page, other.param);
      await page.screenshot({ path: `${artifacts()}phone-tapped-${name.replace(/\W+/g, "-")}.png` });
    });
  }

  it("labels the parameter controls in the chosen notation, l in its numbering", async () => {
    await open();
    await settled(page, "theta_1_1_1");
    await page.tap("#controls-toggle");
    const named = async (id: string) => page.$eval(`#${id} annotation`, (a) => a.textContent);
    const cases = [
      ["post", "\\theta^{(l)}_{jk}", "\\theta^{(l)}_{j0}", "1"],
      ["ng", "W^{[l]}_{jk}", "b^{[l]}_{j}", "1"],
      ["nielsen", "w^{l}_{jk}", "b^{l}_{j}", "2"],
    ] as const;
    for (const [notation, weight, bias, l] of cases) {
      await page.selectOption("#ctl-notation", notation);
      await page.waitForFunction((w) => document.querySelector("#param-name annotation")?.textContent === w, weight, {
        timeout: 30_000,
      });
      expect(await named("bias-name")).toBe(bias);
      expect(await page.inputValue("#ctl-param-l")).toBe(l);
      // the diagram follows with the derivation in the new notation
      const spoken = `choose ${notation === "post" ? "θ" : notation === "ng" ? "W" : "w"}(${l}) 1,1`;
      await page.waitForFunction(
        (want) => document.querySelector("#diagram-svg path.hit")?.getAttribute("aria-label") === want,
        spoken,
        { timeout: 30_000 },
      );
    }
    // in Nielsen's numbering the weights into layer 3 are w³: l = 3 chooses the post's θ⁽²⁾
    await page.fill("#ctl-param-l", "3");
    await page.press("#ctl-param-l", "Tab");
    await settled(page, "theta_2_1_1");
    await page.fill("#ctl-param-l", "1");
    await page.press("#ctl-param-l", "Tab");
    await page.waitForFunction(() => document.getElementById("msg-param")!.textContent !== "");
    expect(await page.textContent("#msg-param")).toBe("l must be 2 to 3; got 1.");
    await page.screenshot({ path: `${artifacts()}phone-nielsen.png` });
  });
});
