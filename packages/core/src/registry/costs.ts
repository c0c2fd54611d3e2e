/**
 * The cost registry: one record per cost with its per-example value (the textbook form the post
 * prints), a numerically stable form of the same value (for evaluation), ∂J/∂a, and the fused
 * output δ that the matching output activation collapses to. All per example: J is the sum of the
 * per-example value over the m examples of a batch (the 1/m is inside).
 */
import { ArgumentError, GraphError, lookup, unknownName } from "../errors.js";
import { add, apply, div, type Expr, mul, num, ONE, pow, type Sym, sub, sym } from "../expr/expr.js";
import { show } from "../messages.js";
import { ACTIVATIONS, type ActivationName, isActivation } from "./activations.js";

/** Names accepted for costs (also the CLI's names). */
export const COSTS = ["mse", "cross-entropy", "binary-cross-entropy"] as const;
/** A cost name. */
export type CostName = (typeof COSTS)[number];

/** One output of the network as the cost sees it. */
export interface CostOutput {
  /** The output activation a_j. */
  readonly a: Sym;
  /** Its target y_j. */
  readonly y: Sym;
  /** The output's weighted sum z_j (for stable forms). */
  readonly z: Sym;
  /** log-sum-exp of the softmax group the output belongs to, when it belongs to one. */
  readonly lse: Sym | null;
  /** Σᵢ yᵢ over the targets of that softmax group (per example), when it belongs to one. */
  readonly ysum: Sym | null;
}

/** One cost: value, stable value, ∂J/∂a and the fused δ. */
export interface CostRecord {
  readonly name: CostName;
  /** The output activation this cost is defined over, if it requires one. */
  readonly requires: ActivationName | null;
  /** J for one example, as the post writes it (1/m included). */
  readonly value: (outs: readonly CostOutput[]) => Expr;
  /** The same value in a form that stays finite for large |z|. */
  readonly stable: (outs: readonly CostOutput[]) => Expr;
  /** ∂J/∂a_j for one output, per example. */
  readonly dJda: (o: CostOutput) => Expr;
  /** When the output activation is `fusedWith`, δ_j = ∂J/∂z_j collapses to this. */
  readonly fusedWith: ActivationName | null;
  readonly fusedDelta: (o: CostOutput) => Expr;
  /**
   * The fused δ when every example's targets sum to 1 (one-hot labels, probability rows), for
   * costs whose fused δ needs that assumption to take the textbook form (1/m)(a − y); else null.
   */
  readonly normalisedDelta: ((o: CostOutput) => Expr) | null;
}

/** The symbol m: number of examples in the batch. */
export const M = sym({ kind: "m" });
/** The symbol λ: L2 strength. */
export const LAMBDA = sym({ kind: "lambda" });
const invM = pow(M, -1);

// δ_j = (1/m)(a_j − y_j)
const aMinusYOverM = (o: CostOutput): Expr => mul(invM, sub(o.a, o.y));

/** The cost table. */
export const COST_TABLE: { readonly [K in CostName]: CostRecord } = {
  // J = 1/(2m) Σ (y − a)²;  ∂J/∂a = (1/m)(a − y)
  mse: {
    name: "mse",
    requires: null,
    value: (outs) => mul(num(0.5), invM, add(...outs.map((o) => pow(sub(o.y, o.a), 2)))),
    stable: (outs) => mul(num(0.5), invM, add(...outs.map((o) => pow(sub(o.y, o.a), 2)))),
    dJda: aMinusYOverM,
    fusedWith: "identity",
    fusedDelta: aMinusYOverM,
    normalisedDelta: null,
  },
  // J = −(1/m) Σ y log a;  ∂J/∂a = −(1/m) y / a;
  // with softmax: δ_j = Σᵢ (∂J/∂a_i) a_i(δ_ij − a_j) = (1/m)(a_j Σᵢ yᵢ − y_j), which is (1/m)(a_j − y_j)
  // only when the targets of the example sum to 1

  "cross-entropy": {
    name: "cross-entropy",
    requires: "softmax",
    value: (outs) => mul(num(-1), invM, add(...outs.map((o) => mul(o.y, apply("log", o.a))))),
    // log a_j = z_j − lse(z)
    stable: (outs) => mul(num(-1), invM, add(...outs.map((o) => mul(o.y, sub(o.z, o.lse ?? num(0)))))),
    dJda: (o) => mul(num(-1), invM, div(o.y, o.a)),
    fusedWith: "softmax",
    fusedDelta: (o) => (o.ysum === null ? aMinusYOverM(o) : mul(invM, sub(mul(o.a, o.ysum), o.y))),
    // Σᵢ yᵢ = 1: δ_j = (1/m)(a_j − y_j)
    normalisedDelta: aMinusYOverM,
  },
  // J = (1/m) Σ [−y log a − (1 − y) log(1 − a)];  ∂J/∂a = (1/m)(a − y)/(a(1 − a));  with sigmoid: δ = (1/m)(a − y)
  "binary-cross-entropy": {
    name: "binary-cross-entropy",
    requires: "sigmoid",
    value: (outs) =>
      mul(
        invM,
        add(
          ...outs.map((o) =>
            sub(mul(num(-1), o.y, apply("log", o.a)), mul(sub(ONE, o.y), apply("log", sub(ONE, o.a)))),
          ),
        ),
      ),
    // −y log σ(z) − (1 − y) log(1 − σ(z)) = softplus(z) − y z
    stable: (outs) => mul(invM, add(...outs.map((o) => sub(apply("softplus", o.z), mul(o.y, o.z))))),
    dJda: (o) => mul(invM, sub(o.a, o.y), pow(mul(o.a, sub(ONE, o.a)), -1)),
    fusedWith: "sigmoid",
    fusedDelta: aMinusYOverM,
    normalisedDelta: null,
  },
};

/**
 * Every output activation and cost that go together: a cost that requires an output activation
 * with that one, any other cost with every activation (softmax under mse has no matrix form, but
 * is a network core builds).
 */
export const OUTPUT_PAIRS: readonly { readonly act: ActivationName; readonly cost: CostName }[] = COSTS.flatMap((c) => {
  const needs = COST_TABLE[c].requires;
  return (needs === null ? ACTIVATIONS : [needs]).map((act) => ({ act, cost: c }));
});

/** Checks a cost name, with a helpful error for an unknown one. */
export function cost(name: string): CostRecord {
  return lookup(COST_TABLE, name, "cost");
}

/** True when `name` is a known cost. */
export function isCost(name: unknown): name is CostName {
  return typeof name === "string" && Object.hasOwn(COST_TABLE, name);
}

/**
 * The output rule of a cost: a cost defined over one output activation (cross-entropy over
 * softmax, binary cross-entropy over sigmoid) refuses an output of any other, with a GraphError;
 * `where` names the output in the message ("the output layer (layer 3)", a node id).
 */
export function checkOutputActivation(
  costName: CostName,
  activation: ActivationName,
  where: string,
  value: unknown = activation,
): void {
  const needs = cost(costName).requires;
  if (!isActivation(activation)) throw unknownName("activation", activation, ACTIVATIONS);
  if (typeof where !== "string")
    throw new ArgumentError("invalid-argument", `The output is named by text; got ${show(where)}.`, where);
  if (needs !== null && activation !== needs) {
    throw new GraphError(
      "invalid-graph",
      `${costName} needs ${needs} outputs, but ${where} is ${activation}; use ${needs} on the output layer or another cost.`,
      value,
    );
  }
}
