// cli: how fast the installed `chainrule` answers, from a folder outside the repository, after the
// README's set-up (the packed packages installed with npm install -g, here under a temporary
// prefix). The peer is Node itself starting and exiting (`node -e 0`): the floor any command has.
// Goal: `chainrule --version` well under a second.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { npmEnv, packAll } from "../scripts/pack.mjs";
import { ms, table } from "./lib.mjs";

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
  // interleaved, so that a busy moment of the machine falls on every case alike
  for (let r = 0; r < RUNS + 1; r++) {
    cases.forEach(([, file, args], i) => {
      const t0 = performance.now();
      execFileSync(file, args, { cwd: tmpdir(), stdio: "ignore" });
      if (r > 0) samples[i].push(performance.now() - t0);
    });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const floor = median(samples[0]);
  table(
    `cli: wall time of one command from ${tmpdir()}, installed as the README sets it up (median of ${RUNS})`,
    ["command", "ms (median)", "ms (min–max)", "× node -e 0"],
    cases.map(([name], i) => [
      name,
      ms(median(samples[i])),
      `${ms(Math.min(...samples[i]))}–${ms(Math.max(...samples[i]))}`,
      (median(samples[i]) / floor).toFixed(1),
    ]),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
