// `node bench/docs.mjs`: copies the figures of a full run (bench/results.md, written by
// `npx -y pnpm@10.34.9 run bench`) into docs/benchmarks.md. The page's prose stays as written; what lies
// between its <!-- run --> … <!-- /run --> and <!-- bench:NAME --> … <!-- /bench:NAME --> markers is
// replaced by the same block of the results, verbatim. A block the page does not have yet is appended at
// its end, unless its bench file is not tracked by git yet. No figure on the page is typed by hand.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = join(here, "results.md");
const docsFile = join(here, "..", "docs", "benchmarks.md");

const blockRe = /<!-- (run|bench:[\w.-]+) -->\n[\s\S]*?<!-- \/\1 -->/g;
const blocksOf = (text) => new Map([...text.matchAll(blockRe)].map((m) => [m[1], m[0]]));

const results = blocksOf(readFileSync(resultsFile, "utf8"));
// a bench file git does not track yet (someone's work in progress) stays out of the page
const untracked = [...results.keys()].filter((name) => {
  if (!name.startsWith("bench:")) return false;
  const file = `${name.slice("bench:".length)}.bench.mjs`;
  try {
    return execFileSync("git", ["ls-files", "--", file], { cwd: here, encoding: "utf8" }).trim() === "";
  } catch {
    return false;
  }
});
for (const name of untracked) results.delete(name);
const run = results.get("run");
if (run === undefined)
  throw new Error(`${resultsFile} has no <!-- run --> header: rerun npx -y pnpm@10.34.9 run bench`);
if (!run.includes(": every bench file")) {
  throw new Error(
    `${resultsFile} is from a run of some bench files only; docs/benchmarks.md takes the figures of one full run (npx -y pnpm@10.34.9 run bench)`,
  );
}

let docs = readFileSync(docsFile, "utf8");
const present = blocksOf(docs);
docs = docs.replace(blockRe, (whole, name) => results.get(name) ?? whole);
const stale = [...present.keys()].filter((name) => !results.has(name));
const added = [...results.keys()].filter((name) => !present.has(name));
if (added.length > 0) docs = `${docs.trimEnd()}\n\n${added.map((name) => results.get(name)).join("\n\n")}\n`;
writeFileSync(docsFile, docs);
process.stderr.write(
  `docs/benchmarks.md: ${results.size - added.length} block(s) replaced` +
    (added.length > 0 ? `, appended: ${added.join(", ")}` : "") +
    (stale.length > 0 ? `; not in this run, left as they were: ${stale.join(", ")}` : "") +
    (untracked.length > 0 ? `; left out (bench file not tracked by git): ${untracked.join(", ")}` : "") +
    "\n",
);
