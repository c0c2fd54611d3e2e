/**
 * Update rules: θ := θ − η ∂J/∂θ (SGD), with momentum, or Adam. An update reads the current
 * parameters and writes the next ones into a separate array, so the trainer can keep the last
 * finite parameters when an update is not finite. State lives in Float64Arrays and can be saved
 * and restored exactly. A frozen parameter is copied through unchanged, and its state entries
 * (momentum's v, Adam's m and v) are left as they are, so no rule and no saved state moves it.
 */
import { kindOf, oneOf, show } from "@chainrule/core";
import { allocate, UNCHECKED, wholeNumber } from "../check.js";
import { OptionError } from "../errors.js";

/** The update rules. */
export const OPTIMIZERS = ["sgd", "momentum", "adam"] as const;
/** An update rule's name. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** An update rule with its hyper-parameters. */
export type OptimizerSpec =
  | { readonly name: "sgd" }
  /** v := μ v − η g;  θ := θ + v. */
  | { readonly name: "momentum"; readonly momentum?: number }
  /** Adam (Kingma and Ba) with bias correction. */
  | { readonly name: "adam"; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number };

/** A saved optimizer: its spec and state arrays (plain numbers, for JSON). */
export interface OptimizerState {
  readonly name: OptimizerName;
  readonly settings: Readonly<Record<string, number>>;
  /** Steps taken. */
  readonly t: number;
  /** State vectors by name (momentum: v; adam: m, v), in parameter order. */
  readonly vectors: Readonly<Record<string, readonly number[]>>;
}

/** An update rule bound to a parameter count. */
export interface Optimizer {
  readonly name: OptimizerName;
  /**
   * Writes the updated parameters into `next` and returns their sum (NaN or ±Infinity exactly
   * when some updated parameter is not finite, barring overflow of the sum itself).
   */
  step(theta: Float64Array, grad: Float64Array, next: Float64Array, lr: number): number;
  /** The state, for saving. */
  state(): OptimizerState;
}

/** Checks an optimizer name. */
export function checkOptimizerName(name: string): OptimizerName {
  return oneOf(OPTIMIZERS, name, "optimizer");
}

function unit(name: string, v: number, lo: number, hi: number, open = true): number {
  if (!Number.isFinite(v) || v < lo || v > hi || (open && (v === lo || v === hi))) {
    throw new OptionError(
      `${name} must be a number in ${open ? "(" : "["}${lo}, ${hi}${open ? ")" : "]"}, got ${show(v)}.`,
      v,
    );
  }
  return v;
}

/** The hyper-parameters of each update rule, with their defaults. */
const DEFAULTS: { readonly [K in OptimizerName]: Readonly<Record<string, number>> } = {
  sgd: {},
  momentum: { momentum: 0.9 },
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
};

/**
 * Creates an update rule for n parameters, optionally resuming from a saved state. A resumed rule
 * continues with the saved hyper-parameters: a setting the spec leaves out is the saved one, and a
 * setting the spec gives must equal it (an OptionError otherwise — changing μ or β mid-run would
 * not continue the run). The saved state must be of the same rule.
 *
 * `frozen` (n entries, non-zero: frozen; e.g. a network's `frozenMask()`) marks parameters the
 * rule leaves as they are: `next[i] = theta[i]`, whatever the gradient and the state.
 */
export function createOptimizer(
  spec: OptimizerSpec | OptimizerName,
  n: number,
  saved?: OptimizerState,
  frozen: ArrayLike<number> | null = null,
): Optimizer {
  const rule = makeOptimizer(spec, n, saved, frozen);
  return {
    name: rule.name,
    // every array has the n entries the rule was made for: a shorter one would be read past its end
    step(theta, grad, next, lr) {
      if (
        !(theta instanceof Float64Array) ||
        !(grad instanceof Float64Array) ||
        !(next instanceof Float64Array) ||
        theta.length !== n ||
        grad.length !== n ||
        next.length !== n
      ) {
        throw new OptionError(
          `An update takes three Float64Arrays of ${n} entries (parameters, gradient, next parameters); got ${kindOf(theta)}, ${kindOf(grad)} and ${kindOf(next)}.`,
        );
      }
      if (typeof lr !== "number" || !Number.isFinite(lr))
        throw new OptionError(`The learning rate must be a finite number, got ${show(lr)}.`, lr);
      return rule.step(theta, grad, next, lr);
    },
    state: () => rule.state(),
    [UNCHECKED]: rule,
  } as Optimizer;
}

/**
 * The rule for resuming a run, in one place: a saved state continues only its own update rule,
 * with its own settings — a setting the spec gives must equal the saved one. An OptionError that
 * says what to leave out otherwise.
 */
