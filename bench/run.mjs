// `npx -y pnpm@10.34.9 run bench`: runs every bench/*.bench.mjs in its own process (against the built packages) and
// collects their Markdown tables into bench/results.md, each file's between <!-- bench:NAME --> markers, under a
// header naming the run (date, Node, cores, commit, load average). `node bench/run.mjs nn` runs the files whose
// names contain "nn". `node bench/docs.mjs` copies a full run's results into docs/benchmarks.md.

import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const all = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .sort();
const files = all.filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

const git = (...args) => {
  try {
    return execFileSync("git", args, { cwd: here, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
};
const commit = git("rev-parse", "--short", "HEAD") || "unknown";
const dirty = git("status", "--porcelain", "--", "../packages") !== "";
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");
const started = new Date();
const loadAtStart = load();

const blocks = [];
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ["--expose-gc", join(here, f)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 26,
  });
  process.stdout.write(out);
  const name = f.replace(/\.bench\.mjs$/, "");
  const took = ((performance.now() - t0) / 1000).toFixed(0);
  blocks.push(
    [
      `<!-- bench:${name} -->`,
      "",
      out.trim(),
      "",
      `<sub>bench/${f}: ${took} s</sub>`,
      "",
      `<!-- /bench:${name} -->`,
    ].join("\n"),
  );
}

const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
const header = [
  "<!-- run -->",
  "",
  `Run of ${started.toISOString().replace("T", " ").slice(0, 16)} UTC (${minutes} min): ${all.length === files.length ? "every bench file" : files.length === 1 ? "one bench file" : "some bench files"} (${files.join(", ")}), ` +
    `Node ${process.version}, ${os.availableParallelism()} cores (${cpu}), commit ${commit}${dirty ? " with uncommitted changes under packages/" : ""}; ` +
    `load average (1 / 5 / 15 min) ${loadAtStart} at the start, ${load()} at the end. ` +
    "Every table gives medians of interleaved rounds, its ratios divide medians of the same run, and its own line gives the load while it ran.",
  "",
  "<!-- /run -->",
].join("\n");
writeFileSync(join(here, "results.md"), ["# Benchmarks", "", header, "", ...blocks.flatMap((b) => [b, ""])].join("\n"));
process.stderr.write(
  `bench: ${minutes} min; bench/results.md written${all.length === files.length ? " (node bench/docs.mjs copies it into docs/benchmarks.md)" : ""}\n`,
);
