/**
 * Classification metrics. Targets are classes when every row is one-hot (two or more outputs) or
 * every target is 0 or 1 (one output). Accuracy counts examples whose predicted class is the
 * target's: the largest output, or for one output whether it is at least ½ (the midpoint of the
 * targets 0 and 1).
 */

/** True when the m × n targets encode classes (one-hot rows, or 0/1 for n = 1). */
export function isClassification(y: Float64Array, m: number, n: number): boolean {
  if (m === 0) return false;
  if (n === 1) {
    for (let e = 0; e < m; e++) if (y[e] !== 0 && y[e] !== 1) return false;
    return true;
  }
  for (let e = 0; e < m; e++) {
    let ones = 0;
    for (let j = 0; j < n; j++) {
      const v = y[e * n + j];
      if (v === 1) ones++;
      else if (v !== 0) return false;
    }
    if (ones !== 1) return false;
  }
  return true;
}

/** The predicted class of example e: argmax of its n outputs (first on ties), or output ≥ ½ for n = 1. */
export function predictedClass(out: Float64Array, e: number, n: number): number {
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
export function correctCount(out: Float64Array, y: Float64Array, m: number, n: number): number {
  let c = 0;
  for (let e = 0; e < m; e++) if (predictedClass(out, e, n) === predictedClass(y, e, n)) c++;
  return c;
}

/**
 * The confusion matrix of m examples over c classes (c = n, or 2 for one output): entry
 * [target][predicted] counts the examples of that target class predicted as that class.
 */
export function confusionMatrix(out: Float64Array, y: Float64Array, m: number, n: number): number[][] {
  const c = n === 1 ? 2 : n;
  const table = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  for (let e = 0; e < m; e++) table[predictedClass(y, e, n)]![predictedClass(out, e, n)]! += 1;
  return table;
}
