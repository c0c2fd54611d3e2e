/**
 * Gradient checking: the derived gradient g against finite differences ĝ of J, entry by entry,
 * with the criterion numpy's allclose and torch.autograd.gradcheck use,
 *
 *   |g − ĝ| ≤ atol + rtol · |ĝ|,
 *
 * so that an entry near zero is judged by the absolute noise of the differences, not by a
 * relative error that noise alone can make large. ĝ is a Richardson extrapolation of central
 * differences with the step chosen per entry; on large networks a seeded sample of entries is
 * checked.
 */
import { ArgumentError, TooLargeError } from "../errors.js";
import type { Graph, ParamNode } from "../graph/types.js";
import { kindOf, show } from "../messages.js";
import { compile } from "./compile.js";
import { type Batch, checkShapes, type ParamValues, parameterIds } from "./data.js";
import { type GradientForm, gradientValues } from "./evaluate.js";
import { checkSampleSeed, type ParameterGroups, sampleParameters } from "./param-sample.js";

/** The rule every checked entry must meet, with the numbers it was applied with. */
export interface GradCheckCriterion {
  /** The rule, as text: `|g − ĝ| ≤ atol + rtol·|ĝ|` (g derived, ĝ numeric). */
  readonly rule: string;
  readonly rtol: number;
  readonly atol: number;
  /**
   * Where atol came from: "given" in the options; "scale": {@link GRADCHECK_NOISE_MULTIPLE} ×
   * ε^(2/3) × `scale`; "spread": {@link GRADCHECK_SPREAD_MULTIPLE} × `spread`, at most
   * {@link GRADCHECK_SPREAD_CAP} × `scale` (whichever is larger).
   */
  readonly atolSource: "given" | "scale" | "spread";
  /** max(|J|, max |ĝ|) over the checked entries: the size float64 noise is relative to. */
  readonly scale: number;
  /** The median over the checked entries of |D(h) − D(2h)|: the noise the differences show. */
  readonly spread: number;
}

/** One parameter's comparison. */
export interface ParamCheck {
  readonly param: string;
  /** Position in the parameter vector. */
  readonly index: number;
  /** The derived ∂J/∂θ, g. */
  readonly derived: number;
  /** The finite-difference estimate ĝ = (4·D(h) − D(2h)) / 3, D(h) = (J(θ + h) − J(θ − h)) / 2h. */
  readonly numeric: number;
  /** The step h used for this parameter: ∛ε · max(1, |θ|) by default. */
  readonly step: number;
  /** |D(h) − D(2h)|: how much the two difference quotients disagree (large where J is not smooth, e.g. a relu kink). */
  readonly spread: number;
  /** |g − ĝ|. */
  readonly error: number;
  /** atol + rtol · |ĝ|: the largest error this entry may have. */
  readonly allowed: number;
  /** error / allowed (≤ 1 passes; Infinity for a non-finite error). */
  readonly ratio: number;
  readonly passed: boolean;
  /** |g − ĝ| / (|g| + |ĝ|), 0 when both are below the floor: informational, not the pass rule. */
  readonly relError: number;
}

/** The result of a gradient check. */
export interface GradCheck {
  /** Every checked entry, in parameter order. */
  readonly parameters: readonly ParamCheck[];
  /** True when every checked entry meets the criterion. */
  readonly passed: boolean;
  readonly criterion: GradCheckCriterion;
  /** The entry with the largest error / allowed ratio (the one closest to failing, or failing worst). */
  readonly worstEntry: ParamCheck | null;
  /** The worst entry's parameter name. */
  readonly worst: string | null;
  /** How many entries were checked, and of how many parameters. */
  readonly checked: number;
  readonly total: number;
  /** The sample size and seed when a sample was checked; null when every entry was. */
  readonly sample: { readonly size: number; readonly seed: number } | null;
  /** J at θ. */
  readonly cost: number;
  /** The largest |g − ĝ|. */
  readonly maxError: number;
  /** The largest per-entry relative error |g − ĝ| / (|g| + |ĝ|) (informational). */
  readonly maxRelError: number;
  /** ‖g − ĝ‖ / ‖g + ĝ‖ over the checked entries (0 when both vanish). */
  readonly normRelError: number;
}

