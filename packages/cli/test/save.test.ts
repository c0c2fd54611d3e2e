/**
 * Saves from the command line keep what is there: `train --save` and `render --out` / `demo --out`
 * refuse inputs of the run, folders, pipes and unwritable folders before any work starts (one line,
 * non-zero exit, nothing changed), write through links, keep modes, and write all files or none.
 */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeUnwritable, mkfifo, temps, withFsPatched } from "../../nn/test/fs-fixtures.js";
import { cli } from "./capture.js";

const root = mkdtempSync(join(tmpdir(), "chainrule-save-"));
let n = 0;
const fresh = () => {
  const d = join(root, String(n++));
  mkdirSync(d);
  return d;
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

const XOR = "x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n";
const TRAIN = ["train", "--layers", "2,2,1", "--epochs", "5", "--lr", "1"];
/** Epochs enough to notice if training ran before a refusal (it must not). */
const FOREVER = ["train", "--layers", "2,2,1", "--epochs", "100000000", "--lr", "1"];

/** One line on stderr, non-zero exit, nothing on stdout (no epoch ran). */
function refusedUpFront(r: { code: number; out: string; err: string }, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.out).toBe("");
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(r.err).toMatch(pattern);
}

describe("train --save", () => {
  it("refuses to save over its own --data: one line, non-zero exit, d.csv unchanged", async () => {
    const d = fresh();
    const data = join(d, "d.csv");
    writeFileSync(data, XOR);
    chmodSync(data, 0o640);
    const r = await cli(...FOREVER, "--data", data, "--save", data);
    refusedUpFront(
      r,
      /^chainrule: Cannot write .*d\.csv: it is the same file as --data .*d\.csv, which this run reads, and saving would overwrite it\. Give --save another path\.\n$/,
    );
    expect(readFileSync(data, "utf8")).toBe(XOR);
    expect(statSync(data).mode & 0o777).toBe(0o640);
    expect(temps(d)).toEqual([]);
  });

  it("compares files, not strings: ./d.csv and a link to d.csv are refused too", async () => {
    const d = fresh();
    const data = join(d, "d.csv");
    writeFileSync(data, XOR);
    symlinkSync("d.csv", join(d, "link.csv"));
    for (const save of [join(d, ".", "d.csv"), join(d, "link.csv")]) {
      refusedUpFront(await cli(...FOREVER, "--data", data, "--save", save), /the same file as --data/);
    }
    expect(readFileSync(data, "utf8")).toBe(XOR);
  });

  it("saves over its --model (retraining in place), keeping the file's mode", async () => {
    const d = fresh();
    writeFileSync(join(d, "d.csv"), XOR);
    const model = join(d, "m.json");
    expect((await cli(...TRAIN, "--data", join(d, "d.csv"), "--save", model)).code).toBe(0);
    chmodSync(model, 0o600);
    const before = readFileSync(model, "utf8");
    const r = await cli(
      "train",
      "--model",
      model,
      "--data",
      join(d, "d.csv"),
      "--epochs",
      "5",
      "--lr",
      "1",
      "--save",
      model,
    );
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(model, "utf8")).not.toBe(before);
    expect(statSync(model).mode & 0o777).toBe(0o600);
  });

  it("writes through a link: the link stays a link", async () => {
    const d = fresh();
    writeFileSync(join(d, "real.json"), "old");
    symlinkSync("real.json", join(d, "link.json"));
    const r = await cli(...TRAIN, "--dataset", "xor", "--save", join(d, "link.json"));
    expect(r.code, r.err).toBe(0);
    expect(lstatSync(join(d, "link.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(d, "real.json"), "utf8"))).toMatchObject({ format: "chainrule-model" });
  });

  it("refuses a named pipe or a folder before training", async () => {
    const d = fresh();
    mkfifo(join(d, "pipe"));
    refusedUpFront(
      await cli(...FOREVER, "--dataset", "xor", "--save", join(d, "pipe")),
      /it is a named pipe \(FIFO\), not a regular file/,
    );
    expect(lstatSync(join(d, "pipe")).isFIFO()).toBe(true);
    refusedUpFront(await cli(...FOREVER, "--dataset", "xor", "--save", d), /it is a folder/);
  });

  it("refuses an unwritable folder before training", async (ctx) => {
    const d = fresh();
    const made = makeUnwritable(d);
    if ("skip" in made) return ctx.skip(made.skip);
    try {
      refusedUpFront(
        await cli(...FOREVER, "--dataset", "xor", "--save", join(d, "m.json")),
        /the folder .* is not writable \(permission denied\)/,
      );
    } finally {
      made.undo();
    }
    expect(readdirSync(d)).toEqual([]);
  });

  it("refuses a path under a regular file before training", async () => {
    const d = fresh();
    writeFileSync(join(d, "file"), "x");
    refusedUpFront(await cli(...FOREVER, "--dataset", "xor", "--save", join(d, "file", "m.json")), /is not a folder/);
  });

  it("refuses, before training, a --model whose history a saved model cannot hold", async () => {
    const d = fresh();
    writeFileSync(join(d, "d.csv"), XOR);
    const model = join(d, "m.json");
    expect((await cli(...TRAIN, "--data", join(d, "d.csv"), "--save", model)).code).toBe(0);
    // 1e999 reads as Infinity, which JSON cannot write back
    const text = readFileSync(model, "utf8");
    const at = text.indexOf('"history"');
    writeFileSync(model, text.slice(0, at) + text.slice(at).replace(/"cost": [^,}]+/, '"cost": 1e999'));
    const r = await cli(
      "train",
      "--model",
      model,
      "--data",
      join(d, "d.csv"),
      "--epochs",
      "100000000",
      "--lr",
      "1",
      "--save",
      join(d, "out.json"),
    );
    refusedUpFront(r, /training\.history\[0\]\.cost is Infinity.*--save .*out\.json would fail after training/);
    expect(readdirSync(d).sort()).toEqual(["d.csv", "m.json"]);
  });
});

describe("render --out and demo --out", () => {
  const RENDER = ["render", "--layers", "2,2,2", "--no-bias"];

  it("refuse a named pipe among the files before any work, leaving every file as it was", async () => {
    const d = fresh();
    writeFileSync(join(d, "derivation.tex"), "old tex");
    mkfifo(join(d, "network.svg"));
    const r = await cli(...RENDER, "--out", d);
    refusedUpFront(r, /network\.svg: it is a named pipe/);
    expect(readdirSync(d).sort()).toEqual(["derivation.tex", "network.svg"]);
    expect(readFileSync(join(d, "derivation.tex"), "utf8")).toBe("old tex");
    const demo = await cli("demo", "--epochs", "100000", "--out", d);
    refusedUpFront(demo, /network\.svg: it is a named pipe/);
  });

  it("refuse to write over their --data or --model", async () => {
    const d = fresh();
    const model = {
      layers: [2, 2, 2],
      weights: [
        [
          [0.15, 0.2],
          [0.25, 0.3],
        ],
        [
          [0.4, 0.45],
          [0.5, 0.55],
        ],
      ],
      biases: [
        [0.35, 0.35],
        [0.6, 0.6],
      ],
    };
    writeFileSync(join(d, "derivation.md"), "x1,x2,y1,y2\n0.05,0.1,0.01,0.99\n");
    writeFileSync(join(d, "network.tikz"), JSON.stringify(model));
    refusedUpFront(
      await cli("render", "--layers", "2,2,2", "--data", join(d, "derivation.md"), "--out", d),
      /derivation\.md: it is the same file as --data .*Give --out another path/,
    );
    refusedUpFront(
      await cli("render", "--model", join(d, "network.tikz"), "--out", d),
      /network\.tikz: it is the same file as --model/,
    );
    expect(readdirSync(d).sort()).toEqual(["derivation.md", "network.tikz"]);
  });

  it("refuse an unwritable folder, and an unwritable parent of a new one, before any work", async (ctx) => {
    const d = fresh();
    const made = makeUnwritable(d);
    if ("skip" in made) return ctx.skip(made.skip);
    try {
      refusedUpFront(await cli(...RENDER, "--out", d), /is not writable/);
      refusedUpFront(await cli(...RENDER, "--out", join(d, "new")), /is not writable/);
      refusedUpFront(await cli("demo", "--epochs", "100000", "--out", join(d, "new")), /is not writable/);
    } finally {
      made.undo();
    }
    expect(readdirSync(d)).toEqual([]);
  });

  it("write all files or none: a rename that fails puts back the files already renamed", async () => {
    const d = fresh();
    const old = { "derivation.tex": "old tex", "derivation.md": "old md" };
    for (const [f, t] of Object.entries(old)) writeFileSync(join(d, f), t);
    let renames = 0;
    const r = await withFsPatched(
      "renameSync",
      (rename, from, to) => {
        // the fourth file's rename into place fails
        if (to === join(d, "network.svg") && ++renames === 1)
          throw Object.assign(new Error("I/O error"), { code: "EIO" });
        return rename(from, to);
      },
      () => cli(...RENDER, "--out", d),
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/^chainrule: Cannot write .*network\.svg: I\/O error\. None of the 5 files was changed\.\n$/);
    expect(readdirSync(d).sort()).toEqual(Object.keys(old).sort());
    for (const [f, t] of Object.entries(old)) expect(readFileSync(join(d, f), "utf8")).toBe(t);
  });

  it("write through links to files elsewhere", async () => {
    const d = fresh();
    mkdirSync(join(d, "out"));
    mkdirSync(join(d, "elsewhere"));
    symlinkSync(join(d, "elsewhere", "page.html"), join(d, "out", "derivation.html"));
    const r = await cli(...RENDER, "--out", join(d, "out"));
    expect(r.code, r.err).toBe(0);
    expect(lstatSync(join(d, "out", "derivation.html")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, "elsewhere", "page.html"), "utf8")).toMatch(/^<!DOCTYPE html>/i);
    expect(temps(join(d, "out"))).toEqual([]);
    expect(temps(join(d, "elsewhere"))).toEqual([]);
  });
});
