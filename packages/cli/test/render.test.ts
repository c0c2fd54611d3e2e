/**
 * `chainrule render` and `chainrule derive --format latex`: the five files appear together or not
 * at all, bad input is one line and a non-zero exit, and --model/--data feed the worked example.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./capture.js";

const FILES = ["derivation.html", "derivation.md", "derivation.tex", "network.svg", "network.tikz"];
const fresh = () => mkdtempSync(join(tmpdir(), "chainrule-render-"));

describe("render", () => {
  it("writes the derivation and the diagram into a new folder", async () => {
    const out = join(fresh(), "post");
    const r = await cli("render", "--layers", "2,2,2", "--no-bias", "--out", out);
    expect(r.code).toBe(0);
    expect(r.out).toContain("8 parameters need 52 partial-derivative factors");
    expect(readdirSync(out).sort()).toEqual(FILES);
    const tex = readFileSync(join(out, "derivation.tex"), "utf8");
    expect(tex).toContain("\\documentclass");
    expect(tex).toContain("\\textcolor{mediumblue}{");
    expect(readFileSync(join(out, "network.tikz"), "utf8")).toMatch(/^\\begin\{tikzpicture\}/);
    expect(readFileSync(join(out, "derivation.html"), "utf8")).not.toMatch(/(src|href)="https?:/);
  });

  it("takes the notation, the parameter and --full", async () => {
    const out = join(fresh(), "ng");
    const r = await cli("render", "--layers", "3,2", "--notation", "ng", "--param", "1,2,3", "--full", "--out", out);
    expect(r.code).toBe(0);
    const tex = readFileSync(join(out, "derivation.tex"), "utf8");
    expect(tex).toContain("W^{[1]}_{23}");
    expect(tex).not.toContain("\\theta^{(1)}");
  });

  it("fails in one line, and writes nothing, on a missing parent folder or a bad option", async () => {
    const base = fresh();
    for (const args of [
      ["--layers", "2,2,2", "--out", join(base, "no", "such")],
      ["--layers", "2,2,2", "--notation", "tex", "--out", join(base, "a")],
      ["--layers", "2,2,2", "--param", "5,1,1", "--out", join(base, "b")],
      ["--layers", "2,2,2", "--rate", "-1", "--out", join(base, "c")],
      ["--layers", "2,x,2", "--out", join(base, "d")],
      ["--out", join(base, "e")],
    ]) {
      const r = await cli("render", ...args);
      expect(r.code).not.toBe(0);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(/^chainrule: /);
    }
    expect(readdirSync(base)).toEqual([]);
  });

  it("leaves nothing half-written when a file cannot be placed", async () => {
    const out = fresh();
    // a folder where derivation.tex should go: the rename fails
    mkdirSync(join(out, "derivation.tex"));
    const r = await cli("render", "--layers", "2,2,2", "--out", out);
    expect(r.code).not.toBe(0);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(readdirSync(out)).toEqual(["derivation.tex"]);
  });

  it("uses a model file and a CSV for the worked example (the published 2-2-2 example)", async () => {
    const dir = fresh();
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
    writeFileSync(join(dir, "model.json"), JSON.stringify(model));
    writeFileSync(join(dir, "data.csv"), "x1,x2,y1,y2\n0.05,0.1,0.01,0.99\n");
    const out = join(dir, "out");
    const r = await cli("render", "--model", join(dir, "model.json"), "--data", join(dir, "data.csv"), "--out", out);
    expect(r.code).toBe(0);
    const tex = readFileSync(join(out, "derivation.tex"), "utf8");
    // E_total = 0.298371109, w5 → 0.35891648, w1 → 0.149780716 (rounded to 6 digits)
    expect(tex).toContain("J(\\theta) = 0.298371");
    expect(tex).toMatch(/\\theta\^\{\(2\)\}_\{11\} &:= 0\.4 - 0\.5 \\cdot 0\.082167 = 0\.358916/);
    expect(tex).toMatch(/\\theta\^\{\(1\)\}_\{11\} &:= 0\.15 - 0\.5 \\cdot 0\.000438568 = 0\.149781/);
    // a longer file: the worked example takes its first --examples rows
    writeFileSync(join(dir, "more.csv"), "x1,x2,y1,y2\n0.05,0.1,0.01,0.99\n0.2,0.3,1,0\n0.5,0.5,0,1\n");
    const few = await cli(
      "render",
      "--model",
      join(dir, "model.json"),
      "--data",
      join(dir, "more.csv"),
      "--examples",
      "2",
      "--out",
      join(dir, "few"),
    );
    expect(few.code).toBe(0);
    expect(few.out).toContain("the worked example uses 2 examples");
    expect(readFileSync(join(dir, "few", "derivation.tex"), "utf8")).toContain("(example 2 of 2)");
    const both = await cli("render", "--model", join(dir, "model.json"), "--layers", "2,2,2", "--out", join(dir, "x"));
    expect(both.code).not.toBe(0);
    expect(both.err).toContain("--layers describes a new network; a --model file brings its own");
  });
});

describe("derive --format latex", () => {
  it("prints the coloured chains in an align*", async () => {
    const r = await cli(
      "derive",
      "--layers",
      "2,2,2",
      "--no-bias",
      "--param",
      "1,1,1",
      "--form",
      "chain",
      "--format",
      "latex",
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain("\\definecolor{mediumblue}{HTML}{0000CD}");
    expect(r.out).toContain("\\frac{\\partial J(\\theta)}{\\partial \\theta^{(1)}_{11}} &= \\textcolor{mediumblue}{");
    expect(r.out).toContain("&\\quad + \\textcolor{sienna}{");
  });
  it("prints the δ form", async () => {
    const r = await cli(
      "derive",
      "--layers",
      "2,2,2",
      "--no-bias",
      "--param",
      "2,1,2",
      "--form",
      "delta",
      "--format",
      "latex",
    );
    expect(r.out).toContain(
      "\\frac{\\partial J(\\theta)}{\\partial \\theta^{(2)}_{12}} &= \\delta^{(3)}_{1} a^{(2)}_{2}",
    );
  });
});

describe("render --json", () => {
  it("lists the files it wrote and the counts", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "chainrule-render-json-")), "out");
    const r = await cli("render", "--layers", "2,2,2", "--no-bias", "--out", dir, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ parameters: 8, paths: 12, chainFactors: 52 });
    expect(j.files).toHaveLength(5);
    for (const f of j.files) expect(existsSync(f)).toBe(true);
  });
});

describe("render --model with network options", () => {
  it("refuses options a model file already answers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chainrule-render-clash-"));
    const model = join(dir, "m.json");
    writeFileSync(
      model,
      JSON.stringify({
        layers: [2, 2, 1],
        activations: ["sigmoid", "sigmoid"],
        cost: "mse",
        weights: [
          [
            [0.1, 0.2],
            [0.3, 0.4],
          ],
          [[0.5, 0.6]],
        ],
      }),
    );
    for (const opt of [
      ["--activation", "relu"],
      ["--cost", "binary-cross-entropy"],
      ["--no-bias"],
      ["--layers", "2,2,1"],
    ]) {
      const r = await cli("render", "--model", model, ...opt, "--out", join(dir, "out"));
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/a --model file brings its own/);
    }
    expect(readdirSync(dir)).toEqual(["m.json"]);
  });
});