/** Options of {@link checkGradient}, {@link compareWithDifferences} and {@link gradCheck}. */
export interface CheckOptions {
  /** Relative tolerance (default {@link GRADCHECK_RTOL}). */
  readonly rtol?: number;
  /**
   * Absolute tolerance (default: the noise floor of the differences, the larger of
   * {@link GRADCHECK_NOISE_MULTIPLE} × ε^(2/3) × max(|J|, max |ĝ|) and
   * {@link GRADCHECK_SPREAD_MULTIPLE} × the median |D(h) − D(2h)|, capped at
   * {@link GRADCHECK_SPREAD_CAP} × that scale).
   */
  readonly atol?: number;
  /** Check this many entries, a seeded sample stratified by parameter group (default: every entry). */
  readonly sample?: number;
  /** Seed of the sample (default 0). */
  readonly seed?: number;
  /** Base step; each parameter uses base · max(1, |θ|) and twice that (default ∛ε ≈ 6.1e-6, optimal for central differences). */
  readonly step?: number;
  /** Denominator floor of `relError` (default 1e-10). */
  readonly floor?: number;
  /** Called after each checked entry with the count done and the count to do. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Options of {@link gradCheck}. */
export interface GradCheckOptions extends CheckOptions {
  /** Which derived form to check (default δ). */
  readonly form?: GradientForm;
}

/** What {@link checkGradient} compares: J as a function of θ and the gradient to test at θ. */
export interface GradientProblem {
  /** J at the given parameters. It may be called with a scratch copy of θ; it must not keep it. */
  readonly cost: (theta: Float64Array) => number;
  readonly theta: ArrayLike<number>;
  /** The gradient under test, in parameter order. */
  readonly gradient: ArrayLike<number>;
  /** Parameter names for the report (default "#i"): a list, or a function of the position (asked only for checked entries). */
  readonly names?: readonly string[] | ((i: number) => string);
  /** Each parameter's group, for a stratified sample (default: one group): a list, or a function of the position. */
  readonly groups?: ParameterGroups;
}

/**
 * Default relative tolerance: far above the differences' noise, far below any real mistake.
 * torch.autograd.gradcheck takes rtol 1e-3 beside a fixed atol 1e-5 and a fixed step; with a step
 * per entry, extrapolation and an atol at the measured noise floor, a large ĝ is good to about
 * 1e-10 relative, so a much tighter rtol is safe.
 */
export const GRADCHECK_RTOL = 1e-6;

/**
 * The default atol is at least this many times ε^(2/3) · max(|J|, max |ĝ|).
 *
 * Why: with h = ∛ε · max(1, |θ|), the truncation error of the extrapolated difference is O(h⁴),
 * about ε^(4/3) and negligible, which leaves rounding: J carries an error of a few ε·|J|, so each
 * quotient D is off by about ε·|J| / h ≤ ε^(2/3)·|J| (ε^(2/3) ≈ 3.7e-11). On random layered
 * networks (up to 5 layers of 30, weights up to ±6, 100 examples, every activation and cost)
 * |g − ĝ| stayed below 6 · ε^(2/3) · max(|J|, max |ĝ|); 100 leaves a wide margin and still resolves
 * a 1e-3 relative mistake in any entry larger than about 4e-6 of that scale.
 */
export const GRADCHECK_NOISE_MULTIPLE = 100;

/**
 * The default atol is at least this many times the median |D(h) − D(2h)| over the checked entries.
 *
 * Why: J's rounding is not always relative to |J|. A confident softmax has J near 0 while
 * log Σ exp z rounds relative to |z|, so the differences are noisier than ε^(2/3)·|J| says. The two
 * quotients carry independent rounding, so their disagreement measures that noise directly (it
 * does not depend on the gradient under test). On networks trained to a small J (softmax with
 * cross-entropy on xor, moons and iris) the largest |g − ĝ| was up to 9 times the median spread;
 * 50 leaves a margin. The median ignores the few entries where J is not smooth (a relu kink
 * makes one entry's spread large) and entries J does not depend on (spread exactly 0).
 */
export const GRADCHECK_SPREAD_MULTIPLE = 50;

/**
 * The spread's part of the default atol is at most this fraction of max(|J|, max |ĝ|).
 *
 * Why: rounding noise that large would leave the differences unable to check anything; quotients
 * that far apart mean J is not smooth there (a kink between the steps), and such an entry must
 * fail with its spread on show rather than loosen the check of every entry. On the trained
 * networks above the spread's part needed at most 6e-5 of that scale.
 */
export const GRADCHECK_SPREAD_CAP = 1e-4;

/** Above this many parameters {@link gradCheck} evaluates the δ form with the interpreter instead of compiling it. */
const COMPILE_GRADIENT_LIMIT = 20_000;

/**
 * Checks a gradient against finite differences of any J(θ): for each checked entry i, with
 * h = step · max(1, |θᵢ|), D(h) = (J(θ + h eᵢ) − J(θ − h eᵢ)) / 2h and ĝᵢ = (4·D(h) − D(2h)) / 3
 * (four evaluations of J), then |gᵢ − ĝᵢ| ≤ atol + rtol · |ĝᵢ|.
 */
export function checkGradient(problem: GradientProblem, options: CheckOptions = {}): GradCheck {
  checkProblem(problem);
  checkOptions(options, "checkGradient");
  const n = problem.theta.length;
  if (problem.gradient.length !== n) {
    throw new ArgumentError(
      "invalid-value",
      `The gradient has ${problem.gradient.length} entries; θ has ${n}.`,
      problem.gradient.length,
    );
  }
  const rtol = tolerance(options.rtol, "rtol") ?? GRADCHECK_RTOL;
  const givenAtol = tolerance(options.atol, "atol");
  const base = options.step ?? Math.cbrt(Number.EPSILON);
  if (typeof base !== "number" || !(base > 0 && Number.isFinite(base)))
    throw new ArgumentError("invalid-argument", `The step must be a finite number > 0; got ${show(base)}.`, base);
  const floor = options.floor ?? 1e-10;
  const seed = checkSampleSeed(options.seed ?? 0);
  const picked = sampleParameters(n, options.sample, seed, problem.groups);
  let t: Float64Array;
  try {
    t = Float64Array.from(problem.theta);
  } catch (e) {
    if (e instanceof RangeError)
      throw new TooLargeError("too-large", `There is no memory for a copy of θ's ${n} numbers.`, n);
    throw e;
  }
  const cost = problem.cost(t);
  if (typeof cost !== "number")
    throw new ArgumentError(
      "invalid-value",
      `The cost function returned ${kindOf(cost)} ${show(cost, 40)}; it returns J, a number.`,
      cost,
    );

  // (J(θ + h) − J(θ − h)) / ((θ + h) − (θ − h)): the quotient uses the step actually taken
  const quotient = (i: number, h: number): number => {
    const orig = t[i]!;
    const hi = orig + h;
    const lo = orig - h;
    t[i] = hi;
    const jp = problem.cost(t);
    t[i] = lo;
    const jm = problem.cost(t);
    t[i] = orig;
    return (jp - jm) / (hi - lo);
  };
  const raw: { i: number; numeric: number; step: number; spread: number }[] = [];
  let scale = Math.abs(cost);
  for (const i of picked) {
    const step = base * Math.max(1, Math.abs(t[i]!));
    const d1 = quotient(i, step);
    const d2 = quotient(i, 2 * step);
    // Richardson: D(h) = g + c·h² + O(h⁴), so (4·D(h) − D(2h)) / 3 = g + O(h⁴)
    const numeric = (4 * d1 - d2) / 3;
    raw.push({ i, numeric, step, spread: Math.abs(d1 - d2) });
    if (Number.isFinite(numeric)) scale = Math.max(scale, Math.abs(numeric));
    options.onProgress?.(raw.length, picked.length);
  }
  if (!Number.isFinite(scale)) scale = 0;
  // exact zeros are entries J does not depend on at all (a dead relu unit): no measure of noise
  const spread = median(raw.map((r) => r.spread).filter((v) => v > 0 && Number.isFinite(v)));
  const fromScale = GRADCHECK_NOISE_MULTIPLE * Math.cbrt(Number.EPSILON) ** 2 * scale;
  const fromSpread = Math.min(GRADCHECK_SPREAD_MULTIPLE * spread, GRADCHECK_SPREAD_CAP * scale);
  // at least the smallest normal double: where J and every difference are 0, a derived −5e-324 is rounding, not an error
  const atol = givenAtol ?? Math.max(fromScale, fromSpread, SMALLEST_NORMAL);
  const atolSource = givenAtol !== undefined ? "given" : fromSpread > fromScale ? "spread" : "scale";

  const names = problem.names;
  const label = (i: number): string => (typeof names === "function" ? String(names(i)) : (names?.[i] ?? `#${i}`));
  const parameters: ParamCheck[] = [];
  let diff2 = 0;
  let sum2 = 0;
  let maxError = 0;
  let maxRelError = 0;
  let worst: ParamCheck | null = null;
  for (const { i, numeric, step, spread } of raw) {
    const derived = problem.gradient[i]!;
    const error = Math.abs(derived - numeric);
    const allowed = atol + rtol * Math.abs(numeric);
    const passed = error <= allowed;
    const ratio =
      Number.isNaN(error) || error === Infinity ? Infinity : allowed > 0 ? error / allowed : error === 0 ? 0 : Infinity;
    const denom = Math.abs(derived) + Math.abs(numeric);
    const relError = denom < floor ? 0 : error / denom;
    const p: ParamCheck = {
      param: label(i),
      index: i,
      derived,
      numeric,
      step,
      spread,
      error,
      allowed,
      ratio,
      passed,
      relError,
    };
    parameters.push(p);
    if (worst === null || ratio > worst.ratio) worst = p;
    maxError = Math.max(maxError, Number.isNaN(error) ? Infinity : error);
    maxRelError = Math.max(maxRelError, Number.isNaN(relError) ? Infinity : relError);
    diff2 += (derived - numeric) ** 2;
    sum2 += (derived + numeric) ** 2;
  }
  return {
    parameters,
    passed: parameters.every((p) => p.passed),
    criterion: { rule: "|g − ĝ| ≤ atol + rtol·|ĝ|", rtol, atol, atolSource, scale, spread },
    worstEntry: worst,
    worst: worst?.param ?? null,
    checked: parameters.length,
    total: n,
    sample: picked.length < n ? { size: picked.length, seed } : null,
    cost,
    maxError,
    maxRelError,
    normRelError: sum2 === 0 ? 0 : Math.sqrt(diff2) / Math.sqrt(sum2),
  };
}

/**
 * Compares the derived gradient of a graph (the chosen form, δ by default) with finite
 * differences of J at θ; see {@link checkGradient}. J comes from compiled code. For a large
 * layered network pass `sample`, or give {@link checkGradient} nn's engine for J and ∂J/∂θ.
 */
export function gradCheck(graph: Graph, theta: ParamValues, data: Batch, options: GradCheckOptions = {}): GradCheck {
  checkShapes(graph, theta, data);
  checkOptions(options, "gradCheck");
  const form = options.form ?? "delta";
  let g: Float64Array;
  if (form === "delta" && theta.length <= COMPILE_GRADIENT_LIMIT) {
    // the δ table compiled to straight-line code: the same numbers as the interpreter, faster
    g = new Float64Array(theta.length);
    compile(graph).run(theta, data, g, false);
  } else g = gradientValues(graph, theta, data, form);
  return compareWithDifferences(graph, theta, data, g, options);
}

/** Compares any gradient vector (e.g. one computed elsewhere) with finite differences of the graph's J at θ. */
export function compareWithDifferences(
  graph: Graph,
  theta: ParamValues,
  data: Batch,
  g: ArrayLike<number>,
  options: CheckOptions = {},
): GradCheck {
  checkShapes(graph, theta, data);
  checkOptions(options, "compareWithDifferences");
  arrayLike(g, "The gradient");
  const program = compile(graph, { gradients: false });
  return checkGradient(
    {
      cost: (t) => program.run(t, data, undefined, false),
      theta,
      gradient: g,
      names: parameterIds(graph),
      groups: parameterGroups(graph),
    },
    options,
  );
}

/** Each parameter's group for sampling: its layer (when it has one) and role, e.g. "2 weight". */
export function parameterGroups(graph: Graph): string[] {
  return parameterIds(graph).map((id) => {
    const p = graph.nodes[id] as ParamNode;
    return `${p.label?.layer ?? ""} ${p.role}`;
  });
}

/** The smallest positive normal double, 2^−1022: the default atol never goes below it. */
const SMALLEST_NORMAL = 2 ** -1022;

/** The median of some numbers (0 for none). */
function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  xs.sort((a, b) => a - b);
  const k = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[k]! : (xs[k - 1]! + xs[k]!) / 2;
}

