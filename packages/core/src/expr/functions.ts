/**
 * Scalar functions that expressions can apply, with their derivatives of every order that is
 * used. `Apply(fn, n, x)` means f⁽ⁿ⁾(x), so d/dx f⁽ⁿ⁾(x) = f⁽ⁿ⁺¹⁾(x): differentiating an
 * application never needs a rule other than "raise the order".
 */
import { ArgumentError } from "../errors.js";
import { kindOf, show } from "../messages.js";

/** Names of the scalar functions an expression can apply. */
export type FnName = "sigmoid" | "tanh" | "relu" | "leaky-relu" | "softplus" | "exp" | "log";

/** Slope of leaky-relu for negative inputs. */
export const LEAKY_SLOPE = 0.01;

/** One scalar function: its value and derivatives, side by side. */
export interface FnRecord {
  readonly name: FnName;
  /** f⁽ⁿ⁾(x); throws for an order this function does not provide. */
  readonly value: (order: number, x: number) => number;
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
  throw new ArgumentError("invalid-argument", `No derivative of order ${order} is defined for ${name}; orders 0-3 are.`, order);
}

// σ' = σ(1−σ); σ'' = σ(1−σ)(1−2σ); σ''' = σ(1−σ)(1−6σ+6σ²)
function sigmoidOrder(order: number, x: number): number {
  const s = sigmoid(x);
  switch (order) {
    case 0: return s;
    case 1: return s * (1 - s);
    case 2: return s * (1 - s) * (1 - 2 * s);
    case 3: return s * (1 - s) * (1 - 6 * s + 6 * s * s);
    default: return tooHigh("sigmoid", order);
  }
}

// tanh' = 1−t²; tanh'' = −2t(1−t²); tanh''' = −2(1−t²)(1−3t²)
function tanhOrder(order: number, x: number): number {
  const t = Math.tanh(x);
  switch (order) {
    case 0: return t;
    case 1: return 1 - t * t;
    case 2: return -2 * t * (1 - t * t);
    case 3: return -2 * (1 - t * t) * (1 - 3 * t * t);
    default: return tooHigh("tanh", order);
  }
}

/** The function table: one record per function. */
export const FUNCTIONS: { readonly [K in FnName]: FnRecord } = {
  sigmoid: { name: "sigmoid", value: sigmoidOrder, zeroFrom: Infinity },
  tanh: { name: "tanh", value: tanhOrder, zeroFrom: Infinity },
  // relu' is the step function, with the subgradient 0 chosen at x = 0.
  relu: { name: "relu", value: (n, x) => (n === 0 ? Math.max(0, x) : n === 1 ? (x > 0 ? 1 : 0) : 0), zeroFrom: 2 },
  // leaky-relu' = 1 for x > 0, LEAKY_SLOPE otherwise (also at 0).
  "leaky-relu": {
    name: "leaky-relu",
    value: (n, x) => (n === 0 ? (x > 0 ? x : LEAKY_SLOPE * x) : n === 1 ? (x > 0 ? 1 : LEAKY_SLOPE) : 0),
    zeroFrom: 2,
  },
  // softplus' = σ; softplus⁽ⁿ⁾ = σ⁽ⁿ⁻¹⁾
  softplus: { name: "softplus", value: (n, x) => (n === 0 ? softplus(x) : sigmoidOrder(n - 1, x)), zeroFrom: Infinity },
  // exp⁽ⁿ⁾ = exp
  exp: { name: "exp", value: (_n, x) => Math.exp(x), zeroFrom: Infinity },
  // log' = 1/x; log'' = −1/x²; log''' = 2/x³
  log: {
    name: "log",
    value: (n, x) => (n === 0 ? Math.log(x) : n === 1 ? 1 / x : n === 2 ? -1 / (x * x) : n === 3 ? 2 / (x * x * x) : tooHigh("log", n)),
    zeroFrom: Infinity,
  },
};
