/**
 * The activation registry: one record per activation with its forward value and its local
 * derivative ∂a/∂z, both as expressions, side by side. Adding an activation touches this file, its
 * scalar function's record in expr/functions.ts (value, derivatives and their JavaScript source)
 * and its LaTeX rows in viz's latex/symbols.ts; everything else reads these tables.
 */
import { lookup } from "../errors.js";
import { apply, type Expr, mul, num, ONE, pow, type Sym, sub } from "../expr/expr.js";

/** Names accepted for activations (also the CLI's names). */
export const ACTIVATIONS = [
  "sigmoid",
  "tanh",
  "relu",
  "leaky-relu",
  "softplus",
  "gelu",
  "silu",
  "identity",
  "softmax",
] as const;
/** An activation name. */
export type ActivationName = (typeof ACTIVATIONS)[number];
/** The activations applied neuron by neuron (every one but softmax, which acts on a group): any layer may use them. */
export const ELEMENTWISE_ACTIVATIONS: readonly Exclude<ActivationName, "softmax">[] = ACTIVATIONS.filter(
  (a): a is Exclude<ActivationName, "softmax"> => a !== "softmax",
);

/** One activation: a = f(z) and ∂a/∂z. */
export interface ActivationRecord {
  readonly name: ActivationName;
  /** The forward value f(z) as an expression. Softmax is a group operation: see the evaluator. */
  readonly value: (z: Expr) => Expr;
  /**
   * ∂a/∂z as an expression, written the way the post writes it: in terms of the activation a
   * where that is the usual form (sigmoid: a(1 − a)), otherwise f′(z). Softmax uses
   * {@link softmaxPartial} instead.
   */
  readonly derivative: (z: Sym, a: Sym) => Expr;
  /** True when the local derivative is written in a (so it reuses the forward value). */
  readonly derivativeInA: boolean;
  /**
   * The weight scale that keeps a signal's variance through a layer of this activation, used by
   * default initialisation: "he" (σ² = 2/fan-in) for the ReLU family, which zeroes or damps half of
   * its inputs, "glorot" (variance 2/(fan-in + fan-out)) for activations linear near 0.
   */
  readonly init: "glorot" | "he";
  /** True when the derivative jumps at z = 0 (relu, leaky-relu), where central differences cannot check it. */
  readonly kinked: boolean;
}

/** An activation that is its scalar function: a = f(z), ∂a/∂z = f′(z). */
function elementwise(name: "relu" | "leaky-relu" | "softplus" | "gelu" | "silu", kinked = false): ActivationRecord {
  return {
    name,
    value: (z) => apply(name, z),
    derivative: (z) => apply(name, z, 1),
    derivativeInA: false,
    init: "he",
    kinked,
  };
}

/** The activation table. */
export const ACTIVATION_TABLE: { readonly [K in ActivationName]: ActivationRecord } = {
  // σ′(z) = a(1 − a)
  sigmoid: {
    name: "sigmoid",
    value: (z) => apply("sigmoid", z),
    derivative: (_z, a) => mul(a, sub(ONE, a)),
    derivativeInA: true,
    init: "glorot",
    kinked: false,
  },
  // tanh′(z) = 1 − a²
  tanh: {
    name: "tanh",
    value: (z) => apply("tanh", z),
    derivative: (_z, a) => sub(ONE, pow(a, 2)),
    derivativeInA: true,
    init: "glorot",
    kinked: false,
  },
  // relu′(z) = 1 if z > 0 else 0 (subgradient 0 at z = 0)
  relu: elementwise("relu", true),
  // leaky-relu′(z) = 1 if z > 0 else 0.01
  "leaky-relu": elementwise("leaky-relu", true),
  // softplus′(z) = σ(z)
  softplus: elementwise("softplus"),
  // gelu′(z) = Φ(z) + z·φ(z)
  gelu: elementwise("gelu"),
  // silu′(z) = σ(z) + z·σ(z)(1 − σ(z))
  silu: elementwise("silu"),
  // identity′(z) = 1
  identity: {
    name: "identity",
    value: (z) => z,
    derivative: () => ONE,
    derivativeInA: false,
    init: "glorot",
    kinked: false,
  },
  // ∂a_i/∂z_j = a_i(δ_ij − a_j): see softmaxPartial
  softmax: {
    name: "softmax",
    value: (z) => z,
    derivative: (_z, a) => mul(a, sub(ONE, a)),
    derivativeInA: true,
    init: "glorot",
    kinked: false,
  },
};

/** ∂a_i/∂z_j for a softmax group: a_i(1 − a_i) when i = j, −a_i a_j otherwise. */
export function softmaxPartial(ai: Sym, aj: Sym, same: boolean): Expr {
  return same ? mul(ai, sub(ONE, ai)) : mul(num(-1), ai, aj);
}

/** Checks an activation name, with a helpful error for an unknown one. */
export function activation(name: string): ActivationRecord {
  return lookup(ACTIVATION_TABLE, name, "activation");
}

/** True when `name` is a known activation. */
export function isActivation(name: unknown): name is ActivationName {
  return typeof name === "string" && Object.hasOwn(ACTIVATION_TABLE, name);
}
