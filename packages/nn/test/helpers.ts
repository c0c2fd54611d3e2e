/**
 * Shared test helpers: closeness of numbers and vectors, random layered networks of every
 * activation and cost core supports, and batches to run them on.
 */

import {
  type ActivationName,
  type Batch,
  type CostName,
  ELEMENTWISE_ACTIVATIONS,
  type Graph,
  layered,
  OUTPUT_PAIRS,
} from "@chainrule/core";
import fc from "fast-check";

/** |a − b| ≤ rel · max(|a|, |b|), or below abs (for values that cancel to nearly 0). */
export function close(a: number, b: number, rel = 1e-9, abs = 0): boolean {
  if (Object.is(a, b)) return true;
  const d = Math.abs(a - b);
  return d <= rel * Math.max(Math.abs(a), Math.abs(b)) || d <= abs;
}

/**
 * Index of the first entry where two vectors differ beyond relative `rel` (entries that cancel
 * are compared against 1e-13 of the vectors' largest magnitude), or −1 when they agree.
 */
export function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>, rel = 1e-9): number {
  if (a.length !== b.length) return 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]!), Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) if (!close(a[i]!, b[i]!, rel, 1e-13 * scale)) return i;
  return -1;
}

/** Hidden-layer activations (every element-wise one in core's registry). */
export const HIDDEN: readonly ActivationName[] = ELEMENTWISE_ACTIVATIONS;

/** Output activation and cost pairs core accepts (from its registries). */
export const OUTPUTS: readonly { readonly act: ActivationName; readonly cost: CostName }[] = OUTPUT_PAIRS;

/** A layered network with values to evaluate it at. */
export interface NetCase {
  readonly graph: Graph;
  readonly theta: Float64Array;
  readonly batch: Batch;
  readonly label: string;
}

const real = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });

/**
 * Targets that suit a cost: values in [0, 1], and for cross-entropy one-hot rows, one-hot rows
 * scaled to sum to 0, 0.5 or 2, and rows of any sign (the gradient must hold for every row).
 */
export function targets(cost: CostName, n: number, m: number): fc.Arbitrary<number[]> {
  const oneHot = fc.nat({ max: n - 1 }).map((c) => Array.from({ length: n }, (_, j) => (j === c ? 1 : 0)));
  const row =
    cost === "cross-entropy"
      ? fc.oneof(
          oneHot,
          fc.tuple(oneHot, fc.constantFrom(0, 0.5, 2)).map(([r, s]) => r.map((v) => v * s)),
          fc.array(real(-1, 2), { minLength: n, maxLength: n }),
        )
      : fc.array(real(0, 1), { minLength: n, maxLength: n });
  return fc.array(row, { minLength: m, maxLength: m }).map((rows) => rows.flat());
}

/**
 * Random layered networks: 2–4 layers of 1–`maxWidth` neurons, any hidden activation per layer,
 * any output/cost pair (or the one given), with or without biases and L2, θ in [−1.5, 1.5], x in [−2, 2].
 */
export function netCase(maxWidth = 7, maxM = 9, output?: (typeof OUTPUTS)[number]): fc.Arbitrary<NetCase> {
  return fc
    .record({
      sizes: fc.array(fc.integer({ min: 1, max: maxWidth }), { minLength: 2, maxLength: 4 }),
      hidden: fc.array(fc.constantFrom(...HIDDEN), { minLength: 2, maxLength: 2 }),
      out: output === undefined ? fc.constantFrom(...OUTPUTS) : fc.constant(output),
      bias: fc.boolean(),
      l2: fc.constantFrom(0, 0, 0.07),
      m: fc.integer({ min: 1, max: maxM }),
    })
    .chain(({ sizes, hidden, out, bias, l2, m }) => {
      // a softmax output needs two or more units
      if (out.act === "softmax") sizes[sizes.length - 1] = Math.max(2, sizes[sizes.length - 1]!);
      const acts = [...sizes.slice(2).map((_, i) => hidden[i % 2]!), out.act];
      const graph = layered({ sizes, activation: acts, bias, cost: out.cost, l2 });
      const np = countParams(sizes, bias);
      const nIn = sizes[0]!;
      const nOut = sizes[sizes.length - 1]!;
      return fc
        .record({
          theta: fc.array(real(-1.5, 1.5), { minLength: np, maxLength: np }),
          x: fc.array(real(-2, 2), { minLength: m * nIn, maxLength: m * nIn }),
          y: targets(out.cost, nOut, m),
        })
        .map(({ theta, x, y }) => ({
          graph,
          theta: Float64Array.from(theta),
          batch: { m, x: Float64Array.from(x), y: Float64Array.from(y) },
          label: `${sizes.join("-")} ${acts.join(",")} ${out.cost} bias=${bias} l2=${l2} m=${m}`,
        }));
    });
}

/** Parameters of a layered network. */
export function countParams(sizes: readonly number[], bias: boolean): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l]! * (sizes[l - 1]! + (bias ? 1 : 0));
  return n;
}
