/**
 * The one source of randomness: xoshiro128** (Blackman and Vigna), seeded through splitmix32.
 * nn's initialisation, shuffling and generated datasets, viz's example values, the CLI's gradient
 * check data and core's parameter samples all draw from a {@link Random} (or its splitmix32
 * seeding) made from one seed, so the same seed gives the same numbers, bit for bit, on every
 * platform (32-bit integer arithmetic only; no Math.random).
 */
import { ArgumentError } from "./errors.js";
import { show } from "./messages.js";

/** The largest seed accepted (seeds are unsigned 32-bit integers). */
export const MAX_SEED = 0xffffffff;

/** The four 32-bit words of a generator's state, for saving and resuming a run. */
export type RandomState = readonly [number, number, number, number];

/**
 * splitmix32: a stream of unsigned 32-bit integers from one 32-bit seed; it spreads a seed over
 * the state words of a {@link Random}.
 */
export function splitmix32(seed: number): () => number {
  if (typeof seed !== "number")
    throw new ArgumentError("invalid-argument", `splitmix32 takes a number as its seed; got ${show(seed)}.`, seed);
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Checks a seed: a whole number in 0…2³²−1. */
export function checkSeed(seed: number): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new ArgumentError(
      "invalid-argument",
      `A seed must be a whole number from 0 to ${MAX_SEED}; got ${show(seed)}.`,
      seed,
    );
  }
  return seed;
}

/** True when `state` is a generator state {@link Random.fromState} resumes: four unsigned 32-bit integers, not all zero. */
export function isRandomState(state: unknown): state is RandomState {
  return (
    Array.isArray(state) &&
    state.length === 4 &&
    state.every((w) => Number.isInteger(w) && w >= 0 && w <= MAX_SEED) &&
    !state.every((w) => w === 0)
  );
}

/** A seeded pseudo-random generator (xoshiro128**). */
export class Random {
  /**
   * The four state words as int32 (their bits; {@link Random.state} reads them unsigned). Kept in a
   * typed array so that drawing allocates nothing: a word stored as a number of 2³⁰ or more would
   * be boxed at every draw.
   */
  private readonly s = new Int32Array(4);

  /** A generator from a seed (0…2³²−1). */
  constructor(seed: number) {
    const next = splitmix32(checkSeed(seed));
    const s = this.s;
    for (let i = 0; i < 4; i++) s[i] = next();
    if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[3] = 1;
  }

  /** A generator that continues from a saved state. */
  static fromState(state: RandomState): Random {
    if (!isRandomState(state)) {
      throw new ArgumentError(
        "invalid-argument",
        `A generator state is four unsigned 32-bit integers, not all zero; got ${show(state)}.`,
        state,
      );
    }
    const r = new Random(0);
    for (let i = 0; i < 4; i++) r.s[i] = state[i]!;
    return r;
  }

  /** The current state (resume with {@link Random.fromState}). */
  state(): RandomState {
    const s = this.s;
    return [s[0]! >>> 0, s[1]! >>> 0, s[2]! >>> 0, s[3]! >>> 0];
  }

  /** The next unsigned 32-bit integer. */
  uint32(): number {
    const s = this.s;
    const a = s[0]!;
    const b = s[1]!;
    // result = rotl(b · 5, 7) · 9
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    const c = s[2]! ^ a;
    const d = s[3]! ^ b;
    s[1] = b ^ c;
    s[0] = a ^ d;
    s[2] = c ^ t;
    s[3] = rotl(d, 11);
    return r;
  }

