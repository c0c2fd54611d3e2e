/**
 * Scalar functions that expressions can apply, with their derivatives of every order that is
 * used. `Apply(fn, n, x)` means f⁽ⁿ⁾(x), so d/dx f⁽ⁿ⁾(x) = f⁽ⁿ⁺¹⁾(x): differentiating an
 * application never needs a rule other than "raise the order". Each function is one record: its
 * value in TypeScript (the interpreter and compiled code call it) and the same operations as
 * JavaScript source (the self-contained modules of `emitModule` carry it), side by side.
 */
import { ArgumentError } from "../errors.js";
import { kindOf, show } from "../messages.js";

/** Names of the scalar functions an expression can apply. */
export type FnName = "sigmoid" | "tanh" | "relu" | "leaky-relu" | "softplus" | "gelu" | "silu" | "exp" | "log";

/** Slope of leaky-relu for negative inputs. */
export const LEAKY_SLOPE = 0.01;

/** One scalar function: its value and derivatives, side by side. */
export interface FnRecord {
  readonly name: FnName;
  /** f⁽ⁿ⁾(x); throws for an order this function does not provide. */
  readonly value: (order: number, x: number) => number;
  /**
   * The same f⁽ⁿ⁾(x) as JavaScript source, `(n, x) => …` or a helper's name, with the same
   * operations in the same order (a test holds the two equal, bit for bit); it may call the
   * helpers of {@link FUNCTION_HELPERS_SOURCE}.
   */
  readonly source: string;
  /** Orders at and above this are identically zero (almost everywhere), or Infinity. */
  readonly zeroFrom: number;
}

