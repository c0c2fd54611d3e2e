/** Numeric helpers for tests: central differences and relative comparison. */
import { type Batch, costValue, type Graph, gradientValues } from "../src/index.js";

/** Central finite differences of J with a step scaled to each parameter. */
export function finiteDifferences(
  graph: Graph,
  theta: Float64Array,
  data: Batch,
  h = Math.cbrt(Number.EPSILON),
): Float64Array {
  const t = Float64Array.from(theta);
  return t.map((v, i) => {
    const step = h * Math.max(1, Math.abs(v));
    t[i] = v + step;
    const jp = costValue(graph, t, data);
    t[i] = v - step;
    const jm = costValue(graph, t, data);
    t[i] = v;
    return (jp - jm) / (2 * step);
  });
}

/** Central differences of the gradient: column j is ∂(∇J)/∂θⱼ; returns row-major n × n. */
export function gradientDifferences(graph: Graph, theta: Float64Array, data: Batch, h = 1e-5): Float64Array {
  const n = theta.length;
  const out = new Float64Array(n * n);
  const t = Float64Array.from(theta);
  for (let j = 0; j < n; j++) {
    const v = t[j]!;
    t[j] = v + h;
    const gp = gradientValues(graph, t, data);
    t[j] = v - h;
    const gm = gradientValues(graph, t, data);
    t[j] = v;
    for (let i = 0; i < n; i++) out[i * n + j] = (gp[i]! - gm[i]!) / (2 * h);
  }
  return out;
}

/** |a − b| / max(|a|, |b|, floor). */
export function relDiff(a: number, b: number, floor = 1e-6): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/** The largest relDiff over two arrays. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, relDiff(a[i]!, b[i]!, floor));
  return worst;
}
