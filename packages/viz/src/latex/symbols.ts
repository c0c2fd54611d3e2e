/**
 * The LaTeX of functions and activations, in tables apart from the printer's code: adding an
 * activation to core means adding one row here.
 */
import { type ActivationName, type CostName, type FnName, LEAKY_SLOPE } from "@chainrule/core";

/** LaTeX of each scalar function an expression can apply. */
export const FN_LATEX: { readonly [K in FnName]: string } = {
  sigmoid: "\\sigma",
  tanh: "\\tanh",
  relu: "\\operatorname{ReLU}",
  "leaky-relu": "\\operatorname{LeakyReLU}",
  softplus: "\\operatorname{softplus}",
  gelu: "\\operatorname{GELU}",
  silu: "\\operatorname{SiLU}",
  exp: "\\exp",
  log: "\\log",
};

/** f⁽ⁿ⁾ of a function: primes up to three, then a parenthesised order. */
export function fnWithOrder(fn: FnName, order: number): string {
  const base = FN_LATEX[fn];
  if (order === 0) return base;
  if (order <= 3) return base + "'".repeat(order);
  return `${base}^{(${order})}`;
}

/** How each activation reads in prose and what its derivative is, for a document's text. */
export interface ActivationText {
  /** Name in prose: "the sigmoid". */
  readonly prose: string;
  /** f(z) with `z` for the argument, in LaTeX. */
  readonly value: (z: string) => string;
  /** f′(z) spelt out with `z` and `a` (the activation) in LaTeX. */
  readonly derivative: (z: string, a: string) => string;
}

/** Activation texts by name. */
export const ACTIVATION_TEXT: { readonly [K in ActivationName]: ActivationText } = {
  // σ(z) = 1/(1 + e^(−z)), σ′(z) = a(1 − a)
  sigmoid: {
    prose: "the sigmoid",
    value: (z) => `\\sigma\\left(${z}\\right) = \\frac{1}{1 + e^{-${z}}}`,
    derivative: (_z, a) => `${a} \\left(1 - ${a}\\right)`,
  },
  // tanh′(z) = 1 − a²
  tanh: {
    prose: "tanh",
    value: (z) => `\\tanh\\left(${z}\\right) = \\frac{e^{${z}} - e^{-${z}}}{e^{${z}} + e^{-${z}}}`,
    derivative: (_z, a) => `1 - \\left(${a}\\right)^{2}`,
  },
  // ReLU′(z) = 1 for z > 0, else 0
  relu: {
    prose: "the rectifier (ReLU)",
    value: (z) => `\\operatorname{ReLU}\\left(${z}\\right) = \\max\\left(0, ${z}\\right)`,
    derivative: (z) => `\\left[${z} > 0\\right]`,
  },
  // LeakyReLU′(z) = 1 for z > 0, else core's LEAKY_SLOPE (0.01)
  "leaky-relu": {
    prose: "the leaky rectifier",
    value: (z) => `\\operatorname{LeakyReLU}\\left(${z}\\right) = \\max\\left(${LEAKY_SLOPE}\\, ${z}, ${z}\\right)`,
    derivative: (z) => `1 \\text{ if } ${z} > 0 \\text{, else } ${LEAKY_SLOPE}`,
  },
  // softplus′(z) = σ(z)
  softplus: {
    prose: "softplus",
    value: (z) => `\\operatorname{softplus}\\left(${z}\\right) = \\log\\left(1 + e^{${z}}\\right)`,
    derivative: (z) => `\\sigma\\left(${z}\\right)`,
  },
  // GELU(z) = z·Φ(z), GELU′(z) = Φ(z) + z·φ(z)
  gelu: {
    prose: "the Gaussian error linear unit (GELU)",
    value: (z) =>
      `\\operatorname{GELU}\\left(${z}\\right) = ${z}\\, \\Phi\\left(${z}\\right) = \\frac{${z}}{2}\\left(1 + \\operatorname{erf}\\left(\\frac{${z}}{\\sqrt{2}}\\right)\\right)`,
    derivative: (z) => `\\Phi\\left(${z}\\right) + ${z}\\, \\varphi\\left(${z}\\right)`,
  },
  // SiLU(z) = z·σ(z), SiLU′(z) = σ(z) + z·σ(z)(1 − σ(z))
  silu: {
    prose: "the sigmoid linear unit (SiLU)",
    value: (z) => `\\operatorname{SiLU}\\left(${z}\\right) = ${z}\\, \\sigma\\left(${z}\\right)`,
    derivative: (z) =>
      `\\sigma\\left(${z}\\right) + ${z}\\, \\sigma\\left(${z}\\right)\\left(1 - \\sigma\\left(${z}\\right)\\right)`,
  },
  // identity′(z) = 1
  identity: { prose: "the identity", value: (z) => z, derivative: () => "1" },
  // ∂a_i/∂z_j = a_i(δ_ij − a_j)
  softmax: {
    prose: "softmax",
    value: (z) => `\\operatorname{softmax}\\left(${z}\\right)`,
    derivative: (_z, a) => `${a} \\left(1 - ${a}\\right) \\text{ (and } -a_i a_j \\text{ across the group)}`,
  },
};

/** How each cost reads in prose. */
export const COST_TEXT: { readonly [K in CostName]: string } = {
  mse: "the mean squared error",
  "cross-entropy": "the cross-entropy",
  "binary-cross-entropy": "the binary cross-entropy",
};
