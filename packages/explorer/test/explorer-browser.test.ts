/**
 * The explorer end to end: a real `chainrule serve --port 0` child process and headless Chromium.
 * Layer sizes and the parameter drive the rendered chains and the highlighted edges (checked
 * against core), a click on an edge chooses its parameter, invalid input shows a message and keeps
 * the state, a large network is derived in the worker and elided, every view renders and copies
 * its LaTeX, typed numbers reach the worked example, and the train tab lowers the loss — each
 * page with no console error and no request to any host but its server. Each test opens its own
 * page at the state it starts from; screenshots go to test-artifacts/.
 */

import { count, type LayerSpec, layered, pathCounts } from "@chainrule/core";
import type { Browser, BrowserContext, Page, Worker } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HAVE_CHROMIUM, launchChromium, required } from "../../../test-support/tools.js";
import { derive } from "../src/derive/derive.js";
import { DEFAULT_STATE, type ExplorerState, toHash, VIEW_IDS } from "../src/state.js";
import { highlightedEdges } from "./expected.js";
import { artifacts, ensureBuilt, type Served, serve } from "./served.js";

const available = required(HAVE_CHROMIUM, "chromium", "the explorer's browser tests");

/** The URL hash of the default state with another network and parameter. */
function hashOf(sizes: number[], bias: boolean, param: ExplorerState["param"]): string {
  return toHash({ ...DEFAULT_STATE, network: { ...DEFAULT_STATE.network, sizes, bias }, param });
}
/** The 3-4-2 network with biases, at θ⁽²⁾₁₀ and at θ⁽¹⁾₄₃. */
const BIASED_342_AT_210 = hashOf([3, 4, 2], true, [2, 1, 0]);
const BIASED_342_AT_143 = hashOf([3, 4, 2], true, [1, 4, 3]);

/** The rendered state the tests read: counts, the chosen parameter, its chain, the highlighted edges. */
interface Shown {
  readonly parameters: number;
  readonly factors: string;
  readonly param: string;
  readonly paramPaths: string;
  /** Distinct colours of the first equation group (the chosen parameter's chain). */
  readonly chainColours: number;
  readonly highlighted: string[];
  readonly hash: string;
}

async function shown(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    const head = document.getElementById("headline")!;
    const view = document.getElementById("view")!;
    const eq = view.querySelector(".eq");
    const colours = new Set(
      [...(eq?.querySelectorAll<HTMLElement>("[style*='color:']") ?? [])].map((e) => e.style.color),
    );
    const edges = [...document.querySelectorAll<SVGPathElement>("#diagram-svg path.edge[data-highlighted]")].map(
      (e) => `${e.dataset.from}→${e.dataset.to}`,
    );
    return {
      parameters: Number(head.dataset.parameters),
      factors: head.dataset.factors ?? "",
      param: view.dataset.param ?? "",
      paramPaths: view.dataset.paramPaths ?? "",
      chainColours: colours.size,
      highlighted: edges.sort(),
      hash: location.hash,
    };
  });
}

/**
 * Waits until the page shows a finished derivation of parameter `param` (and `view`, if given):
 * the worker is done and the view has taken in every part it will take without scrolling.
 */
async function settled(page: Page, param: string, view = "chain"): Promise<void> {
  await page.waitForFunction(
    ([p, v]) => {
      const el = document.getElementById("view")!;
      return (
        document.body.dataset.busy === "false" &&
        el.dataset.filling === "false" &&
        el.dataset.param === p &&
        el.dataset.view === v
      );
    },
    [param, view] as const,
    { timeout: 30_000 },
  );
}

/** Checks what the page shows against core, for a network and a parameter id. */
async function expectDerivation(page: Page, spec: LayerSpec, param: string): Promise<void> {
  const g = layered(spec);
  const s = await shown(page);
  const c = count(g);
  const total = pathCounts(g).paths.get(param)!;
  expect(s.param).toBe(param);
  expect([s.parameters, s.factors, s.paramPaths]).toEqual([c.parameters, String(c.chainFactors), String(total)]);
  expect(s.chainColours).toBe(Math.min(Number(total), 4));
  expect(s.highlighted).toEqual(highlightedEdges(g, param));
}

async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.fill(selector, text);
  await page.press(selector, "Tab");
}

