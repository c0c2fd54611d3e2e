/**
 * A seeded, stratified sample of parameter positions, for checking a large gradient entry by
 * entry in seconds: every group of parameters (a layer's weights, a layer's biases, …) is
 * represented, small groups in full, so a mistake confined to one small group is not missed.
 */
import { ArgumentError, TooLargeError } from "../errors.js";
import { kindOf, show } from "../messages.js";
import { checkSeed, splitmix32 } from "../random.js";

/** A uniform generator on [0, 1) from a 32-bit seed: the splitmix32 stream that seeds a {@link Random}, over 2³². */
function uniform(seed: number): () => number {
  const next = splitmix32(seed);
  return () => next() / 2 ** 32;
}

/**
 * The most positions {@link sampleParameters} lists when every one is asked for (a longer list is
 * more than a JavaScript array holds comfortably); a sample may be drawn from up to 2^31 − 1.
 */
export const MAX_LISTED_POSITIONS = 2 ** 26;

/** Checks a sample size: a whole number ≥ 1. */
export function checkSampleSize(sample: number): number {
  if (typeof sample !== "number" || !Number.isInteger(sample) || sample < 1) {
    throw new ArgumentError(
      "invalid-argument",
      `A sample size must be a whole number ≥ 1 (or leave it out to check every parameter); got ${show(sample)}.`,
      sample,
    );
  }
  return sample;
}

/** Checks a seed: a whole number in 0…2³²−1 (core's {@link checkSeed}). */
export function checkSampleSeed(seed: number): number {
  return checkSeed(seed);
}

/** Each parameter's group: a list of names, one per parameter, or a function of the position. */
export type ParameterGroups = readonly string[] | ((i: number) => string);

/**
 * Positions 0…n−1 to check, ascending: all of them when `sample` is undefined or at least n, else
 * `sample` of them drawn without replacement from `seed` (the same seed gives the same positions).
 * `groups` names each parameter's group (a list, or a function of the position for a large
 * network, so no list of n names is made); the sample is shared out equally between groups, a
 * group smaller than its share is taken whole and the rest goes to the larger groups.
 */
export function sampleParameters(n: number, sample?: number, seed = 0, groups?: ParameterGroups): number[] {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n >= 2 ** 31) {
    throw new ArgumentError(
      "invalid-argument",
      `The number of parameters is a whole number from 0 to 2^31 − 1; got ${kindOf(n)} ${show(n)}.`,
      n,
    );
  }
  checkSampleSeed(seed);
  if (sample === undefined || checkSampleSize(sample) >= n) {
    if (n > MAX_LISTED_POSITIONS) {
      throw new TooLargeError(
        "too-large",
        `Listing all ${n} positions is more than the ${MAX_LISTED_POSITIONS} this lists; ask for a sample of them.`,
        n,
      );
    }
    return Array.from({ length: n }, (_, i) => i);
  }
  if (groups !== undefined && typeof groups !== "function" && (!Array.isArray(groups) || groups.length !== n)) {
    throw new ArgumentError(
      "invalid-argument",
      `Expected a list of one group name per parameter (${n}), or a function of the position; got ${Array.isArray(groups) ? `${groups.length} names` : `${kindOf(groups)} ${show(groups, 40)}`}.`,
      groups,
    );
  }
  const next = uniform(seed);
  // one group: the sample's positions are drawn without listing all n
  if (groups === undefined) return drawn(n, sample, (i) => i, next).sort((a, b) => a - b);
  const groupOf = typeof groups === "function" ? groups : (i: number) => groups[i] ?? "";
  // each position's group number (in order of first appearance), then each group's positions
  const index = new Map<unknown, number>();
  const of = new Int32Array(n);
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = groupOf(i);
    let g = index.get(key);
    if (g === undefined) {
      g = sizes.length;
      index.set(key, g);
      sizes.push(0);
    }
    of[i] = g;
    sizes[g]!++;
  }
  const members = sizes.map((size) => new Int32Array(size));
  const filled = new Int32Array(sizes.length);
  for (let i = 0; i < n; i++) members[of[i]!]![filled[of[i]!]!++] = i;
  // smallest group first (ties: first seen); each takes an equal share of what is left
  const order = members.sort((a, b) => a.length - b.length || a[0]! - b[0]!);
  const picked: number[] = [];
  let left = sample;
  order.forEach((group, gi) => {
    const take = Math.min(group.length, Math.floor(left / (order.length - gi)));
    left -= take;
    for (const v of drawn(group.length, take, (i) => group[i]!, next)) picked.push(v);
  });
  return picked.sort((a, b) => a - b);
}

/**
 * `take` of the n members of a group (member i is `at(i)`), drawn without replacement: a partial
 * Fisher–Yates shuffle whose first `take` entries become a uniform sample, with the entries it
 * moves kept in a map instead of a copy of the group (memory of the sample's size).
 */
function drawn(n: number, take: number, at: (i: number) => number, next: () => number): number[] {
  const moved = new Map<number, number>();
  const get = (i: number) => moved.get(i) ?? at(i);
  const picked: number[] = [];
  for (let k = 0; k < take; k++) {
    const r = k + Math.floor(next() * (n - k));
    const v = get(r);
    moved.set(r, get(k));
    moved.set(k, v);
    picked.push(v);
  }
  return picked;
}
