/**
 * A reference evaluator of the matrix form: runs the steps of {@link matrixForm} on plain dense
 * matrices (column vectors, one column per example), written from their definitions. It is the
 * readable counterpart of nn's kernels; tests hold both equal to the δ table.
 */
import { type MatrixForm, matrixForm, type TExpr } from "../derive/matrix.js";
import type { Sym } from "../expr/expr.js";
import type { Graph } from "../graph/types.js";
import { type Batch, checkShapes, type ParamValues } from "./data.js";
import { evaluateWith } from "./evaluate.js";

/** A dense matrix, row-major. */
/** A dense row-major matrix. */
interface Mat {
  r: number;
  c: number;
  v: Float64Array;
}
const mat = (r: number, c: number): Mat => ({ r, c, v: new Float64Array(r * c) });

/** Runs the form's steps; returns ∂J/∂θ in parameter order. */
function runMatrixForm(form: MatrixForm, theta: ParamValues, data: Batch): Float64Array {
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
      case "weights":
        return W[t.layer]!;
      case "biases":
        return B[t.layer]!;
      case "activations":
        return A[t.layer]!;
      case "sums":
        return Z[t.layer]!;
      case "targets":
        return Y;
      case "delta":
        return D[t.layer]!;
      case "transpose": {
        const a = ev(t.arg);
        const o = mat(a.c, a.r);
        for (let i = 0; i < a.r; i++) for (let j = 0; j < a.c; j++) o.v[j * a.r + i] = a.v[i * a.c + j]!;
        return o;
      }
      case "matmul": {
        const a = ev(t.left),
          b = ev(t.right);
        const o = mat(a.r, b.c);
        for (let i = 0; i < a.r; i++)
          for (let j = 0; j < b.c; j++) {
            let s = 0;
            for (let k = 0; k < a.c; k++) s += a.v[i * a.c + k]! * b.v[k * b.c + j]!;
            o.v[i * b.c + j] = s;
          }
        return o;
      }
      case "hadamard":
      case "plus": {
        const a = ev(t.left),
          b = ev(t.right);
        const o = mat(a.r, a.c);
        // b may be a column (bias) broadcast over examples
        for (let i = 0; i < a.r; i++)
          for (let j = 0; j < a.c; j++) {
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
        for (let j = 0; j < o.r; j++)
          for (let e = 0; e < m; e++) {
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
                case "z":
                  return Z[l]!.v[j * m + e]!;
                case "a":
                  return A[l]!.v[j * m + e]!;
                case "y":
                  return Y.v[j * m + e]!;
                case "ysum": {
                  // Σᵢ yᵢ over example e's column
                  let sum = 0;
                  for (let i = 0; i < Y.r; i++) sum += Y.v[i * m + e]!;
                  return sum;
                }
                case "m":
                  return m;
                default:
                  return NaN; // templates read only z, a, y, Σy and m
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
  for (let l = 1; l < L; l++)
    for (let j = 0; j < sizes[l]!; j++) {
      if (bias) out[p++] = gB[l]!.v[j]!;
      for (let k = 0; k < sizes[l - 1]!; k++) out[p++] = gW[l]!.v[j * sizes[l - 1]! + k]!;
    }
  return out;
}

/** Every ∂J/∂θ of a layered network over a batch, evaluated from the matrix form. */
export function matrixGradientValues(graph: Graph, theta: ParamValues, data: Batch): Float64Array {
  checkShapes(graph, theta, data);
  return runMatrixForm(matrixForm(graph), theta, data);
}
