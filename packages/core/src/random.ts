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
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A generator from a seed (0…2³²−1). */
  constructor(seed: number) {
    const next = splitmix32(checkSeed(seed));
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
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
    [r.a, r.b, r.c, r.d] = state;
    return r;
  }

  /** The current state (resume with {@link Random.fromState}). */
  state(): RandomState {
    return [this.a, this.b, this.c, this.d];
  }

  /** The next unsigned 32-bit integer. */
  uint32(): number {
    // result = rotl(b · 5, 7) · 9
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
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

  /** A whole number in 0…n−1, without modulo bias (n ≤ 2³²). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32)
      throw new ArgumentError("invalid-argument", `int(n) needs a whole number 1…2³², got ${show(n)}.`, n);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
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
      const j = this.int(i + 1);
      const t = indices[i]!;
      indices[i] = indices[j]!;
      indices[j] = t;
    }
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