/** The derivation worker's global scope, with the hold `holdAnswers` puts in it. */
interface HoldingScope {
  postMessage(message: unknown): void;
  /** The answers kept back so far, in order. */
  held: { readonly kind: string; readonly derived?: { readonly parameters: string } }[];
  /** Posts the kept answers, and every later one at once. */
  release(): void;
}

/**
 * Makes the page's derivation worker keep its answers instead of posting them, until the test
 * calls `release` in it: while an answer is kept, the test sees the worker's finished derivation
 * and the page that has not received it side by side.
 */
async function holdAnswers(page: Page): Promise<Worker> {
  const workers = page.workers().filter((w) => w.url().includes("derive-worker"));
  expect(workers.length).toBe(1);
  const worker = workers[0]!;
  await worker.evaluate(() => {
    const scope = self as unknown as HoldingScope;
    const post = scope.postMessage.bind(scope);
    let holding = true;
    scope.held = [];
    scope.postMessage = (m) => void (holding ? scope.held.push(m as HoldingScope["held"][number]) : post(m));
    scope.release = () => {
      holding = false;
      for (const m of scope.held.splice(0)) post(m);
    };
  });
  return worker;
}

describe.skipIf(!available)("the explorer in a browser", () => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** The server the test's page was opened from (its own, for the offline test). */
  let host: Served | null;
  let requests: string[];
  let problems: string[];
  const shot = (name: string) => page.screenshot({ path: `${artifacts()}explorer-${name}.png` });

  beforeAll(async () => {
    ensureBuilt();
    served = await serve();
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  beforeEach(async () => {
    host = null;
    requests = [];
    problems = [];
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    // every request of the page and its workers, and every error they report
    context.on("request", (r) => void requests.push(r.url()));
    page = await context.newPage();
    page.on("console", (m) => void (m.type() === "error" && problems.push(`console: ${m.text()}`)));
    page.on("pageerror", (e) => void problems.push(`page: ${e.message}`));
    page.on("worker", (w) =>
      w.on("console", (m) => void (m.type() === "error" && problems.push(`worker: ${m.text()}`))),
    );
  });

  // every page logged no console error and asked nothing of any host but its server
  afterEach(async () => {
    await context.close();
    expect(problems).toEqual([]);
    if (host === null) return;
    expect(requests.length).toBeGreaterThan(3);
    expect(requests.filter((u) => !u.startsWith(host!.url))).toEqual([]);
  });

  /** Opens the explorer at `hash` (the default state if empty) from `server`, its first derivation shown. */
  async function open(hash = "", server = served): Promise<void> {
    host = server;
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url.slice(0, -1) });
    await page.goto(server.url + (hash === "" ? "" : `#${hash}`));
    await page.waitForFunction(() => window.chainrule?.readiness.firstRender != null, null, { timeout: 30_000 });
  }

  it("opens on the post's 2-2-2 network: 8 parameters, 52 factors, two coloured paths for θ(1)_11", async () => {
    await open();
    await settled(page, "theta_1_1_1");
    await expectDerivation(page, { sizes: [2, 2, 2], bias: false }, "theta_1_1_1");
    expect(await page.textContent("#headline")).toMatch(/^8 parameters need 52 partial-derivative factors/);
    await shot("start");
  });

  it("follows the layer sizes and the parameter: chains and highlighted edges change with them", async () => {
    await open();
    await settled(page, "theta_1_1_1");
    await typeInto(page, "#ctl-layers", "3, 4, 2");
    await settled(page, "theta_1_1_1");
    await expectDerivation(page, { sizes: [3, 4, 2], bias: false }, "theta_1_1_1");
    await typeInto(page, "#ctl-param-j", "3");
    await typeInto(page, "#ctl-param-k", "2");
    await settled(page, "theta_1_3_2");
    await expectDerivation(page, { sizes: [3, 4, 2], bias: false }, "theta_1_3_2");
    // with biases, the bias θ(2)_10 has its own edge from the bias unit
    await page.check("#ctl-bias");
    await typeInto(page, "#ctl-param-l", "2");
    await typeInto(page, "#ctl-param-j", "1");
    await typeInto(page, "#ctl-param-k", "0");
    await settled(page, "theta_2_1_0");
    await expectDerivation(page, { sizes: [3, 4, 2], bias: true }, "theta_2_1_0");
    expect((await shown(page)).hash).toContain("layers=3%2C4%2C2");
    await shot("3-4-2");
  });

  it("chooses the parameter of an edge clicked in the diagram", async () => {
    await open(BIASED_342_AT_210);
    await settled(page, "theta_2_1_0");
    await expectDerivation(page, { sizes: [3, 4, 2], bias: true }, "theta_2_1_0");
    const target = "theta_1_4_3";
    // a point a quarter of the way along the edge (its middle may be where two edges cross)
    const at = await page.$eval(`#diagram-svg path.hit[data-param="${target}"]`, (el) => {
      const p = el as SVGPathElement;
      const pt = p.getPointAtLength(p.getTotalLength() * 0.25);
      const m = p.getScreenCTM()!;
      return { x: m.a * pt.x + m.c * pt.y + m.e, y: m.b * pt.x + m.d * pt.y + m.f };
    });
    await page.mouse.click(at.x, at.y);
    await settled(page, target);
    await expectDerivation(page, { sizes: [3, 4, 2], bias: true }, target);
    expect([
      await page.inputValue("#ctl-param-l"),
      await page.inputValue("#ctl-param-j"),
      await page.inputValue("#ctl-param-k"),
    ]).toEqual(["1", "4", "3"]);
    await shot("clicked-edge");
  });

  it("shows a message next to an invalid control and keeps the last valid state", async () => {
    await open(BIASED_342_AT_143);
    await settled(page, "theta_1_4_3");
    await expectDerivation(page, { sizes: [3, 4, 2], bias: true }, "theta_1_4_3");
    const before = await shown(page);
    const cases: [string, string, RegExp][] = [
      ["#ctl-layers", "3, 0, 2", /Layer 2 has 0 neurons/],
      ["#ctl-layers", "3, 10000, 2", /Layer 2 has 10000 neurons; the explorer draws layers of up to 1000/],
      ["#ctl-layers", "3, four, 2", /"four" is not a number/],
      ["#ctl-param-j", "9", /There is no θ\(1,9,3\) here/],
      ["#ctl-param-k", "x", /k: "x" is not a whole number/],
    ];
    for (const [control, text, message] of cases) {
      await typeInto(page, control, text);
      const msg = control === "#ctl-layers" ? "#msg-layers" : "#msg-param";
      await page.waitForFunction((m) => document.querySelector(m)!.textContent !== "", msg);
      expect(await page.textContent(msg)).toMatch(message);
      expect(await page.getAttribute(control, "aria-invalid")).toBe("true");
      // nothing derived from the state changed
      expect(await shown(page)).toEqual(before);
      if (text === "3, 10000, 2") await shot("invalid-input");
    }
    // a valid value clears the messages
    await typeInto(page, "#ctl-param-k", "3");
    await typeInto(page, "#ctl-param-j", "4");
    await typeInto(page, "#ctl-layers", "3, 4, 2");
    expect(await page.textContent("#msg-layers")).toBe("");
    expect(await page.textContent("#msg-param")).toBe("");
    // core's own refusal (cross-entropy needs softmax outputs) is shown by the cost, the state kept
    await page.selectOption("#ctl-cost", "cross-entropy");
    expect(await page.textContent("#msg-cost")).toMatch(/cross-entropy needs softmax outputs/);
    expect(await shown(page)).toEqual(before);
    await page.selectOption("#ctl-cost", "mse");
  });

  it("elides a large network and stays responsive while the worker derives it", async () => {
    const small = { sizes: [3, 4, 2], bias: true };
    await open(BIASED_342_AT_143);
    await settled(page, "theta_1_4_3");
    await expectDerivation(page, small, "theta_1_4_3");
    // the worker keeps its answers back until released, so the page waits on it as long as the test likes
    const worker = await holdAnswers(page);
    await typeInto(page, "#ctl-layers", "300, 100, 10");
    // while it waits for the worker, the page keeps running its frames
    const waiting = await page.evaluate(
      () => new Promise<string | undefined>((done) => requestAnimationFrame(() => done(document.body.dataset.busy))),
    );
    expect(waiting).toBe("true");
    const spec = { sizes: [300, 100, 10], bias: true };
    const parameters = count(layered(spec)).parameters;
    // the derivation ran in the worker: its answer for the large network is there, held back,
    // while the page still shows the small network
    await expect
      .poll(
        () =>
          worker.evaluate(
            () => (self as unknown as HoldingScope).held.find((m) => m.kind === "derived")?.derived?.parameters ?? null,
          ),
        { timeout: 30_000 },
      )
      .toBe(String(parameters));
    expect((await shown(page)).parameters).toBe(count(layered(small)).parameters);
    expect(await page.getAttribute("body", "data-busy")).toBe("true");
    await worker.evaluate(() => (self as unknown as HoldingScope).release());
    await page.waitForFunction(
      (n) => document.getElementById("headline")!.dataset.parameters === n,
      String(parameters),
      { timeout: 30_000 },
    );
    await settled(page, "theta_1_4_3");
    expect((await shown(page)).parameters).toBe(parameters);
    // what the page puts on screen stays small: a few dozen of the network's 31 000 edges drawn
    expect(await page.$$eval("#diagram-svg path.edge", (e) => e.length)).toBeLessThan(100);
    // wide layers show their first neurons, ⋮, and the last
    expect(
      await page.$$eval("#diagram-svg text", (ts) => ts.filter((t) => t.textContent === "⋮").length),
    ).toBeGreaterThan(0);
    expect(await page.textContent("#diagram-caption")).toMatch(/Its neurons are among those left out/);
    await shot("large-network");
    await typeInto(page, "#ctl-layers", "2, 2, 2");
    await page.uncheck("#ctl-bias");
    await typeInto(page, "#ctl-param-j", "1");
    await typeInto(page, "#ctl-param-k", "1");
    await settled(page, "theta_1_1_1");
    await expectDerivation(page, { sizes: [2, 2, 2], bias: false }, "theta_1_1_1");
  });

  it("renders every view, each with its LaTeX to copy", async () => {
    await open();
    await settled(page, "theta_1_1_1");
    for (const v of VIEW_IDS) {
      await page.click(`#tab-${v}`);
      await settled(page, "theta_1_1_1", v);
      const text = await page.textContent("#view");
      expect(text!.length, v).toBeGreaterThan(50);
      expect(await page.$$eval("#view .katex-error", (e) => e.length)).toBe(0);
      await page.click("#copy-view");
      await page.waitForFunction(() => document.getElementById("copy-view")!.dataset.copied === "true");
      const latex = await page.evaluate(() => navigator.clipboard.readText());
      expect(latex, v).toContain("% \\usepackage{xcolor}");
      await shot(`view-${v}`);
    }
    await page.click("#tab-chain");
    await settled(page, "theta_1_1_1", "chain");
    await page.click("#copy-view");
    await page.waitForFunction(() => document.getElementById("copy-view")!.dataset.copied === "true");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
      "\\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{11}}",
    );
    await page.click("#copy-diagram");
    await page.waitForFunction(() => document.getElementById("copy-diagram")!.dataset.copied === "true");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("\\begin{tikzpicture}");
  });

  it("takes in the rest of a long view as the reader scrolls down to it", async () => {
    await open();
    await settled(page, "theta_1_1_1", "chain");
    for (let i = 0; i < 60 && (await page.getAttribute("#view", "data-waiting")) !== "0"; i++) {
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await settled(page, "theta_1_1_1", "chain");
    }
    expect(await page.getAttribute("#view", "data-waiting")).toBe("0");
    // the page now holds the whole view, equation group for equation group
    const whole = derive({ ...DEFAULT_STATE, view: "chain" }).html;
    expect(await page.$$eval("#view > .eq", (e) => e.length)).toBe(whole.split('<div class="eq">').length - 1);
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it("prints in the chosen notation", async () => {
    await open();
    await settled(page, "theta_1_1_1");
    await page.selectOption("#ctl-notation", "ng");
    await page.waitForFunction(
      () => [...document.querySelectorAll("#view annotation")].some((a) => a.textContent!.includes("W^{[1]}_{11}")),
      null,
      { timeout: 30_000 },
    );
    await page.selectOption("#ctl-notation", "post");
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("#view annotation")].some((a) => a.textContent!.includes("\\theta^{(1)}_{11}")),
      null,
      { timeout: 30_000 },
    );
  });

  it("works typed-in numbers into the worked example, and refuses a non-number", async () => {
    await open();
    await settled(page, "theta_1_1_1");
    await page.click("#tab-worked");
    await settled(page, "theta_1_1_1", "worked");
    await page.check("#ctl-weights-typed");
    await page.waitForSelector('#ctl-typed input[data-name="theta_1_1_1"]');
    await typeInto(page, '#ctl-typed input[data-name="theta_1_1_1"]', "0.123");
    await page.waitForFunction(() => document.getElementById("view")!.textContent!.includes("0.123"), null, {
      timeout: 30_000,
    });
    await settled(page, "theta_1_1_1", "worked");
    expect((await shown(page)).hash).toContain("theta=0.123");
    const before = await page.textContent("#view");
    await typeInto(page, '#ctl-typed input[data-name="x_1"]', "abc");
    await settled(page, "theta_1_1_1", "worked");
    await page.waitForFunction(() => document.getElementById("msg-typed")!.textContent !== "");
    expect(await page.textContent("#msg-typed")).toMatch(/x_1: "abc" is not a number/);
    expect(await page.textContent("#view")).toBe(before);
    await shot("worked-typed");
    await page.check("#ctl-weights-random");
    await page.click("#tab-chain");
    await settled(page, "theta_1_1_1", "chain");
  });

  it("trains a network on a 2-D dataset: the loss falls while the boundary and curve follow", async () => {
    await open();
    await page.click("#mode-train");
    await page.waitForSelector("body[data-train-ready='true']");
    await page.selectOption("#ctl-dataset", "xor");
    await page.selectOption("#ctl-speed", "100");
    await page.click("#train-toggle");
    await page.waitForFunction(() => Number(document.getElementById("train-stats")!.dataset.epoch) >= 300, null, {
      timeout: 30_000,
    });
    await page.click("#train-toggle");
    const stats = await page.$eval("#train-stats", (e) => ({
      first: Number((e as HTMLElement).dataset.firstCost),
      last: Number((e as HTMLElement).dataset.cost),
      epoch: Number((e as HTMLElement).dataset.epoch),
    }));
    expect(stats.last).toBeLessThan(stats.first * 0.5);
    // paused: the training ran at least one epoch per animation frame; frames go on, epochs do not
    expect(await page.getAttribute("#train-toggle", "aria-pressed")).toBe("false");
    await page.evaluate(
      () =>
        new Promise<void>((done) => {
          let frames = 0;
          const next = () => (++frames === 10 ? done() : requestAnimationFrame(next));
          requestAnimationFrame(next);
        }),
    );
    expect(await page.$eval("#train-stats", (e) => Number((e as HTMLElement).dataset.epoch))).toBe(stats.epoch);
    // viz draws the cost per epoch as a polyline
    expect(await page.$$eval("#curve svg polyline", (p) => p.length)).toBeGreaterThan(0);
    // the boundary shows both classes' colours
    const tints = await page.$eval("#boundary", (c) => {
      const d = (c as HTMLCanvasElement)
        .getContext("2d")!
        .getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      let blue = 0;
      let orange = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 2]! > d[i]! + 20) blue++;
        else if (d[i]! > d[i + 2]! + 20) orange++;
      }
      return { blue, orange };
    });
    expect(tints.blue).toBeGreaterThan(1000);
    expect(tints.orange).toBeGreaterThan(1000);
    await shot("train");
    await page.click("#mode-derive");
  });

  it("keeps working once loaded, with the server stopped", async () => {
    // a server of its own, stopped below (the other tests' server keeps running)
    const own = await serve();
    try {
      page.on(
        "requestfailed",
        (r) => void problems.push(`offline request: ${r.url()} ${r.failure()?.errorText ?? ""}`),
      );
      await open("", own);
      // after the first derivation the page fetches the train mode's code and every KaTeX font
      await page.waitForFunction(() => window.chainrule?.readiness.offline === true, null, { timeout: 30_000 });
      expect(await own.stop()).toEqual({ code: 0, signal: null });
      await typeInto(page, "#ctl-layers", "2, 3, 1");
      await settled(page, "theta_1_1_1");
      await expectDerivation(page, { sizes: [2, 3, 1], bias: false }, "theta_1_1_1");
      await page.click("#tab-matrix");
      await settled(page, "theta_1_1_1", "matrix");
      await page.click("#mode-train");
      await page.waitForSelector("body[data-train-ready='true']");
      await page.selectOption("#ctl-speed", "100");
      await page.click("#train-toggle");
      await page.waitForFunction(() => Number(document.getElementById("train-stats")!.dataset.epoch) >= 50, null, {
        timeout: 30_000,
      });
      await page.click("#train-toggle");
    } finally {
      await own.stop();
    }
  });
});
