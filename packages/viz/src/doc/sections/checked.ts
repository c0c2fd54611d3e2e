/**
 * The last numbered section of a document with a worked example: what was checked before it was
 * written. The forms the document prints (the chain form summed over paths, the local partials,
 * the δ form and, for layered networks, the matrix form) are evaluated on the worked example's
 * values and must agree, and every printed partial derivative must match central finite
 * differences of J. A document whose numbers fail either check is not made: {@link checkNumbers}
 * throws, so no target writes it.
 */
import {
  ChainruleError,
  compareWithDifferences,
  costValue,
  count,
  type GradCheck,
  gradientValues,
  matrixGradientValues,
  type ParamCheck,
} from "@chainrule/core";
import { latexNumber } from "../../latex/numbers.js";
import type { Context } from "../context.js";
import { type Block, heading, type Inline, list, math, para } from "../model.js";
import type { WorkedExample } from "../worked-example.js";
import { safeMatrixForm } from "./network.js";

/** Paths beyond which the chain and local forms are not evaluated term by term (the δ form stands for them). */
export const CHECKED_CHAIN_PATHS = 20_000;

/**
 * How many partials finite differences check: all of them up to 2,000 parameters, then a seeded
 * sample stratified by layer and role — 400, or 48 beyond 20,000 parameters, where one evaluation
 * of J is itself long straight-line code (about 2 ms per ten thousand parameters).
 */
export function checkedSampleSize(parameters: number): number {
  return parameters <= 2_000 ? parameters : parameters <= 20_000 ? 400 : 48;
}

/** Relative agreement the forms must reach with one another (they are the same sums, reordered). */
export const FORMS_RTOL = 1e-9;

/**
 * A partial this close to its difference quotient, relative to max(1, |J|), passes whatever the
 * quotient's own tolerance: 64 ε. A worked example the network nearly fits has J near 0 computed
 * from residuals a − y that are differences of values near 1, so J's rounding is relative to those
 * values, not to J, and a partial that is exactly 0 meets quotients of 1e-22; no printed digit
 * can show a difference this small.
 */
export const ROUNDING_ATOL = 64 * Number.EPSILON;

/** A document's numbers failed their own check. */
export class DocumentCheckError extends ChainruleError {
  override readonly name = "DocumentCheckError";
}

/** One form compared with the printed gradient. */
export interface FormAgreement {
  readonly form: "chain" | "local" | "matrix";
  /** max |g_form − g| / max(1, |g|) over the parameters. */
  readonly maxDifference: number;
}

/** What a document's "Checked" section states. */
export interface DocumentCheck {
  readonly forms: readonly FormAgreement[];
  /** The chain and local forms were left out (too many paths): their number. */
  readonly chainPathsSkipped: bigint | number | null;
  readonly differences: GradCheck;
  /** Partials the differences could not judge: J has a kink within a step of θ there. */
  readonly kinks: number;
}

/**
 * How close a partial must come to a one-sided difference quotient, relative to max(1, |g|), to be
 * read as sitting at a kink (one-sided quotients are good to about the step, ~6e-6).
 */
export const ONE_SIDED_RTOL = 1e-3;

