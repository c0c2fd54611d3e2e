/**
 * Counting correct classifications, unchecked: the loops behind metrics.ts's checked functions,
 * for the training loop, whose arrays are its own and of the right sizes. Internal to nn.
 */

/** The predicted class of example e: argmax of its n outputs (first on ties), or output ≥ ½ for n = 1. */
export function classOf(out: Float64Array, e: number, n: number): number {
  if (n === 1) return out[e]! >= 0.5 ? 1 : 0;
  let best = 0;
  let bestV = out[e * n]!;
  for (let j = 1; j < n; j++) {
    const v = out[e * n + j]!;
    if (v > bestV) {
      bestV = v;
      best = j;
    }
  }
  return best;
}

/** Number of the m examples whose predicted class matches the target class. */
export function countCorrect(out: Float64Array, y: Float64Array, m: number, n: number): number {
  let c = 0;
  for (let e = 0; e < m; e++) if (classOf(out, e, n) === classOf(y, e, n)) c++;
  return c;
}
