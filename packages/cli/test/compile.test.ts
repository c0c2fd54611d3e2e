/**
 * `chainrule compile` writes an ES module that runs on its own: node imports the written file in
 * a child process and calls it, and its J and ∂J/∂θ are those `chainrule grad` reports for a model
 * of the same network on the same data.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./capture.js";

const dir = mkdtempSync(join(tmpdir(), "chainrule-compile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 2-3-2 model (tanh, then sigmoid; mse, L2) with weights of every sign, and four examples. */
const MODEL = {
  layers: [2, 3, 2],
  activations: ["tanh", "sigmoid"],
  cost: "mse",
  l2: 0.05,
  weights: [
    [
      [0.15, -0.2],
      [0.25, 0.3],
      [-0.35, 0.4],
    ],
    [
      [0.4, -0.45, 0.5],
      [0.55, 0.6, -0.65],
    ],
  ],
  biases: [
    [0.35, -0.1, 0.2],
    [0.6, -0.3],
  ],
};
const CSV = "x1,x2,y1,y2\n0.05,0.1,0.01,0.99\n-0.5,0.3,1,0\n0.9,-0.2,0,1\n0.0,0.0,0.5,0.5\n";
const COMPILE = ["compile", "--layers", "2,3,2", "--activation", "tanh,sigmoid", "--l2", "0.05"];

/**
 * Imports the module in a child node and calls gradient() with the model's parameters (looked up
 * by the module's parameter names: theta_l_j_k is weights[l−1][j−1][k−1], k = 0 the bias).
 */
function callModule(file: string): { cost: number; gradient: number[]; parameters: string[] } {
  const script = `
    import { readFileSync } from "node:fs";
    import { gradient, parameters } from ${JSON.stringify(file)};
    const model = JSON.parse(readFileSync(${JSON.stringify(join(dir, "model.json"))}, "utf8"));
    const theta = parameters.map((p) => {
      const [l, j, k] = p.split("_").slice(1).map(Number);
      return k === 0 ? model.biases[l - 1][j - 1] : model.weights[l - 1][j - 1][k - 1];
    });
    const x = [0.05, 0.1, -0.5, 0.3, 0.9, -0.2, 0, 0];
    const y = [0.01, 0.99, 1, 0, 0, 1, 0.5, 0.5];
    const r = gradient(theta, x, y);
    console.log(JSON.stringify({ cost: r.cost, gradient: Array.from(r.gradient), parameters }));`;
  // from another folder: the module needs nothing next to it
  return JSON.parse(
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: tmpdir(), encoding: "utf8" }),
  );
}

describe("chainrule compile", () => {
  writeFileSync(join(dir, "model.json"), JSON.stringify(MODEL));
  writeFileSync(join(dir, "data.csv"), CSV);

  it("writes a module node imports and calls; its J and ∂J/∂θ are chainrule grad's", async () => {
    const file = join(dir, "grad.mjs");
    const r = await cli(...COMPILE, "--out", file);
    expect(r.code).toBe(0);
    expect(r.out).toContain("gradient(theta, x, y)");
    expect(readFileSync(file, "utf8")).not.toMatch(/^\s*import\b/m);
    const got = callModule(file);
    const g = await cli("grad", "--model", join(dir, "model.json"), "--data", join(dir, "data.csv"));
    expect(g.code).toBe(0);
    const want = JSON.parse(g.out) as { cost: number; weights: number[][][]; biases: number[][] };
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.abs(b));
    close(got.cost, want.cost);
    expect(got.parameters).toHaveLength(17);
    got.parameters.forEach((p, i) => {
      const [l, j, k] = p.split("_").slice(1).map(Number) as [number, number, number];
      close(got.gradient[i]!, k === 0 ? want.biases[l - 1]![j - 1]! : want.weights[l - 1]![j - 1]![k - 1]!);
    });
  });

  it("prints the module when no --out is given; --cost-only exports cost alone", async () => {
    const r = await cli(...COMPILE);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\/\/ written by chainrule \d+\.\d+\.\d+ compile\n/);
    expect(r.out).toContain("export function gradient(");
    const c = await cli(...COMPILE, "--cost-only");
    expect(c.out).toContain("export function cost(");
    expect(c.out).not.toContain("export function gradient(");
    const file = join(dir, "cost.mjs");
    writeFileSync(file, c.out);
    const script = `import { cost } from ${JSON.stringify(file)}; console.log(cost(new Array(17).fill(0.1), [1, 2], [0, 1]));`;
    expect(
      Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })),
    ).toBeGreaterThan(0);
  });

  it("refuses an --out it cannot write before any work, and leaves nothing", async () => {
    const r = await cli(...COMPILE, "--out", join(dir, "missing", "grad.mjs"));
    expect(r.code).not.toBe(0);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "missing"))).toBe(false);
    const e = await cli(...COMPILE, "--out", "");
    expect(e.code).toBe(2);
    expect(e.err).toContain("--out needs a file name");
  });
});
