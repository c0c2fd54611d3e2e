// explorer: page load to the first rendered derivation, in headless Chromium against a real
// `chainrule serve --port 0`. Goal: under 1 s for the post's 2-2-2 network (median of several
// cold loads, each in a fresh browser context, so nothing is cached).
//   - 2-2-2, cold load and warm reload (assets cached);
//   - the peer: the same derivation as the static page `chainrule render` writes (KaTeX rendered
//     ahead of time, fonts inline), to DOMContentLoaded;
//   - 784-128-10 (101,770 parameters, elided), cold load: the large-network path through the worker.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { layered } from "../packages/core/dist/index.js";
import { derivation, exampleValues, toHtml } from "../packages/viz/dist/index.js";
import { iqr, median, ms, summary, table } from "./lib.mjs";

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
    iqr(summary(samples)),
    ms(Math.min(...samples)),
    ms(Math.max(...samples)),
    derive === null ? "–" : ms(median(derive)),
    String(samples.length),
  ]);
  return median(samples);
};

// The three 2-2-2 cases run in interleaved rounds (cold, warm, static, cold, warm, static, …), so that a
// busy moment of the machine falls on all of them alike.
//   - cold: a fresh context per load, so every file is fetched and compiled again;
//   - warm: reloads in one context (hashed assets come from the cache);
//   - the peer: the static page of the same derivation, everything rendered ahead of time.
const cold = [];
const coldDerive = [];
const warm = [];
const warmDerive = [];
const statics = [];
const dir = mkdtempSync(join(tmpdir(), "chainrule-bench-"));
const staticFile = join(dir, "derivation.html");
{
  const g = layered({ sizes: [2, 2, 2], bias: false });
  writeFileSync(staticFile, toHtml(derivation(g, { values: exampleValues(g, 1) })));
}
const loadStatic = async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(pathToFileURL(staticFile).href, { waitUntil: "domcontentloaded" });
  const t = await page.evaluate(() => performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd);
  await ctx.close();
  return t;
};
const loadCold = async (url) => {
  const ctx = await browser.newContext();
  const r = await firstRender(await ctx.newPage(), url);
  await ctx.close();
  return r;
};
const warmCtx = await browser.newContext();
const warmPage = await warmCtx.newPage();
// warm-up, not recorded: Chromium's own start-up, the warm context's first load, the static page
await loadCold(server.url);
await firstRender(warmPage, server.url);
await loadStatic();
const loadStart = loadavg()[0];
for (let i = 0; i < LOADS; i++) {
  const c = await loadCold(server.url);
  cold.push(c.render);
  coldDerive.push(c.derive);
  const w = await firstRender(warmPage, `${server.url}?reload=${i}`);
  warm.push(w.render);
  warmDerive.push(w.derive);
  statics.push(await loadStatic());
}
const interleaved = { rounds: LOADS, load: [loadStart, loadavg()[0]] };
await warmCtx.close();
rmSync(dir, { recursive: true, force: true });
const coldMedian = record("2-2-2, cold load (fresh context)", cold, coldDerive);
record("2-2-2, warm reload (assets cached)", warm, warmDerive);
const staticMedian = record("peer: static derivation.html (chainrule render), DOMContentLoaded", statics, null);

// a large network: 784-128-10 through the worker, elided (a measurement of its own, 3 loads)
const bigStart = loadavg()[0];
{
  const samples = [];
  const derive = [];
  for (let i = 0; i < 3; i++) {
    const r = await loadCold(`${server.url}#layers=784,128,10&act=sigmoid,softmax&cost=cross-entropy&bias=on`);
    samples.push(r.render);
    derive.push(r.derive);
  }
  record("784-128-10 (101,770 parameters), cold load", samples, derive);
}
const big = { rounds: 3, load: [bigStart, loadavg()[0]] };

await browser.close();
await server.stop();

table(
  "explorer: page load to first rendered derivation (headless Chromium, ms; the 2-2-2 rows in interleaved rounds)",
  ["case", "median", "interquartile range", "min", "max", "worker (median)", "loads"],
  rows,
  interleaved,
  big,
);
console.log(
  `2-2-2 cold load: median ${ms(coldMedian)} ms — goal under 1000 ms ${coldMedian < 1000 ? "met" : "NOT met"}; ` +
    `${(coldMedian / staticMedian).toFixed(2)}× the static page's DOMContentLoaded (which renders nothing interactively).\n`,
);
