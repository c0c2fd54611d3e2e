/**
 * Gradient checking: the derived gradient against central finite differences of J, with a step
 * chosen per parameter, reporting the relative error of each parameter and overall.
 */
import type { Graph } from "../graph/types.js";
import { parameterIds, type Batch, type ParamValues } from "./data.js";
import { costValue, gradientValues, type GradientForm } from "./evaluate.js";

/** One parameter's comparison. */
export interface ParamCheck {
  readonly param: string;
  /** The derived ∂J/∂θ. */
  readonly derived: number;
  /** (J(θ + h) − J(θ − h)) / 2h. */
  readonly numeric: number;
  /** The step h used for this parameter. */
  readonly step: number;
  /** |g − n| / max(|g| + |n|, floor): 0 when both are (near) zero. */
  readonly relError: number;
}

/** The result of a gradient check. */
export interface GradCheck {
  readonly parameters: readonly ParamCheck[];
  /** The worst per-parameter relative error. */
  readonly maxRelError: number;
  /** The parameter with the worst error. */
  readonly worst: string | null;
  /** ‖g − n‖ / ‖g + n‖ over all parameters (0 when both vanish). */
  readonly normRelError: number;
}

/** Options of {@link gradCheck}. */
export interface GradCheckOptions {
  /** Which derived form to check (default δ). */
  readonly form?: GradientForm;
  /** Base step; each parameter uses base · max(1, |θ|) (default ∛ε ≈ 6e-6, optimal for central differences). */
  readonly step?: number;
  /** Denominator floor for relative errors (default 1e-10). */
  readonly floor?: number;
}

/** Compares the derived gradient with central differences of J at θ. */
export function gradCheck(graph: Graph, theta: ParamValues, data: Batch, options: GradCheckOptions = {}): GradCheck {
  return compareWithDifferences(graph, theta, data, gradientValues(graph, theta, data, options.form ?? "delta"), options);
}

/** Compares any gradient vector (e.g. one computed elsewhere) with central differences of J at θ. */
export function compareWithDifferences(graph: Graph, theta: ParamValues, data: Batch, g: ArrayLike<number>, options: GradCheckOptions = {}): GradCheck {
  const base = options.step ?? Math.cbrt(Number.EPSILON);
  const floor = options.floor ?? 1e-10;
  const ids = parameterIds(graph);
  const t = Float64Array.from(theta);
  const parameters: ParamCheck[] = [];
  let diff2 = 0;
  let sum2 = 0;
  for (let i = 0; i < ids.length; i++) {
    const orig = t[i]!;
    // Step scaled to the parameter; (θ + h) − θ made exact so the quotient uses the real step.
    const h0 = base * Math.max(1, Math.abs(orig));
    const hi = orig + h0;
    const lo = orig - h0;
    t[i] = hi;
    const jp = costValue(graph, t, data);
    t[i] = lo;
    const jm = costValue(graph, t, data);
    t[i] = orig;
    const numeric = (jp - jm) / (hi - lo);
    const derived = g[i]!;
    const denom = Math.abs(derived) + Math.abs(numeric);
    const relError = denom < floor ? 0 : Math.abs(derived - numeric) / denom;
    parameters.push({ param: ids[i]!, derived, numeric, step: h0, relError });
    diff2 += (derived - numeric) ** 2;
    sum2 += (derived + numeric) ** 2;
  }
  let worst: ParamCheck | null = null;
  for (const p of parameters) if (worst === null || !(p.relError <= worst.relError)) worst = p;
  return {
    parameters,
    maxRelError: worst?.relError ?? 0,
    worst: worst?.param ?? null,
    normRelError: sum2 === 0 ? 0 : Math.sqrt(diff2) / Math.sqrt(sum2),
  };
}