  /** A double in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    if (typeof lo !== "number" || typeof hi !== "number")
      throw new ArgumentError(
        "invalid-argument",
        `uniform(lo, hi) takes two numbers, got ${show(lo)} and ${show(hi)}.`,
        [lo, hi],
      );
    return lo + (hi - lo) * this.float();
  }

  /** A standard normal deviate (Box–Muller; two uniforms per call, nothing cached). */
  normal(): number {
    const u = 1 - this.float(); // (0, 1]
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fills target[start … end) with uniform draws in [lo, hi), in order: the numbers that many
   * calls of `uniform(lo, hi)` give, bit for bit, and the generator ends in the same state —
   * without a call per number (a large network's initial weights are millions of draws).
   */
  fillUniform(target: Float64Array, lo: number, hi: number, start = 0, end = target?.length): void {
    if (typeof lo !== "number" || typeof hi !== "number")
      throw new ArgumentError(
        "invalid-argument",
        `fillUniform(target, lo, hi) takes two numbers, got ${show(lo)} and ${show(hi)}.`,
        [lo, hi],
      );
    this.fill(target, start, end, "fillUniform", false, lo, hi);
  }

  /**
   * Fills target[start … end) with normal draws times `sigma`, in order: sigma · normal() for
   * each, the numbers that many calls give, bit for bit, and the generator ends in the same state.
   */
  fillNormal(target: Float64Array, sigma: number, start = 0, end = target?.length): void {
    if (typeof sigma !== "number")
      throw new ArgumentError(
        "invalid-argument",
        `fillNormal(target, sigma) takes a number, got ${show(sigma)}.`,
        sigma,
      );
    this.fill(target, start, end, "fillNormal", true, sigma, 0);
  }

  /** A whole number in 0…n−1, without modulo bias (n ≤ 2³²). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32)
      throw new ArgumentError("invalid-argument", `int(n) needs a whole number 1…2³², got ${show(n)}.`, n);
    return this.below(n);
  }

  /** Shuffles the first `length` entries of an index array in place (Fisher–Yates). */
  shuffle(indices: Uint32Array | number[], length = indices?.length): void {
    if (!Array.isArray(indices) && !(indices instanceof Uint32Array))
      throw new ArgumentError(
        "invalid-argument",
        `shuffle takes a list or Uint32Array of indices, got ${show(indices, 40)}.`,
        indices,
      );
    if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || length > indices.length) {
      throw new ArgumentError(
        "invalid-argument",
        `shuffle's length must be a whole number 0…${indices.length}, got ${show(length)}.`,
        length,
      );
    }
    for (let i = length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = indices[i]!;
      indices[i] = indices[j]!;
      indices[j] = t;
    }
  }

  /**
   * {@link int} unchecked: draws words until one is below the largest multiple of n, and returns
   * it mod n. The words stay in this function (a word of 2³⁰ or more handed from one call to
   * another would be a boxed number), so drawing allocates nothing.
   */
  private below(n: number): number {
    const limit = 2 ** 32 - (2 ** 32 % n);
    const s = this.s;
    let a = s[0]!;
    let b = s[1]!;
    let c = s[2]!;
    let d = s[3]!;
    let x: number;
    do {
      x = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
    } while (x >= limit);
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
    return x % n;
  }

  /**
   * The loop of {@link fillUniform} (lo + (hi − lo)·u) and {@link fillNormal} (p · Box–Muller), the
   * state in locals: each 53-bit float is the two draws {@link float} takes, in the same order.
   */
  private fill(
    target: Float64Array,
    start: number,
    end: number,
    name: string,
    normal: boolean,
    p: number,
    q: number,
  ): void {
    if (!(target instanceof Float64Array))
      throw new ArgumentError("invalid-argument", `${name} fills a Float64Array, got ${show(target, 40)}.`, target);
    if (
      typeof start !== "number" ||
      typeof end !== "number" ||
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end < start ||
      end > target.length
    ) {
      throw new ArgumentError(
        "invalid-argument",
        `${name}'s range must be whole numbers 0 ≤ start ≤ end ≤ ${target.length}, got ${show(start)} and ${show(end)}.`,
        [start, end],
      );
    }
    const s = this.s;
    let a = s[0]!;
    let b = s[1]!;
    let c = s[2]!;
    let d = s[3]!;
    const span = q - p;
    for (let i = start; i < end; i++) {
      let u = 0;
      let v = 0;
      for (let k = normal ? 2 : 1; k > 0; k--) {
        // two steps of uint32(): 27 and 26 bits of one float()
        let r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
        let t = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= t;
        d = rotl(d, 11);
        const hi = r >>> 5;
        r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
        t = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= t;
        d = rotl(d, 11);
        const f = (hi * 67108864 + (r >>> 6)) / 9007199254740992;
        if (k === 2 || !normal) u = f;
        else v = f;
      }
      target[i] = normal ? p * (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v)) : p + span * u;
    }
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
  }
}

/** What a seed drives: generated data, initial parameters, and training (shuffling, the validation split). */
export const SEED_PURPOSES = ["data", "init", "train"] as const;
/** One of the streams a seed drives. */
export type SeedPurpose = (typeof SEED_PURPOSES)[number];

/**
 * The generator of one purpose under a seed: the root generator Random(seed)'s first three words
 * seed the data, initialisation and training streams. Every API that takes a seed draws from its
 * own stream, so one seed given to `builtinDataset`, `Network.create` and `train` (as the CLI's
 * --seed is) drives three independent streams, and the API and the CLI give the same run.
 */
export function seedStream(seed: number, purpose: SeedPurpose): Random {
  const root = new Random(seed);
  const index = SEED_PURPOSES.indexOf(purpose);
  if (index < 0)
    throw new ArgumentError(
      "invalid-argument",
      `A seed drives the streams ${SEED_PURPOSES.join(", ")}; got ${show(purpose)}.`,
      purpose,
    );
  let word = 0;
  for (let i = 0; i <= index; i++) word = root.uint32();
  return new Random(word);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