/** Numerically stable logistic function: never overflows, for any |x|. */
export function sigmoid(x: number): number {
  if (typeof x !== "number") notNumber("sigmoid", x);
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Numerically stable log(1 + eˣ): max(x, 0) + log1p(e^(−|x|)). */
export function softplus(x: number): number {
  if (typeof x !== "number") notNumber("softplus", x);
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function notNumber(name: string, x: unknown): never {
  throw new ArgumentError("invalid-argument", `${name} takes a number; got ${kindOf(x)} ${show(x, 40)}.`, x);
}

function tooHigh(name: string, order: number): never {
  throw new ArgumentError(
    "invalid-argument",
    `No derivative of order ${order} is defined for ${name}; orders 0-3 are.`,
    order,
  );
}

// σ' = σ(1−σ); σ'' = σ(1−σ)(1−2σ); σ''' = σ(1−σ)(1−6σ+6σ²)
function sigmoidOrder(order: number, x: number): number {
  const s = sigmoid(x);
  switch (order) {
    case 0:
      return s;
    case 1:
      return s * (1 - s);
    case 2:
      return s * (1 - s) * (1 - 2 * s);
    case 3:
      return s * (1 - s) * (1 - 6 * s + 6 * s * s);
    default:
      return tooHigh("sigmoid", order);
  }
}

// tanh' = 1−t²; tanh'' = −2t(1−t²); tanh''' = −2(1−t²)(1−3t²)
function tanhOrder(order: number, x: number): number {
  const t = Math.tanh(x);
  switch (order) {
    case 0:
      return t;
    case 1:
      return 1 - t * t;
    case 2:
      return -2 * t * (1 - t * t);
    case 3:
      return -2 * (1 - t * t) * (1 - 3 * t * t);
    default:
      return tooHigh("tanh", order);
  }
}

/** erf(t) = (2/√π) e^(−t²) Σₙ 2ⁿ t²ⁿ⁺¹ / (1·3·…·(2n+1)) for |t| < 3: every term has t's sign, so nothing cancels. */
function erfSeries(t: number): number {
  let term = t;
  let sum = t;
  for (let n = 1; Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
    term *= (2 * t * t) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-t * t) * sum;
}

/** erfc(t) = e^(−t²)/√π · 1/(t + ½/(t + 1/(t + (3/2)/(t + …)))) for t ≥ 3, by Lentz's method. */
function erfcFraction(t: number): number {
  if (t === Infinity) return 0;
  let f = t;
  let c = t;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    d = 1 / (t + (n / 2) * d);
    c = t + n / 2 / c;
    f *= c * d;
    if (Math.abs(c * d - 1) < 1e-16) break;
  }
  return Math.exp(-t * t) / (Math.sqrt(Math.PI) * f);
}

/** The error function erf(x), to a few units in the last place: a series below |x| = 3, a continued fraction above. */
export function erf(x: number): number {
  if (typeof x !== "number") notNumber("erf", x);
  if (Math.abs(x) < 3 || Number.isNaN(x)) return erfSeries(x);
  return x > 0 ? 1 - erfcFraction(x) : erfcFraction(-x) - 1;
}

// Φ(x) = ½(1 + erf(x/√2)), the left tail from erfc so that it keeps its digits;
// Φ′ = φ = e^(−x²/2)/√(2π); Φ″ = −xφ; Φ‴ = (x² − 1)φ
function normalCdfOrder(order: number, x: number): number {
  const t = x / Math.SQRT2;
  if (order === 0)
    return Math.abs(t) < 3 || Number.isNaN(t)
      ? 0.5 * (1 + erfSeries(t))
      : t > 0
        ? 1 - 0.5 * erfcFraction(t)
        : 0.5 * erfcFraction(-t);
  const p = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  switch (order) {
    case 1:
      return p;
    case 2:
      return p === 0 ? 0 : -x * p;
    case 3:
      return p === 0 ? 0 : (x * x - 1) * p;
    default:
      return tooHigh("gelu", order);
  }
}

// (x·f)⁽ⁿ⁾ = x·f⁽ⁿ⁾ + n·f⁽ⁿ⁻¹⁾ (Leibniz), with x·0 = 0 at x = ±∞
function timesX(name: string, f: (order: number, x: number) => number, order: number, x: number): number {
  if (order > 3) return tooHigh(name, order);
  const fx = f(order, x);
  return (fx === 0 ? 0 : x * fx) + (order === 0 ? 0 : order * f(order - 1, x));
}

/**
 * The runtime helpers the source of every record calls, as JavaScript: the same operations, in
 * the same order, as the TypeScript helpers of this file (sigmoid, softplus, erf and the
 * derivative orders), so a generated module computes what core computes, bit for bit.
 */
export const FUNCTION_HELPERS_SOURCE = `// Stable logistic function: never overflows.
function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
// log(1 + e^x) = max(x, 0) + log1p(e^(−|x|))
function softplus(x) {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
function tooHigh(name, order) {
  throw new RangeError("No derivative of order " + order + " is defined for " + name + "; orders 0-3 are.");
}
// σ′ = σ(1−σ); σ″ = σ(1−σ)(1−2σ); σ‴ = σ(1−σ)(1−6σ+6σ²)
function sigmoidOrder(order, x) {
  const s = sigmoid(x);
  switch (order) {
    case 0: return s;
    case 1: return s * (1 - s);
    case 2: return s * (1 - s) * (1 - 2 * s);
    case 3: return s * (1 - s) * (1 - 6 * s + 6 * s * s);
    default: return tooHigh("sigmoid", order);
  }
}
// tanh′ = 1−t²; tanh″ = −2t(1−t²); tanh‴ = −2(1−t²)(1−3t²)
function tanhOrder(order, x) {
  const t = Math.tanh(x);
  switch (order) {
    case 0: return t;
    case 1: return 1 - t * t;
    case 2: return -2 * t * (1 - t * t);
    case 3: return -2 * (1 - t * t) * (1 - 3 * t * t);
    default: return tooHigh("tanh", order);
  }
}
// erf(t) for |t| < 3, as a series of terms of one sign
function erfSeries(t) {
  let term = t;
  let sum = t;
  for (let n = 1; Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
    term *= (2 * t * t) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-t * t) * sum;
}
// erfc(t) for t ≥ 3, by its continued fraction (Lentz)
function erfcFraction(t) {
  if (t === Infinity) return 0;
  let f = t;
  let c = t;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    d = 1 / (t + (n / 2) * d);
    c = t + n / 2 / c;
    f *= c * d;
    if (Math.abs(c * d - 1) < 1e-16) break;
  }
  return Math.exp(-t * t) / (Math.sqrt(Math.PI) * f);
}
function erf(x) {
  if (Math.abs(x) < 3 || Number.isNaN(x)) return erfSeries(x);
  return x > 0 ? 1 - erfcFraction(x) : erfcFraction(-x) - 1;
}
// Φ(x) = ½(1 + erf(x/√2)); Φ′ = φ; Φ″ = −xφ; Φ‴ = (x² − 1)φ
function normalCdfOrder(order, x) {
  const t = x / Math.SQRT2;
  if (order === 0) return Math.abs(t) < 3 || Number.isNaN(t) ? 0.5 * (1 + erfSeries(t)) : t > 0 ? 1 - 0.5 * erfcFraction(t) : 0.5 * erfcFraction(-t);
  const p = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  switch (order) {
    case 1: return p;
    case 2: return p === 0 ? 0 : -x * p;
    case 3: return p === 0 ? 0 : (x * x - 1) * p;
    default: return tooHigh("gelu", order);
  }
}
// (x·f)⁽ⁿ⁾ = x·f⁽ⁿ⁾ + n·f⁽ⁿ⁻¹⁾
function timesX(name, f, order, x) {
  if (order > 3) return tooHigh(name, order);
  const fx = f(order, x);
  return (fx === 0 ? 0 : x * fx) + (order === 0 ? 0 : order * f(order - 1, x));
}`;

/** The function table: one record per function. */
export const FUNCTIONS: { readonly [K in FnName]: FnRecord } = {
  sigmoid: { name: "sigmoid", value: sigmoidOrder, source: "sigmoidOrder", zeroFrom: Infinity },
  tanh: { name: "tanh", value: tanhOrder, source: "tanhOrder", zeroFrom: Infinity },
  // relu' is the step function, with the subgradient 0 chosen at x = 0.
  relu: {
    name: "relu",
    value: (n, x) => (n === 0 ? Math.max(0, x) : n === 1 ? (x > 0 ? 1 : 0) : 0),
    source: "(n, x) => (n === 0 ? Math.max(0, x) : n === 1 ? (x > 0 ? 1 : 0) : 0)",
    zeroFrom: 2,
  },
  // leaky-relu' = 1 for x > 0, LEAKY_SLOPE otherwise (also at 0).
  "leaky-relu": {
    name: "leaky-relu",
    value: (n, x) => (n === 0 ? (x > 0 ? x : LEAKY_SLOPE * x) : n === 1 ? (x > 0 ? 1 : LEAKY_SLOPE) : 0),
    source: `(n, x) => (n === 0 ? (x > 0 ? x : ${LEAKY_SLOPE} * x) : n === 1 ? (x > 0 ? 1 : ${LEAKY_SLOPE}) : 0)`,
    zeroFrom: 2,
  },
  // softplus' = σ; softplus⁽ⁿ⁾ = σ⁽ⁿ⁻¹⁾
  softplus: {
    name: "softplus",
    value: (n, x) => (n === 0 ? softplus(x) : sigmoidOrder(n - 1, x)),
    source: "(n, x) => (n === 0 ? softplus(x) : sigmoidOrder(n - 1, x))",
    zeroFrom: Infinity,
  },
  // gelu(x) = x·Φ(x), exact (erf); gelu' = Φ(x) + x·φ(x)
  gelu: {
    name: "gelu",
    value: (n, x) => timesX("gelu", normalCdfOrder, n, x),
    source: `(n, x) => timesX("gelu", normalCdfOrder, n, x)`,
    zeroFrom: Infinity,
  },
  // silu(x) = x·σ(x); silu' = σ(x) + x·σ(x)(1 − σ(x))
  silu: {
    name: "silu",
    value: (n, x) => timesX("silu", sigmoidOrder, n, x),
    source: `(n, x) => timesX("silu", sigmoidOrder, n, x)`,
    zeroFrom: Infinity,
  },
  // exp⁽ⁿ⁾ = exp
  exp: { name: "exp", value: (_n, x) => Math.exp(x), source: "(_n, x) => Math.exp(x)", zeroFrom: Infinity },
  // log' = 1/x; log'' = −1/x²; log''' = 2/x³
  log: {
    name: "log",
    value: (n, x) =>
      n === 0 ? Math.log(x) : n === 1 ? 1 / x : n === 2 ? -1 / (x * x) : n === 3 ? 2 / (x * x * x) : tooHigh("log", n),
    source: `(n, x) => (n === 0 ? Math.log(x) : n === 1 ? 1 / x : n === 2 ? -1 / (x * x) : n === 3 ? 2 / (x * x * x) : tooHigh("log", n))`,
    zeroFrom: Infinity,
  },
};
