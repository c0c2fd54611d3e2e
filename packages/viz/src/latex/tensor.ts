/**
 * The matrix form in LaTeX: core's tensor expressions (column convention) printed per example —
 * δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀ δ⁽ˡ⁺¹⁾ ⊙ f′(z⁽ˡ⁾), ∂J/∂Θ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾ (a⁽ˡ⁾)ᵀ — the general recurrence obtained
 * by making a step's layers symbolic, and `bmatrix` expansions that elide wide layers.
 */
import { type ActivationName, assertNever, type Expr, type MatrixStep, type TExpr } from "@chainrule/core";
import type { LayerIndex } from "./notation.js";
import type { LatexPrinter } from "./printer.js";

/**
 * A tensor expression whose layers may be symbolic. Core's {@link TExpr} is one (with numeric
 * layers); a `map` without a template stands for the generic f, f′ of the notation.
 */
export type VExpr =
  | { readonly kind: "weights" | "biases" | "activations" | "sums" | "delta"; readonly layer: LayerIndex }
  | { readonly kind: "targets" }
  | { readonly kind: "matmul" | "hadamard" | "plus"; readonly left: VExpr; readonly right: VExpr }
  | { readonly kind: "transpose"; readonly arg: VExpr }
  | { readonly kind: "scale"; readonly factor: Expr; readonly arg: VExpr }
  | { readonly kind: "sum-examples"; readonly arg: VExpr }
  | {
      readonly kind: "map";
      readonly layer: LayerIndex;
      readonly role: "activation" | "derivative" | "output-delta";
      readonly template: Expr | null;
      readonly activation: ActivationName;
    };

const BINDS: { readonly [K in VExpr["kind"]]: number } = {
  plus: 10,
  hadamard: 20,
  matmul: 30,
  scale: 30,
  "sum-examples": 30,
  map: 25,
  transpose: 40,
  weights: 100,
  biases: 100,
  activations: 100,
  sums: 100,
  delta: 100,
  targets: 100,
};

/**
 * A tensor expression in LaTeX, for one example (one column): `sum-examples` prints its argument,
 * since the per-example gradients are summed over the batch (the 1/m is inside δ⁽ᴸ⁾).
 */
export function tensorLatex(printer: LatexPrinter, e: VExpr): string {
  const nt = printer.notation;
  const wrap = (x: VExpr, level: number) => {
    const s = tensorLatex(printer, x);
    return bindingOf(printer, x) <= level ? `\\left(${s}\\right)` : s;
  };
  switch (e.kind) {
    case "weights":
      return nt.weightMatrix(e.layer);
    case "biases":
      return nt.biasVector(e.layer);
    case "activations":
      return nt.a(e.layer);
    case "sums":
      return nt.z(e.layer);
    case "delta":
      return nt.delta(e.layer);
    case "targets":
      return nt.y();
    case "matmul":
      return `${wrap(e.left, BINDS.hadamard)} ${wrap(e.right, BINDS.hadamard)}`;
    case "hadamard":
      return `${wrap(e.left, BINDS.plus)} \\odot ${wrap(e.right, BINDS.plus)}`;
    case "plus":
      return `${tensorLatex(printer, e.left)} + ${tensorLatex(printer, e.right)}`;
    case "transpose": {
      // (Θ⁽ˡ⁾)ᵀ: a symbol that already has a superscript goes in parentheses
      const s = tensorLatex(printer, e.arg);
      return `${s.includes("^") || bindingOf(printer, e.arg) < BINDS.transpose ? `\\left(${s}\\right)` : s}${nt.transpose}`;
    }
    case "scale":
      return `${printer.print(e.factor)} ${wrap(e.arg, BINDS.hadamard)}`;
    case "sum-examples":
      return tensorLatex(printer, e.arg);
    case "map":
      return mapLatex(printer, e);
    default:
      return assertNever(e);
  }
}

/** How tightly a printed tensor expression binds; a map whose template is a sum binds like +. */
function bindingOf(printer: LatexPrinter, e: VExpr): number {
  if (e.kind === "map" && e.template !== null && e.template.kind === "add") return BINDS.plus;
  if (e.kind === "map" && e.template !== null && e.template.kind === "mul") return BINDS.hadamard;
  if (e.kind === "scale" || e.kind === "sum-examples") return bindingOf(printer, e.arg);
  return BINDS[e.kind];
}

/** An element-wise map: its template in vector form, or the notation's generic f or f′. */
function mapLatex(printer: LatexPrinter, e: VExpr & { kind: "map" }): string {
  const nt = printer.notation;
  const layer = e.layer;
  // softmax runs over the whole layer: its template is a placeholder
  if (e.role === "activation" && e.activation === "softmax")
    return `\\operatorname{softmax}\\left(${nt.z(layer)}\\right)`;
  if (e.template === null) {
    if (e.role === "activation") return nt.activation(layer, nt.z(layer));
    if (e.role === "derivative") return nt.derivative(layer, nt.z(layer));
    // δ⁽ᴸ⁾ = ∂J/∂a⁽ᴸ⁾ ⊙ f′(z⁽ᴸ⁾)
    return `\\frac{\\partial ${nt.cost}}{\\partial ${nt.a(layer)}} \\odot ${nt.derivative(layer, nt.z(layer))}`;
  }
  // the template is written for neuron 1 of its layer; in vector mode it reads as the whole layer
  const vec = printer.with({ vector: true, layerAs: typeof layer === "number" ? null : () => layer });
  return vec.print(e.template);
}

