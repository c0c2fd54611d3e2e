/**
 * The built command as users run it: `node packages/cli/dist/main.js` in a child process, after
 * building the packages. Exit codes, one-line errors without stack traces, atomic saves.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readModelFile } from "@chainrule/nn/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const main = join(root, "packages/cli/dist/main.js");
const dir = mkdtempSync(join(tmpdir(), "chainrule-proc-"));

beforeAll(() => {
  execFileSync(
    process.execPath,
    [
      join(root, "node_modules/typescript/bin/tsc"),
      "-b",
      "packages/core",
      "packages/nn",
      "packages/viz",
      "packages/cli",
    ],
    { cwd: root, stdio: "pipe" },
  );
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const chainrule = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { cwd: dir, encoding: "utf8" });

describe("chainrule as a child process", () => {
  it("trains from a CSV file and saves a model that grad and predict read", () => {
    writeFileSync(join(dir, "and.csv"), "x1,x2,label\n0,0,0\n0,1,0\n1,0,0\n1,1,1\n");
    const t = chainrule(
      "train",
      "--data",
      "and.csv",
      "--layers",
      "2,2,1",
      "--epochs",
      "1500",
      "--lr",
      "4",
      "--epsilon",
      "1",
      "--save",
      "and.json",
    );
    expect(t.status, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/accuracy 100.0%; saved and.json/);
    const model = readModelFile(join(dir, "and.json"));
    expect(model.network.spec.sizes).toEqual([2, 2, 1]);
    const g = chainrule("grad", "--model", "and.json", "--data", "and.csv");
    expect(g.status).toBe(0);
    expect(Object.keys(JSON.parse(g.stdout) as object)).toEqual(["cost", "weights", "biases"]);
    const p = chainrule("predict", "--model", "and.json", "--data", "and.csv", "--format", "json");
    expect((JSON.parse(p.stdout) as { accuracy: number }).accuracy).toBe(1);
  });

  it("bad input exits non-zero with one line and no stack trace; the save file stays as it was", () => {
    writeFileSync(join(dir, "bad.csv"), "x1,x2,label\n0,0,0\n0,zero,1\n");
    writeFileSync(join(dir, "out.json"), "before\n");
    const r = chainrule(
      "train",
      "--data",
      "bad.csv",
      "--layers",
      "2,2,1",
      "--epochs",
      "10",
      "--lr",
      "1",
      "--save",
      "out.json",
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('chainrule: bad.csv line 3, column 2: "zero" in column x2 is not a number.\n');
    expect(readFileSync(join(dir, "out.json"), "utf8")).toBe("before\n");
    const u = chainrule("train", "--dataset", "xor", "--layers", "2,2,1", "--epochs", "ten", "--lr", "1");
    expect(u.status).toBe(2);
    expect(u.stderr.trim().split("\n")).toHaveLength(1);
  });
});
