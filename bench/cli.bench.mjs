// cli: how fast the installed `chainrule` answers, from a folder outside the repository, after the
// README's set-up (the packed packages installed with npm install -g, here under a temporary
// prefix). The peer is Node itself starting and exiting (`node -e 0`): the floor any command has.
// Goal: `chainrule --version` well under a second.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { npmEnv, packAll } from "../scripts/pack.mjs";
import { iqr, ms, summary, table } from "./lib.mjs";

const RUNS = 15;
const work = mkdtempSync(join(tmpdir(), "chainrule-cli-bench-"));
try {
  const tarballs = packAll(join(work, "packs")).map((p) => p.filename);
  const prefix = join(work, "global");
  execFileSync(
    "npm",
    ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", ...tarballs],
    { env: npmEnv, stdio: "ignore" },
  );
  const chainrule = join(prefix, "bin", "chainrule");
  const cases = [
    ["node -e 0 (Node starting, the floor)", process.execPath, ["-e", "0"]],
    ["chainrule --version", chainrule, ["--version"]],
    ["chainrule count --layers 2,2,2", chainrule, ["count", "--layers", "2,2,2"]],
    ["chainrule derive --layers 2,2,2 --param 1,1,1", chainrule, ["derive", "--layers", "2,2,2", "--param", "1,1,1"]],
  ];
  const samples = cases.map(() => []);
  const loadStart = loadavg()[0];
  // interleaved, so that a busy moment of the machine falls on every case alike (round 0: warm-up)
  for (let r = 0; r < RUNS + 1; r++) {
    cases.forEach(([, file, args], i) => {
      const t0 = performance.now();
      execFileSync(file, args, { cwd: tmpdir(), stdio: "ignore" });
      if (r > 0) samples[i].push(performance.now() - t0);
    });
  }
  const results = samples.map(summary);
  const floor = results[0].median;
  table(
    `cli: wall time of one command from ${tmpdir()}, installed as the README sets it up (median of ${RUNS} interleaved rounds)`,
    ["command", "ms (median)", "interquartile range", "min–max", "× node -e 0 (medians)"],
    cases.map(([name], i) => [
      name,
      ms(results[i].median),
      iqr(results[i]),
      `${ms(results[i].min)}–${ms(results[i].max)}`,
      (results[i].median / floor).toFixed(1),
    ]),
    { rounds: RUNS, load: [loadStart, loadavg()[0]] },
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
