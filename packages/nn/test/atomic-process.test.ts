/**
 * Saves interrupted by signals, in child processes running the built package: a SIGINT or SIGTERM
 * during a save lets it finish, removes every temporary file and then ends the process by that
 * signal; a kill -9 during a save never leaves a torn target, and the next save into the folder
 * removes what the killed one left.
 */

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../src/node.js";
import { deadPid, temps } from "./fs-fixtures.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const nnDist = pathToFileURL(join(root, "packages/nn/dist/node.js")).href;
const dir = mkdtempSync(join(tmpdir(), "chainrule-signal-"));
let n = 0;
const fresh = () => {
  const d = join(dir, String(n++));
  mkdirSync(d);
  return d;
};

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/core", "packages/nn"],
    { cwd: root, stdio: "pipe" },
  );
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A child that saves `size` bytes of "N" over `target` and, while the data is in the temporary
 * file (at its fsync), sends itself `signal`; then prints "after".
 */
function saveInterruptedBy(signal: "SIGINT" | "SIGTERM", target: string, size: number) {
  const script = `
    import { createRequire, syncBuiltinESMExports } from "node:module";
    const fs = createRequire(import.meta.url)("node:fs");
    const fsync = fs.fsyncSync;
    let sent = false;
    fs.fsyncSync = (fd) => {
      if (!sent) { sent = true; process.kill(process.pid, ${JSON.stringify(signal)}); }
      return fsync(fd);
    };
    syncBuiltinESMExports();
    const { writeFileAtomic } = await import(${JSON.stringify(nnDist)});
    writeFileAtomic(${JSON.stringify(target)}, "N".repeat(${size}));
    process.stdout.write("after");
  `;
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
}

describe("signals during a save", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal}: the save completes, no temporary file is left, and the process ends by ${signal}`, () => {
      const d = fresh();
      const target = join(d, "model.json");
      writeFileSync(target, "old");
      const r = saveInterruptedBy(signal, target, 1 << 20);
      expect(r.stderr).toBe("");
      expect(r.signal).toBe(signal);
      expect(readFileSync(target, "utf8")).toBe("N".repeat(1 << 20));
      expect(temps(d)).toEqual([]);
    });
  }
});

describe("kill -9 during a save", () => {
  it("leaves the target old or new, never torn; the next save removes the killed run's temporary file", async () => {
    const d = fresh();
    const target = join(d, "model.json");
    const size = 16 << 20;
    const a = "A".repeat(size);
    writeFileSync(target, a);
    // saves A and B in turn, 16 MB each, until killed
    const script = `
      const { writeFileAtomic } = await import(${JSON.stringify(nnDist)});
      const a = "A".repeat(${size}), b = "B".repeat(${size});
      for (let i = 1; ; i++) writeFileAtomic(${JSON.stringify(target)}, i % 2 ? b : a);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((ok) => child.on("exit", (_code, sig) => ok(sig)));
    // wait until a temporary file is being written, then kill
    const start = Date.now();
    while (temps(d).length === 0 && Date.now() - start < 20_000) await new Promise((ok) => setTimeout(ok, 2));
    expect(temps(d).length).toBeGreaterThan(0);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const text = readFileSync(target, "utf8");
    expect(text.length).toBe(size);
    expect(text === a || text === "B".repeat(size)).toBe(true);
    // the temporary file the kill left (if the kill came between two saves, one with a dead pid stands in)
    const left = temps(d);
    if (left.length === 0) writeFileSync(join(d, `.model.json.${deadPid()}.lz0k1x-0.tmp`), "AAA");
    expect(temps(d).length).toBeGreaterThan(0);
    writeFileAtomic(target, "next");
    expect(temps(d)).toEqual([]);
    expect(readFileSync(target, "utf8")).toBe("next");
  }, 60_000);

  it("a stale temporary file with a dead pid is removed by the next save, which leaves the target whole", () => {
    const d = fresh();
    const target = join(d, "model.json");
    writeFileSync(target, "old");
    const stale = `.model.json.${deadPid()}.lz0k1x-0.tmp`;
    writeFileSync(join(d, stale), "half a mod");
    writeFileAtomic(target, "new");
    expect(temps(d)).toEqual([]);
    expect(readFileSync(target, "utf8")).toBe("new");
  });
});
