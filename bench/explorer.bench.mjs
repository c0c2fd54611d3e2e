// explorer: page load to the first rendered derivation, in headless Chromium against a real
// `chainrule serve --port 0`. Goal: under 1 s for the post's 2-2-2 network (median of several
// cold loads, each in a fresh browser context, so nothing is cached).
//   - 2-2-2, cold load and warm reload (assets cached);
//   - the peer: the same derivation as the static page `chainrule render` writes (KaTeX rendered
//     ahead of time, fonts inline), to DOMContentLoaded;
//   - 784-128-10 (101,770 parameters, elided), cold load: the large-network path through the worker.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { layered } from "../packages/core/dist/index.js";
import { derivation, exampleValues, toHtml } from "../packages/viz/dist/index.js";
import { ms, table } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const LOADS = 9;

/** `chainrule serve --port 0`, resolved with its URL once printed. */
function serve() {
  const child = spawn(process.execPath, [join(root, "packages/cli/dist/main.js"), "serve", "--port", "0"], {
    cwd: root,
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m)
        resolve({
          url: m[0],
          stop: () =>
            new Promise((r) => {
              child.once("exit", r);
              child.kill("SIGTERM");
            }),
        });
    });
    child.stderr.on("data", (c) => (out += c));
    child.once("exit", () => reject(new Error(`chainrule serve stopped: ${out}`)));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Milliseconds from navigation start to the first derivation on screen, and the worker's share. */
async function firstRender(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.chainrule?.readiness.firstRender != null, null, { timeout: 120_000 });
  return page.evaluate(() => ({
    render: window.chainrule.readiness.firstRender,
    derive: window.chainrule.readiness.firstDeriveMs,
  }));
}

if (!existsSync(CHROMIUM) || !existsSync(join(root, "packages/cli/dist/explorer/index.html"))) {
  table(
    "explorer: page load to first rendered derivation",
    ["case", "result"],
    [["all", `skipped: needs ${CHROMIUM} and a built page (npx -y pnpm@10.34.9 run build)`]],
  );
  process.exit(0);
}

const server = await serve();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const rows = [];
const record = (name, samples, derive) => {
  rows.push([
    name,
    ms(median(samples)),
    ms(Math.min(...samples)),
    ms(Math.max(...samples)),
    derive === null ? "–" : ms(median(derive)),
    String(samples.length),
  ]);
  return median(samples);
};

// 2-2-2, cold: a fresh context per load, so every file is fetched and compiled again
const cold = [];
const coldDerive = [];
await (async () => {
  const ctx = await browser.newContext();
  await firstRender(await ctx.newPage(), server.url); // Chromium's own start-up, not the page's
  await ctx.close();
})();
for (let i = 0; i < LOADS; i++) {
  const ctx = await browser.newContext();
  const r = await firstRender(await ctx.newPage(), server.url);
  cold.push(r.render);
  coldDerive.push(r.derive);
  await ctx.close();
}
const coldMedian = record("2-2-2, cold load (fresh context)", cold, coldDerive);

// 2-2-2, warm: reloads in one context (hashed assets come from the cache)
{
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await firstRender(page, server.url);
  const warm = [];
  const warmDerive = [];
  for (let i = 0; i < LOADS; i++) {
    const r = await firstRender(page, `${server.url}?reload=${i}`);
    warm.push(r.render);
    warmDerive.push(r.derive);
  }
  record("2-2-2, warm reload (assets cached)", warm, warmDerive);
  await ctx.close();
}

// the peer: the static page of the same derivation, everything rendered ahead of time
let staticMedian = null;
{
  const dir = mkdtempSync(join(tmpdir(), "chainrule-bench-"));
  const g = layered({ sizes: [2, 2, 2], bias: false });
  const file = join(dir, "derivation.html");
  writeFileSync(file, toHtml(derivation(g, { values: exampleValues(g, 1) })));
  const samples = [];
  for (let i = 0; i < LOADS; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: "domcontentloaded" });
    samples.push(await page.evaluate(() => performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd));
    await ctx.close();
  }
  rmSync(dir, { recursive: true, force: true });
  staticMedian = record("peer: static derivation.html (chainrule render), DOMContentLoaded", samples, null);
}

// a large network: 784-128-10 through the worker, elided
{
  const samples = [];
  const derive = [];
  for (let i = 0; i < 3; i++) {
    const ctx = await browser.newContext();
    const r = await firstRender(
      await ctx.newPage(),
      `${server.url}#layers=784,128,10&act=sigmoid,softmax&cost=cross-entropy&bias=on`,
    );
    samples.push(r.render);
    derive.push(r.derive);
    await ctx.close();
  }
  record("784-128-10 (101,770 parameters), cold load", samples, derive);
}

await browser.close();
await server.stop();

table(
  "explorer: page load to first rendered derivation (headless Chromium, ms)",
  ["case", "median", "min", "max", "worker (median)", "loads"],
  rows,
);
console.log(
  `2-2-2 cold load: median ${ms(coldMedian)} ms — goal under 1000 ms ${coldMedian < 1000 ? "met" : "NOT met"}; ` +
    `${(coldMedian / staticMedian).toFixed(2)}× the static page's DOMContentLoaded (which renders nothing interactively).\n`,
);
