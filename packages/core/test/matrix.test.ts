import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GraphError, evaluateWith, gradientValues, layered, matrixForm, parameterIds, type Batch, type MatrixForm, type Sym, type TExpr } from "../src/index.js";
import { layeredCase } from "./arbitraries.js";
import { maxRelDiff } from "./helpers.js";

/** A dense matrix, row-major. */
interface Mat { r: number; c: number; v: Float64Array }
const mat = (r: number, c: number): Mat => ({ r, c, v: new Float64Array(r * c) });

/**
 * A plain reference executor of the matrix form, written from its definition (column vectors,
 * one column per example): it runs whatever steps the form lists.
 */
function runMatrixForm(form: MatrixForm, theta: Float64Array, data: Batch): Float64Array {
  const { sizes, bias } = form;
  const L = sizes.length;
  // Unpack θ in parameter order: for each layer l, each j, k = 0 (bias) then 1…n_l.
  const W: Mat[] = [];
  const B: Mat[] = [];
  let p = 0;
  for (let l = 1; l < L; l++) {
    const w = mat(sizes[l]!, sizes[l - 1]!);
    const b = mat(sizes[l]!, 1);
    for (let j = 0; j < sizes[l]!; j++) {
      if (bias) b.v[j] = theta[p++]!;
      for (let k = 0; k < sizes[l - 1]!; k++) w.v[j * w.c + k] = theta[p++]!;
    }
    W[l] = w;
    B[l] = b;
  }
  const m = data.m;
  const A: Mat[] = [];
  const Z: Mat[] = [];
  const D: Mat[] = [];
  const X = mat(sizes[0]!, m);
  for (let e = 0; e < m; e++) for (let k = 0; k < sizes[0]!; k++) X.v[k * m + e] = data.x[e * sizes[0]! + k]!;
  A[1] = X;
  const Y = mat(sizes[L - 1]!, m);
  for (let e = 0; e < m; e++) for (let j = 0; j < sizes[L - 1]!; j++) Y.v[j * m + e] = data.y[e * sizes[L - 1]! + j]!;

  const ev = (t: TExpr): Mat => {
    switch (t.kind) {
      case "weights": return W[t.layer]!;
      case "biases": return B[t.layer]!;
      case "activations": return A[t.layer]!;
      case "sums": return Z[t.layer]!;
      case "targets": return Y;
      case "delta": return D[t.layer]!;
      case "transpose": {
        const a = ev(t.arg);
        const o = mat(a.c, a.r);
        for (let i = 0; i < a.r; i++) for (let j = 0; j < a.c; j++) o.v[j * a.r + i] = a.v[i * a.c + j]!;
        return o;
      }
      case "matmul": {
        const a = ev(t.left), b = ev(t.right);
        const o = mat(a.r, b.c);
        for (let i = 0; i < a.r; i++) for (let j = 0; j < b.c; j++) {
          let s = 0;
          for (let k = 0; k < a.c; k++) s += a.v[i * a.c + k]! * b.v[k * b.c + j]!;
          o.v[i * b.c + j] = s;
        }
        return o;
      }
      case "hadamard": case "plus": {
        const a = ev(t.left), b = ev(t.right);
        const o = mat(a.r, a.c);
        // b may be a column (bias) broadcast over examples
        for (let i = 0; i < a.r; i++) for (let j = 0; j < a.c; j++) {
          const bv = b.c === a.c ? b.v[i * b.c + j]! : b.v[i]!;
          o.v[i * a.c + j] = t.kind === "plus" ? a.v[i * a.c + j]! + bv : a.v[i * a.c + j]! * bv;
        }
        return o;
      }
      case "scale": {
        const a = ev(t.arg);
        const f = evaluateWith(t.factor, (s) => (s.ref.kind === "m" ? m : s.ref.kind === "lambda" ? form.l2 : NaN));
        return { r: a.r, c: a.c, v: a.v.map((x) => x * f) };
      }
      case "sum-examples": {
        const a = ev(t.arg);
        const o = mat(a.r, 1);
        for (let i = 0; i < a.r; i++) for (let j = 0; j < a.c; j++) o.v[i] = o.v[i]! + a.v[i * a.c + j]!;
        return o;
      }
      case "map": {
        const l = t.layer;
        const o = mat(sizes[l - 1]!, m);
        for (let j = 0; j < o.r; j++) for (let e = 0; e < m; e++) {
          if (t.role === "activation" && t.activation === "softmax") {
            let max = -Infinity;
            for (let i = 0; i < o.r; i++) max = Math.max(max, Z[l]!.v[i * m + e]!);
            let s = 0;
            for (let i = 0; i < o.r; i++) s += Math.exp(Z[l]!.v[i * m + e]! - max);
            o.v[j * m + e] = Math.exp(Z[l]!.v[j * m + e]! - max) / s;
            continue;
          }
          // the template is written for neuron 1: read neuron j's values instead
          o.v[j * m + e] = evaluateWith(t.template, (s: Sym) => {
            switch (s.ref.kind) {
              case "z": return Z[l]!.v[j * m + e]!;
              case "a": return A[l]!.v[j * m + e]!;
              case "y": return Y.v[j * m + e]!;
              case "m": return m;
              default: throw new Error(`unexpected symbol ${s.ref.kind} in a template`);
            }
          });
        }
        return o;
      }
    }
  };
  for (const f of form.forward) {
    Z[f.layer] = ev(f.z);
    A[f.layer] = ev(f.a);
  }
  const gW: Mat[] = [];
  const gB: Mat[] = [];
  for (const s of form.backward) {
    if (s.kind === "delta") D[s.layer] = ev(s.value);
    else {
      gW[s.layer] = ev(s.weights);
      if (s.biases) gB[s.layer] = ev(s.biases);
    }
  }
  const out = new Float64Array(theta.length);
  p = 0;
  for (let l = 1; l < L; l++) for (let j = 0; j < sizes[l]!; j++) {
    if (bias) out[p++] = gB[l]!.v[j]!;
    for (let k = 0; k < sizes[l - 1]!; k++) out[p++] = gW[l]!.v[j * sizes[l - 1]! + k]!;
  }
  return out;
}

describe("matrix form", () => {
  it("computes the same gradients as the δ table (random layered networks)", () => {
    fc.assert(
      fc.property(layeredCase, ({ graph, theta, data }) => {
        let form: MatrixForm;
        try {
          form = matrixForm(graph);
        } catch (e) {
          // softmax with a cost other than cross-entropy has no element-wise output δ
          expect(e).toBeInstanceOf(GraphError);
          return;
        }
        expect(maxRelDiff(runMatrixForm(form, theta, data), gradientValues(graph, theta, data), 1e-6)).toBeLessThan(1e-10);
      }),
      { numRuns: 150 },
    );
  });
  it("states the post's recurrence in column form", () => {
    const form = matrixForm(layered({ sizes: [2, 2, 2], bias: false }));
    expect(form.convention).toBe("column");
    expect(form.backward.map((s) => `${s.kind}${s.layer}`)).toEqual(["delta3", "gradient2", "delta2", "gradient1"]);
    const d2 = form.backward[2]!;
    expect(d2.kind === "delta" && d2.value).toMatchObject({
      kind: "hadamard",
      left: { kind: "matmul", left: { kind: "transpose", arg: { kind: "weights", layer: 2 } }, right: { kind: "delta", layer: 3 } },
      right: { kind: "map", role: "derivative", layer: 2 },
    });
    expect(parameterIds(layered({ sizes: [2, 2, 2], bias: false }))).toHaveLength(8);
  });
});