/** A backward step in LaTeX: `δ⁽ˡ⁾ = …` or `∂J/∂Θ⁽ˡ⁾ = …` (and `∂J/∂b⁽ˡ⁾ = …`). */
export function stepLatex(printer: LatexPrinter, step: MatrixStep | GeneralStep): string[] {
  const nt = printer.notation;
  if (step.kind === "delta") return [`${nt.delta(step.layer)} &= ${tensorLatex(printer, step.value)}`];
  const rows = [
    `\\frac{\\partial ${nt.cost}}{\\partial ${nt.weightMatrix(step.layer)}} &= ${tensorLatex(printer, step.weights)}`,
  ];
  if (step.biases !== null)
    rows.push(
      `\\frac{\\partial ${nt.cost}}{\\partial ${nt.biasVector(step.layer)}} &= ${tensorLatex(printer, step.biases)}`,
    );
  return rows;
}

/** A backward step with possibly symbolic layers. */
export type GeneralStep =
  | { readonly kind: "delta"; readonly layer: LayerIndex; readonly value: VExpr }
  | { readonly kind: "gradient"; readonly layer: LayerIndex; readonly weights: VExpr; readonly biases: VExpr | null };

/**
 * The general form of a step: every layer number n becomes `symbol` + (n − at), and element-wise
 * maps other than the output δ become the notation's generic f′ — so the step for δ⁽²⁾ of a
 * 2-2-2 network, generalised at 2, is the recurrence for δ⁽ˡ⁾.
 */
export function generalise(step: MatrixStep, at: number, symbol = "l"): GeneralStep {
  const layer = (n: number): LayerIndex => ({ symbol, offset: n - at });
  const go = (e: VExpr): VExpr => {
    switch (e.kind) {
      case "weights":
      case "biases":
      case "activations":
      case "sums":
      case "delta":
        return { kind: e.kind, layer: typeof e.layer === "number" ? layer(e.layer) : e.layer };
      case "targets":
        return e;
      case "matmul":
      case "hadamard":
      case "plus":
        return { kind: e.kind, left: go(e.left), right: go(e.right) };
      case "transpose":
        return { kind: "transpose", arg: go(e.arg) };
      case "scale":
        return { kind: "scale", factor: e.factor, arg: go(e.arg) };
      case "sum-examples":
        return { kind: "sum-examples", arg: go(e.arg) };
      case "map": {
        const l = typeof e.layer === "number" ? layer(e.layer) : e.layer;
        return { ...e, layer: l, template: e.role === "output-delta" ? e.template : null };
      }
      default:
        return assertNever(e);
    }
  };
  if (step.kind === "delta") return { kind: "delta", layer: layer(step.layer), value: go(step.value as VExpr) };
  return {
    kind: "gradient",
    layer: layer(step.layer),
    weights: go(step.weights as VExpr),
    biases: step.biases === null ? null : go(step.biases as VExpr),
  };
}

/**
 * Indices 1…n, or with the middle left out (null) when n exceeds the threshold: 1, 2, ⋯, n. The
 * gap always stands for two indices or more.
 */
export function shownIndices(n: number, threshold: number): (number | null)[] {
  if (n <= Math.max(4, threshold)) return Array.from({ length: n }, (_, i) => i + 1);
  return [1, 2, null, n];
}

/** A `bmatrix` with rows × cols entries, eliding wide dimensions with ⋮, ⋯ and ⋱ (columns by their own threshold when given). */
export function bmatrix(
  rows: number,
  cols: number,
  entry: (i: number, j: number) => string,
  threshold: number,
  colThreshold = threshold,
): string {
  const ri = shownIndices(rows, threshold);
  const ci = shownIndices(cols, colThreshold);
  const body = ri
    .map((i) =>
      ci
        .map((j) =>
          i === null && j === null ? "\\ddots" : i === null ? "\\vdots" : j === null ? "\\cdots" : entry(i, j),
        )
        .join(" & "),
    )
    .join(" \\\\ ");
  return `\\begin{bmatrix} ${body} \\end{bmatrix}`;
}

/** A column vector of n entries as a `bmatrix`. */
export function column(n: number, entry: (i: number) => string, threshold: number): string {
  return bmatrix(n, 1, (i) => entry(i), threshold);
}

/** A row vector of n entries as a `bmatrix`. */
export function row(n: number, entry: (j: number) => string, threshold: number): string {
  return bmatrix(1, n, (_i, j) => entry(j), threshold);
}