/** A tolerance option: undefined, or a finite number ≥ 0. */
function tolerance(v: number | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !(v >= 0 && Number.isFinite(v)))
    throw new ArgumentError("invalid-argument", `${name} must be a finite number ≥ 0; got ${show(v)}.`, v);
  return v;
}

/** The options of a check: undefined or an object whose fields have their types (the numbers are checked where used). */
function checkOptions(options: unknown, who: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ArgumentError(
      "invalid-argument",
      `${who}'s options are an object such as { rtol: 1e-6, sample: 1000 }; got ${kindOf(options)} ${show(options, 40)}.`,
      options,
    );
  }
  const o = options as CheckOptions;
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") {
    throw new ArgumentError(
      "invalid-argument",
      `options.onProgress is a function (done, total) => void; got ${kindOf(o.onProgress)} ${show(o.onProgress, 40)}.`,
      o.onProgress,
    );
  }
  if (o.floor !== undefined && (typeof o.floor !== "number" || !(o.floor >= 0 && Number.isFinite(o.floor)))) {
    throw new ArgumentError(
      "invalid-argument",
      `options.floor must be a finite number ≥ 0; got ${show(o.floor)}.`,
      o.floor,
    );
  }
}

/** A list of numbers (an array or typed array) with a length a Float64Array can have. */
function arrayLike(v: unknown, what: string): void {
  const length = typeof v === "object" && v !== null ? (v as { length?: unknown }).length : undefined;
  if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) {
    throw new ArgumentError(
      "invalid-argument",
      `${what} is a list of numbers (an array or a Float64Array); got ${kindOf(v)} ${show(v, 40)}.`,
      v,
    );
  }
}

/** What checkGradient compares: { cost, theta, gradient[, names, groups] } of the right types. */
function checkProblem(problem: unknown): void {
  if (typeof problem !== "object" || problem === null) {
    throw new ArgumentError(
      "invalid-argument",
      `checkGradient compares { cost: (θ) => J, theta, gradient }; got ${kindOf(problem)} ${show(problem, 40)}.`,
      problem,
    );
  }
  const p = problem as Partial<GradientProblem>;
  if (typeof p.cost !== "function")
    throw new ArgumentError(
      "invalid-argument",
      `The problem's cost is a function of θ returning J; got ${kindOf(p.cost)} ${show(p.cost, 40)}.`,
      p.cost,
    );
  arrayLike(p.theta, "The problem's theta");
  arrayLike(p.gradient, "The problem's gradient");
  if (p.names !== undefined && !Array.isArray(p.names) && typeof p.names !== "function") {
    throw new ArgumentError(
      "invalid-argument",
      `The problem's names are a list of parameter names, or a function of the position; got ${kindOf(p.names)} ${show(p.names, 40)}.`,
      p.names,
    );
  }
}
