/**
 * `chainrule compile --target numpy` writes a Python module whose J and ∂J/∂θ, run by NumPy on a
 * model's weights and data, are the numbers `chainrule grad` reports. Slow tier: it spawns python3.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PYTHON_NUMPY } from "../../../test-support/python.js";
import { required } from "../../../test-support/tools.js";
import { cli } from "./capture.js";

const HAVE = required(PYTHON_NUMPY !== null, "python3 with numpy (Debian: python3-numpy)", "the NumPy target tests");
const dir = mkdtempSync(join(tmpdir(), "chainrule-numpy-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODEL = {
  layers: [3, 4, 3],
  activations: ["gelu", "softmax"],
  cost: "cross-entropy",
  l2: 0.03,
  weights: [
    [
      [0.15, -0.2, 0.3],
      [0.25, 0.3, -0.1],
      [-0.35, 0.4, 0.05],
      [0.5, -0.6, 0.7],
    ],
    [
      [0.4, -0.45, 0.5, 0.1],
      [0.55, 0.6, -0.65, -0.2],
      [-0.1, 0.2, 0.3, 0.4],
    ],
  ],
  biases: [
    [0.35, -0.1, 0.2, 0],
    [0.6, -0.3, 0.1],
  ],
};
const X = [
  [0.05, 0.1, -1],
  [-0.5, 0.3, 2],
  [0.9, -0.2, 0.4],
];
const LABELS = [0, 2, 1];

describe.skipIf(!HAVE)("chainrule compile --target numpy", () => {
  it("writes a module whose J and gradients are grad's", async () => {
    writeFileSync(join(dir, "model.json"), JSON.stringify(MODEL));
    writeFileSync(
      join(dir, "data.csv"),
      `x1,x2,x3,label\n${X.map((r, i) => `${r.join(",")},${LABELS[i]}`).join("\n")}\n`,
    );
    const file = join(dir, "net.py");
    const w = await cli(
      "compile",
      "--layers",
      "3,4,3",
      "--activation",
      "gelu,softmax",
      "--l2",
      "0.03",
      "--target",
      "numpy",
      "--out",
      file,
    );
    expect(w.err).toBe("");
    expect(w.code).toBe(0);
    expect(w.out).toMatch(/^wrote .*net\.py: forward, cost and gradient/);
    const g = await cli("grad", "--model", join(dir, "model.json"), "--data", join(dir, "data.csv"));
    expect(g.code).toBe(0);
    const want = JSON.parse(g.out) as { cost: number; weights: number[][][]; biases: number[][] };
    const script = `
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location("net", sys.argv[1])
net = importlib.util.module_from_spec(spec)
spec.loader.exec_module(net)
weights, biases = net.load_model(sys.argv[2])
x = np.array(${JSON.stringify(X)})
y = np.eye(3)[${JSON.stringify(LABELS)}]
J, dW, db = net.gradient(weights, biases, x, y)
print(json.dumps({"cost": J, "weights": [w.tolist() for w in dW], "biases": [b.tolist() for b in db]}))
`;
    const got = JSON.parse(
      execFileSync(PYTHON_NUMPY!, ["-c", script, file, join(dir, "model.json")], { encoding: "utf8", cwd: tmpdir() }),
    ) as typeof want;
    expect(got.cost).toBeCloseTo(want.cost, 12);
    const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
    const a = flat([got.weights, got.biases]);
    const b = flat([want.weights, want.biases]);
    expect(a.length).toBe(b.length);
    for (const [i, v] of a.entries())
      expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i]!)));
  });

  it("refuses a network without a matrix form, and --cost-only, in one line, writing nothing", async () => {
    const file = join(dir, "no.py");
    const r = await cli(
      "compile",
      "--layers",
      "2,3",
      "--activation",
      "softmax",
      "--cost",
      "mse",
      "--target",
      "numpy",
      "--out",
      file,
    );
    expect(r.code).not.toBe(0);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/matrix form.*cross-entropy/);
    const c = await cli("compile", "--layers", "2,3", "--target", "numpy", "--cost-only");
    expect(c.code).not.toBe(0);
    expect(c.err).toMatch(/--cost-only/);
    expect(existsSync(file)).toBe(false);
  });
});
