// `npx -y pnpm@10.34.9 run bench`: runs every bench/*.bench.mjs in its own process (against the built packages) and
// collects their Markdown tables into bench/results.md.

import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs") && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();
const parts = [
  `# Benchmarks`,
  ``,
  `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. Ratios compare runs in the same process.`,
  ``,
];
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const out = execFileSync(process.execPath, ["--expose-gc", join(here, f)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 26,
  });
  process.stdout.write(out);
  parts.push(out);
}
writeFileSync(join(here, "results.md"), parts.join("\n"));
