/**
 * Classification metrics. Targets are classes when every row is one-hot (two or more outputs) or
 * every target is 0 or 1 (one output). Accuracy counts examples whose predicted class is the
 * target's: the largest output, or for one output whether it is at least ½ (the midpoint of the
 * targets 0 and 1).
 */
import { show } from "@chainrule/core";
import { OptionError } from "../errors.js";
import { classOf, countCorrect } from "./count.js";

/** Outputs or targets: m × n numbers in a Float64Array. */
function rows(what: string, a: unknown, m: unknown, n: unknown): void {
  if (
    typeof m !== "number" ||
    !Number.isInteger(m) ||
    m < 0 ||
    typeof n !== "number" ||
    !Number.isInteger(n) ||
    n < 1
  ) {
    throw new OptionError(`${what} need m ≥ 0 examples of n ≥ 1 values; got m = ${show(m)}, n = ${show(n)}.`, [m, n]);
  }
  if (!(a instanceof Float64Array) || a.length < m * n)
    throw new OptionError(`${what} are a Float64Array of m × n = ${m * n} numbers, got ${show(a, 40)}.`, a);
}

/** True when the m × n targets encode classes (one-hot rows, or 0/1 for n = 1). */
export function isClassification(y: Float64Array, m: number, n: number): boolean {
  rows("The targets", y, m, n);
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
  if (typeof e !== "number" || !Number.isInteger(e) || e < 0)
    throw new OptionError(`The example number is a whole number ≥ 0, got ${show(e)}.`, e);
  rows("The outputs", out, e + 1, n);
  return classOf(out, e, n);
}

/** Number of the m examples whose predicted class matches the target class. */
export function correctCount(out: Float64Array, y: Float64Array, m: number, n: number): number {
  rows("The outputs", out, m, n);
  rows("The targets", y, m, n);
  return countCorrect(out, y, m, n);
}

/**
 * The confusion matrix of m examples over c classes (c = n, or 2 for one output): entry
 * [target][predicted] counts the examples of that target class predicted as that class.
 */
export function confusionMatrix(out: Float64Array, y: Float64Array, m: number, n: number): number[][] {
  rows("The outputs", out, m, n);
  rows("The targets", y, m, n);
  const c = n === 1 ? 2 : n;
  const table = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  for (let e = 0; e < m; e++) table[classOf(y, e, n)]![classOf(out, e, n)]! += 1;
  return table;
}