function checkResumable(s: OptimizerSpec, saved: OptimizerState): void {
  if (typeof saved.name !== "string")
    throw new OptionError(
      `A saved optimizer state names its update rule (${OPTIMIZERS.join(", ")}); got ${show(saved.name)}.`,
      saved.name,
    );
  if (saved.name !== s.name) {
    throw new OptionError(
      `The saved run was trained with ${saved.name}, not ${s.name}: a resumed run keeps its update rule, so leave the optimizer out (or give ${saved.name}), or start a new run from the weights.`,
      saved.name,
    );
  }
  const given = s as unknown as Readonly<Record<string, number | undefined>>;
  for (const key of Object.keys(DEFAULTS[s.name])) {
    const mine = Object.hasOwn(given, key) ? given[key] : undefined;
    const kept = Object.hasOwn(saved.settings, key) ? saved.settings[key] : undefined;
    if (kept !== undefined && typeof kept !== "number")
      throw new OptionError(`The saved ${s.name} setting ${key} must be a number, got ${show(kept)}.`, kept);
    if (mine !== undefined && typeof mine !== "number")
      throw new OptionError(`The ${s.name} setting ${key} must be a number, got ${show(mine)}.`, mine);
    if (mine !== undefined && kept !== undefined && mine !== kept) {
      throw new OptionError(
        `The saved ${s.name} run has ${key} ${kept}; a resumed run keeps its optimizer's settings, so ${key} ${mine} cannot apply. Leave ${key} out to continue with ${kept}.`,
        mine,
      );
    }
  }
}

/**
 * The update rule a run uses: the one asked for, else a resumed run's saved rule, else sgd —
 * checked against the saved state as {@link createOptimizer} checks it ({@link checkResumable}),
 * without allocating anything, so a command can refuse a run before any work.
 */
export function resumedOptimizer(
  asked: OptimizerSpec | OptimizerName | undefined,
  saved?: OptimizerState,
): OptimizerSpec {
  if (asked !== undefined && typeof asked !== "string" && (typeof asked !== "object" || asked === null)) {
    throw new OptionError(
      `An optimizer is a name (${OPTIMIZERS.join(", ")}) or a spec like { name: "adam", beta1: 0.9 }; got ${kindOf(asked)} ${show(asked, 40)}.`,
      asked,
    );
  }
  if (
    saved !== undefined &&
    (typeof saved !== "object" || saved === null || typeof saved.settings !== "object" || saved.settings === null)
  ) {
    throw new OptionError(`A saved optimizer state is { name, settings, t, vectors }; got ${show(saved, 60)}.`, saved);
  }
  const name = typeof asked === "string" ? asked : (asked?.name ?? saved?.name ?? "sgd");
  const spec: OptimizerSpec = typeof asked === "object" ? asked : ({ name: checkOptimizerName(name) } as OptimizerSpec);
  checkOptimizerName(spec.name);
  if (saved !== undefined) checkResumable(spec, saved);
  return spec;
}

