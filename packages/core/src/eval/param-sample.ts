/**
 * A seeded, stratified sample of parameter positions, for checking a large gradient entry by
 * entry in seconds: every group of parameters (a layer's weights, a layer's biases, …) is
 * represented, small groups in full, so a mistake confined to one small group is not missed.
 */
import { ArgumentError, TooLargeError } from "../errors.js";
import { kindOf, show } from "../messages.js";

/** The largest seed accepted (seeds are unsigned 32-bit integers). */
const MAX_SEED = 0xffffffff;

/** A uniform generator on [0, 1) from a 32-bit seed (splitmix32: integer arithmetic only). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

/**
 * The most positions {@link sampleParameters} lists when every one is asked for (a longer list is
 * more than a JavaScript array holds comfortably); a sample may be drawn from up to 2^31 − 1.
 */
export const MAX_LISTED_POSITIONS = 2 ** 26;

/** Checks a sample size: a whole number ≥ 1. */
export function checkSampleSize(sample: number): number {
  if (typeof sample !== "number" || !Number.isInteger(sample) || sample < 1) {
    throw new ArgumentError("invalid-argument", `A sample size must be a whole number ≥ 1 (or leave it out to check every parameter); got ${show(sample)}.`, sample);
  }
  return sample;
}

/** Checks a seed: a whole number in 0…2³²−1. */
export function checkSampleSeed(seed: number): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new ArgumentError("invalid-argument", `A seed must be a whole number from 0 to ${MAX_SEED}; got ${show(seed)}.`, seed);
  }
  return seed;
}

/**
 * Positions 0…n−1 to check, ascending: all of them when `sample` is undefined or at least n, else
 * `sample` of them drawn without replacement from `seed` (the same seed gives the same positions).
 * `groups[i]` names parameter i's group; the sample is shared out equally between groups, a group
 * smaller than its share is taken whole and the rest goes to the larger groups.
 */
export function sampleParameters(n: number, sample?: number, seed = 0, groups?: readonly string[]): number[] {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n >= 2 ** 31) {
    throw new ArgumentError("invalid-argument", `The number of parameters is a whole number from 0 to 2^31 − 1; got ${kindOf(n)} ${show(n)}.`, n);
  }
  checkSampleSeed(seed);
  if (sample === undefined || checkSampleSize(sample) >= n) {
    if (n > MAX_LISTED_POSITIONS) {
      throw new TooLargeError("too-large", `Listing all ${n} positions is more than the ${MAX_LISTED_POSITIONS} this lists; ask for a sample of them.`, n);
    }
    return Array.from({ length: n }, (_, i) => i);
  }
  if (groups !== undefined && (!Array.isArray(groups) || groups.length !== n)) {
    throw new ArgumentError("invalid-argument", `Expected a list of one group name per parameter (${n}); got ${Array.isArray(groups) ? `${groups.length} names` : `${kindOf(groups)} ${show(groups, 40)}`}.`, groups);
  }
  // one group: the sample's positions are drawn without listing all n
  if (groups === undefined) return drawn(n, sample, uniform(seed)).sort((a, b) => a - b);
  const byGroup = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = groups?.[i] ?? "";
    let g = byGroup.get(key);
    if (g === undefined) byGroup.set(key, (g = []));
    g.push(i);
  }
  // smallest group first (ties: first seen); each takes an equal share of what is left
  const order = [...byGroup.values()].sort((a, b) => a.length - b.length || a[0]! - b[0]!);
  const next = uniform(seed);
  const picked: number[] = [];
  let left = sample;
  order.forEach((members, gi) => {
    const take = Math.min(members.length, Math.floor(left / (order.length - gi)));
    left -= take;
    // partial Fisher–Yates: the first `take` entries become a uniform sample of the group
    const pool = members.slice();
    for (let k = 0; k < take; k++) {
      const r = k + Math.floor(next() * (pool.length - k));
      const v = pool[r]!;
      pool[r] = pool[k]!;
      pool[k] = v;
      picked.push(v);
    }
  });
  return picked.sort((a, b) => a - b);
}

/**
 * `take` of positions 0…n−1 drawn without replacement: the partial Fisher–Yates shuffle of the
 * grouped case on the list 0…n−1, with the entries it moves kept in a map instead of the list
 * (the same draws give the same positions, in memory of the sample's size).
 */
function drawn(n: number, take: number, next: () => number): number[] {
  const moved = new Map<number, number>();
  const at = (i: number) => moved.get(i) ?? i;
  const picked: number[] = [];
  for (let k = 0; k < take; k++) {
    const r = k + Math.floor(next() * (n - k));
    const v = at(r);
    moved.set(r, at(k));
    moved.set(k, v);
    picked.push(v);
  }
  return picked;
}