/** Checks a worked example's gradient against the other forms and finite differences; throws when either fails. */
export function checkNumbers(ctx: Context, numbers: WorkedExample): DocumentCheck {
  const { graph, theta, data, gradient } = numbers;
  const forms: FormAgreement[] = [];
  const compare = (form: FormAgreement["form"], g: ArrayLike<number>) => {
    let worst = 0;
    for (let i = 0; i < gradient.length; i++)
      worst = Math.max(worst, Math.abs(g[i]! - gradient[i]!) / Math.max(1, Math.abs(gradient[i]!)));
    forms.push({ form, maxDifference: worst });
    if (!(worst <= FORMS_RTOL)) {
      throw new DocumentCheckError(
        "invalid-value",
        `The ${form} form and the δ form disagree on the worked example (largest difference ${worst.toExponential(2)}), so the document is not written.`,
        worst,
      );
    }
  };
  const paths = count(graph).paths;
  const chainPathsSkipped = paths > CHECKED_CHAIN_PATHS ? paths : null;
  if (chainPathsSkipped === null) {
    compare("chain", gradientValues(graph, theta, data, "chain"));
    compare("local", gradientValues(graph, theta, data, "local"));
  }
  if (ctx.layers !== null && safeMatrixForm(graph) !== null)
    compare("matrix", matrixGradientValues(graph, theta, data));
  const size = checkedSampleSize(gradient.length);
  const sample = size < gradient.length ? { sample: size, seed: 1 } : {};
  const differences = compareWithDifferences(graph, theta, data, gradient, sample);
  // where J has a kink within a step of θ (a relu at 0), central differences straddle it and miss:
  // the derived value is then one of J's one-sided derivatives there, which is counted, not failed
  const atKink = (p: ParamCheck): boolean => {
    const t = Float64Array.from(theta);
    const j0 = costValue(graph, t, data);
    t[p.index] = theta[p.index]! + p.step;
    const right = (costValue(graph, t, data) - j0) / p.step;
    t[p.index] = theta[p.index]! - p.step;
    const left = (j0 - costValue(graph, t, data)) / p.step;
    const tol = ONE_SIDED_RTOL * Math.max(1, Math.abs(p.derived));
    return Math.abs(right - left) > tol && (Math.abs(right - p.derived) <= tol || Math.abs(left - p.derived) <= tol);
  };
  const rounding = ROUNDING_ATOL * Math.max(1, Math.abs(costValue(graph, theta, data)));
  const judged = differences.parameters.filter((p) => !p.passed && !(p.error <= rounding));
  const failed = judged.filter((p) => !atKink(p));
  const kinks = judged.length - failed.length;
  if (failed.length > 0) {
    const w = failed.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    throw new DocumentCheckError(
      "invalid-value",
      `∂J/∂${w.param} of the worked example is ${w.derived} but finite differences give ${w.numeric}, so the document is not written.`,
      w.param,
    );
  }
  return { forms, chainPathsSkipped, differences, kinks };
}

const FORM_WORDS: { readonly [K in FormAgreement["form"]]: string } = {
  chain: "the chain form (the sum over paths of the products of partials)",
  local: "the local partials multiplied along each path",
  matrix: "the matrix form",
};

/** A small number for prose: 0, or two significant digits in scientific notation. */
function small(x: number): Inline {
  return math(x === 0 ? "0" : latexNumber(Number(x.toPrecision(2))));
}

/** The "Checked" section. */
export function checkedSection(ctx: Context, check: DocumentCheck): Block[] {
  const n = check.differences.total;
  const items: Inline[][] = [];
  const agree = check.forms.map((f) => FORM_WORDS[f.form]);
  const worstForm = Math.max(0, ...check.forms.map((f) => f.maxDifference));
  items.push([
    {
      kind: "text",
      text: `The δ form, ${agree.slice(0, -1).join(", ")}${agree.length > 1 ? " and " : ""}${agree.at(-1)} give the same ${n} partial derivatives on the example above: the largest difference is `,
    },
    small(worstForm),
    { kind: "text", text: " (relative to the larger of 1 and the value)." },
  ]);
  if (check.chainPathsSkipped !== null) {
    items.push([
      {
        kind: "text",
        text: `The chain form was not summed path by path here: there are ${check.chainPathsSkipped.toLocaleString("en-US")} paths. The δ form sums the same products, shared.`,
      },
    ]);
  }
  const d = check.differences;
  items.push([
    { kind: "text", text: `Every printed partial derivative matches central finite differences of ` },
    math(ctx.printer.notation.cost),
    {
      kind: "text",
      text:
        d.sample === null
          ? ` (all ${d.total} checked): the largest difference is `
          : ` (a seeded sample of ${d.checked} of the ${d.total.toLocaleString("en-US")}, every layer represented): the largest difference is `,
    },
    small(d.maxError),
    { kind: "text", text: ", the largest relative error " },
    small(d.maxRelError),
    {
      kind: "text",
      text:
        check.kinks === 0
          ? "."
          : `; ${check.kinks} ${check.kinks === 1 ? "partial sits" : "partials sit"} where an activation has a kink within the difference step, where differences cannot judge a derivative.`,
    },
  ]);
  return [
    heading(2, "Checked"),
    para("Before this document was written, its numbers were checked against each other and against the cost itself:"),
    list(false, items),
  ];
}
