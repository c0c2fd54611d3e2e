/**
 * The NumPy module (emitNumpyModule) run by Python: J and every ∂J/∂θ equal core's evaluator on
 * random layered networks of every activation and cost that have a matrix form, and the forward
 * pass equals the network's outputs. Slow tier: it spawns python3.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  costValue,
  emitNumpyModule,
  gradientValues,
  graphIndex,
  layered,
  matrixFormProblem,
  predict,
  requireLayers,
} from "@chainrule/core";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { PYTHON_NUMPY } from "../../../test-support/python.js";
import { required } from "../../../test-support/tools.js";
import { close, firstMismatch, type NetCase, netCase } from "../../nn/test/helpers.js";

const HAVE = required(PYTHON_NUMPY !== null, "python3 with numpy (Debian: python3-numpy)", "the NumPy module tests");
const dir = mkdtempSync(join(tmpdir(), "chainrule-numpy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** weights[l-1][j-1][k-1] and biases[l-1][j-1] of θ in core's parameter order. */
function shaped(sizes: readonly number[], bias: boolean, theta: Float64Array) {
  const weights: number[][][] = [];
  const biases: number[][] = [];
  let p = 0;
  for (let l = 1; l < sizes.length; l++) {
    const w: number[][] = [];
    const b: number[] = [];
    for (let j = 0; j < sizes[l]!; j++) {
      if (bias) b.push(theta[p++]!);
      const row: number[] = [];
      for (let k = 0; k < sizes[l - 1]!; k++) row.push(theta[p++]!);
      w.push(row);
    }
    weights.push(w);
    biases.push(b);
  }
  return { weights, biases: bias ? biases : null };
}

/** Runs each case's module in one Python process; returns [J, flat gradient in core's order, outputs]. */
function runPython(cases: readonly NetCase[]): { cost: number; gradient: number[]; outputs: number[] }[] {
  const jobs = cases.map((c, i) => {
    const info = requireLayers(c.graph);
    const file = join(dir, `net${i}.py`);
    writeFileSync(file, emitNumpyModule(c.graph));
    const nIn = info.sizes[0]!;
    const nOut = info.sizes[info.sizes.length - 1]!;
    const rows = (v: Float64Array, n: number) =>
      Array.from({ length: c.batch.m }, (_, e) => Array.from(v.subarray(e * n, e * n + n)));
    return { file, ...shaped(info.sizes, info.bias, c.theta), x: rows(c.batch.x, nIn), y: rows(c.batch.y, nOut) };
  });
  const input = join(dir, "jobs.json");
  writeFileSync(input, JSON.stringify(jobs));
  const driver = `
import importlib.util, json, sys
import numpy as np
out = []
for job in json.load(open(sys.argv[1])):
    spec = importlib.util.spec_from_file_location("net", job["file"])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    x, y = np.array(job["x"]), np.array(job["y"])
    J, dW, db = mod.gradient(job["weights"], job["biases"], x, y)
    flat = []
    for l in range(len(dW)):
        for j in range(dW[l].shape[0]):
            if db is not None:
                flat.append(float(db[l][j]))
            flat.extend(float(v) for v in dW[l][j])
    assert abs(mod.cost(job["weights"], job["biases"], x, y) - J) <= 1e-12 * max(1.0, abs(J))
    out.append({"cost": J, "gradient": flat, "outputs": [float(v) for v in mod.forward(job["weights"], job["biases"], x).ravel()]})
print(json.dumps(out))
`;
  const text = execFileSync(PYTHON_NUMPY!, ["-c", driver, input], { encoding: "utf8", maxBuffer: 1 << 28 });
  return JSON.parse(text);
}

describe.skipIf(!HAVE)("the NumPy module", () => {
  test("J, every ∂J/∂θ and the outputs equal core's evaluator on random networks", () => {
    const withForm = netCase(5, 6).filter((c) => {
      const info = requireLayers(c.graph);
      return matrixFormProblem(info.activations[info.activations.length - 1]!, graphIndex(c.graph).cost.cost) === null;
    });
    const cases = fc.sample(withForm, { numRuns: runs(60), seed: 42 });
    const results = runPython(cases);
    cases.forEach((c, i) => {
      const r = results[i]!;
      const cost = costValue(c.graph, c.theta, c.batch);
      const outputs = predict(c.graph, c.theta, c.batch);
      expect(firstMismatch([r.cost], [cost], 1e-12), c.label).toBe(-1);
      const g = gradientValues(c.graph, c.theta, c.batch);
      // relative 1e-9, or 1e-14 absolute: an entry summed from terms of opposite signs keeps only their rounding
      const at = Array.from(g).findIndex((v, k) => !close(r.gradient[k]!, v, 1e-9, 1e-14));
      expect(at, `${c.label}: ${r.gradient[at]} vs ${g[at]}`).toBe(-1);
      expect(r.outputs.length, c.label).toBe(outputs.length);
      expect(firstMismatch(r.outputs, outputs, 1e-12), c.label).toBe(-1);
    });
  });

  test("a network without a matrix form (softmax under mse) is refused", () => {
    expect(() => emitNumpyModule(layered({ sizes: [2, 3], activation: ["softmax"], cost: "mse" }))).toThrow(
      /cross-entropy/,
    );
  });
});