/** The update rule itself (arguments of its steps unchecked: {@link createOptimizer} checks them). */
function makeOptimizer(
  spec: OptimizerSpec | OptimizerName,
  n: number,
  saved: OptimizerState | undefined,
  frozen: ArrayLike<number> | null,
): Optimizer {
  if (typeof spec !== "string" && (typeof spec !== "object" || spec === null)) {
    throw new OptionError(
      `An optimizer is a name (${OPTIMIZERS.join(", ")}) or a spec like { name: "adam", beta1: 0.9 }; got ${kindOf(spec)} ${show(spec, 40)}.`,
      spec,
    );
  }
  const s: OptimizerSpec = typeof spec === "string" ? ({ name: checkOptimizerName(spec) } as OptimizerSpec) : spec;
  checkOptimizerName(s.name);
  wholeNumber("The parameter count", n, 0);
  if (saved !== undefined) {
    const ok =
      typeof saved === "object" &&
      saved !== null &&
      typeof saved.settings === "object" &&
      saved.settings !== null &&
      typeof saved.vectors === "object" &&
      saved.vectors !== null;
    if (!ok)
      throw new OptionError(
        `A saved optimizer state is { name, settings, t, vectors }; got ${show(saved, 60)}.`,
        saved,
      );
    if (saved.t !== undefined) wholeNumber("The saved step count t", saved.t, 0);
  }
  // fz[i] = 1: parameter i is frozen; null when none is (the loops then test nothing)
  let fz: Uint8Array | null = null;
  if (frozen !== null) {
    if (typeof frozen !== "object" || typeof frozen.length !== "number")
      throw new OptionError(`The frozen mask is a list of ${n} numbers, got ${kindOf(frozen)}.`, frozen);
    if (frozen.length !== n)
      throw new OptionError(
        `The frozen mask needs ${n} entries (one per parameter), got ${frozen.length}.`,
        frozen.length,
      );
    fz = Uint8Array.from(frozen, (f) => (f !== 0 ? 1 : 0));
    if (!fz.includes(1)) fz = null;
  }
  if (saved !== undefined) checkResumable(s, saved);
  const given = s as unknown as Readonly<Record<string, number | undefined>>;
  /** A hyper-parameter: the spec's, else the saved one (equal when both are given), else the default. */
  const setting = (key: string): number => {
    const mine = Object.hasOwn(given, key) ? given[key] : undefined;
    const kept = saved !== undefined && Object.hasOwn(saved.settings, key) ? saved.settings[key] : undefined;
    if (mine !== undefined && typeof mine !== "number")
      throw new OptionError(`The ${s.name} setting ${key} must be a number, got ${show(mine)}.`, mine);
    return mine ?? kept ?? DEFAULTS[s.name][key]!;
  };
  const vec = (key: string): Float64Array => {
    const v = allocate(n);
    const src: unknown = saved !== undefined && Object.hasOwn(saved.vectors, key) ? saved.vectors[key] : undefined;
    if (saved !== undefined) {
      const ok =
        (Array.isArray(src) || src instanceof Float64Array) &&
        src.length === n &&
        Array.prototype.every.call(src, (x: unknown) => typeof x === "number" && Number.isFinite(x));
      if (!ok) throw new OptionError(`The saved ${s.name} state needs a vector "${key}" of ${n} finite numbers.`, key);
      v.set(src as ArrayLike<number>);
    }
    return v;
  };
  const t0 = saved?.t ?? 0;
  switch (s.name) {
    case "sgd":
      return {
        name: "sgd",
        step(theta, grad, next, lr) {
          if (fz !== null) {
            // θ := θ − η g, frozen θ as it is
            let sum = 0;
            for (let i = 0; i < theta.length; i++) sum += next[i] = fz[i] === 1 ? theta[i]! : theta[i]! - lr * grad[i]!;
            return sum;
          }
          // θ := θ − η g  (four partial sums: no chain of dependent additions)
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          const n4 = theta.length - (theta.length % 4);
          let i = 0;
          for (; i < n4; i += 4) {
            s0 += next[i] = theta[i]! - lr * grad[i]!;
            s1 += next[i + 1] = theta[i + 1]! - lr * grad[i + 1]!;
            s2 += next[i + 2] = theta[i + 2]! - lr * grad[i + 2]!;
            s3 += next[i + 3] = theta[i + 3]! - lr * grad[i + 3]!;
          }
          for (; i < theta.length; i++) s0 += next[i] = theta[i]! - lr * grad[i]!;
          return s0 + s1 + s2 + s3;
        },
        state: () => ({ name: "sgd", settings: {}, t: 0, vectors: {} }),
      };
    case "momentum": {
      const mu = unit("momentum", setting("momentum"), 0, 1, false);
      const v = vec("v");
      return {
        name: "momentum",
        step(theta, grad, next, lr) {
          // v := μ v − η g;  θ := θ + v
          let sum = 0;
          for (let i = 0; i < theta.length; i++) {
            if (fz !== null && fz[i] === 1) {
              sum += next[i] = theta[i]!;
              continue;
            }
            const vi = mu * v[i]! - lr * grad[i]!;
            v[i] = vi;
            sum += next[i] = theta[i]! + vi;
          }
          return sum;
        },
        state: () => ({ name: "momentum", settings: { momentum: mu }, t: 0, vectors: { v: Array.from(v) } }),
      };
    }
    case "adam": {
      const b1 = unit("beta1", setting("beta1"), 0, 1, false);
      const b2 = unit("beta2", setting("beta2"), 0, 1, false);
      if (b1 === 1 || b2 === 1) throw new OptionError("Adam's beta1 and beta2 must be below 1.");
      const eps = setting("epsilon");
      if (!Number.isFinite(eps) || eps <= 0)
        throw new OptionError(`Adam's epsilon must be a number > 0, got ${show(eps)}.`, eps);
      const m = vec("m");
      const v = vec("v");
      let t = t0;
      return {
        name: "adam",
        step(theta, grad, next, lr) {
          // m := β₁m + (1−β₁)g;  v := β₂v + (1−β₂)g²;  θ := θ − η m̂ / (√v̂ + ε)
          t++;
          const c1 = 1 / (1 - b1 ** t);
          const c2 = 1 / (1 - b2 ** t);
          let sum = 0;
          for (let i = 0; i < theta.length; i++) {
            if (fz !== null && fz[i] === 1) {
              sum += next[i] = theta[i]!;
              continue;
            }
            const g = grad[i]!;
            const mi = b1 * m[i]! + (1 - b1) * g;
            const vi = b2 * v[i]! + (1 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            sum += next[i] = theta[i]! - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
          }
          return sum;
        },
        state: () => ({
          name: "adam",
          settings: { beta1: b1, beta2: b2, epsilon: eps },
          t,
          vectors: { m: Array.from(m), v: Array.from(v) },
        }),
      };
    }
  }
}
