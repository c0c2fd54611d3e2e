/**
 * The matrix form as a Python module for NumPy: the forward pass, J and every ∂J/∂θ of a layered
 * network, vectorised over the batch, written step by step from {@link matrixForm} (each δ⁽ˡ⁾ a
 * named array, computed once) and the lifted cost ({@link liftedCost}). Element-wise steps are
 * their scalar templates printed through core's {@link Emitter} with NumPy syntax, so the module
 * computes what the derivation says, not a second hand-written backpropagation.
 */
import { liftedCost } from "../derive/lifted-cost.js";
import { type MatrixForm, matrixForm, type TExpr } from "../derive/matrix.js";
import { ArgumentError, assertNever } from "../errors.js";
import type { Expr, Sym } from "../expr/expr.js";
import { LEAKY_SLOPE } from "../expr/functions.js";
import { lowerFunctions } from "../expr/lower.js";
import { requireLayers } from "../graph/layered.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";
import { kindOf } from "../messages.js";
import { Emitter, type Syntax } from "./emit.js";

/** A Python float literal: exact (shortest round-trip decimal), with inf and nan from NumPy. */
function pyNum(v: number): string {
  if (Number.isNaN(v)) return "np.nan";
  if (!Number.isFinite(v)) return v > 0 ? "np.inf" : "(-np.inf)";
  const s = String(v);
  const lit = /[.eE]/.test(s) ? s : `${s}.0`;
  return v < 0 ? `(${lit})` : lit;
}

/** NumPy syntax for core's {@link Emitter}: element-wise operators on arrays, helpers for the functions. */
export const NUMPY_SYNTAX: Syntax = {
  num: pyNum,
  add: (t) => `(${t.map((x, i) => (i === 0 ? x.code : `${x.neg ? "-" : "+"} ${x.code}`)).join(" ")})`,
  neg: (c) => `(-${c})`,
  mul: (f) => `(${f.join(" * ")})`,
  pow: (b, e) =>
    e === 2 ? `(${b} * ${b})` : e === -1 ? `(1.0 / ${b})` : e === 0.5 ? `np.sqrt(${b})` : `(${b} ** ${pyNum(e)})`,
  apply: (fn, order, a) => {
    switch (`${fn}:${order}`) {
      case "sigmoid:0":
        return `_sigmoid(${a})`;
      case "tanh:0":
        return `np.tanh(${a})`;
      case "relu:0":
        return `np.maximum(${a}, 0.0)`;
      case "relu:1":
        return `_step(${a})`;
      case "leaky-relu:0":
        return `_leaky_relu(${a})`;
      case "leaky-relu:1":
        return `_leaky_relu_prime(${a})`;
      case "softplus:0":
        return `_softplus(${a})`;
      case "gelu:0":
        return `_gelu(${a})`;
      case "gelu:1":
        return `_gelu_prime(${a})`;
      case "exp:0":
        return `np.exp(${a})`;
      case "log:0":
        return `np.log(${a})`;
      default:
        throw new ArgumentError(
          "invalid-argument",
          `The NumPy module has no form for derivative order ${order} of ${fn}; lower the expression first (lowerFunctions).`,
          fn,
        );
    }
  },
  bind: (n, c) => `${n} = ${c}`,
  squareByProduct: true,
};

/** The helpers a module calls, in NumPy (the same functions as core's function table). */
const HELPERS = `def _sigmoid(x):
    # 1/(1 + e^-x) for x >= 0, e^x/(1 + e^x) below: never overflows
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softplus(x):
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _step(x):
    # relu': 1 for x > 0, else 0 (the subgradient 0 at x = 0)
    return np.where(x > 0, 1.0, 0.0)


def _leaky_relu(x):
    return np.where(x > 0, x, ${LEAKY_SLOPE} * x)


def _leaky_relu_prime(x):
    return np.where(x > 0, 1.0, ${LEAKY_SLOPE})


_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def _normal_cdf(x):
    # Φ(x) = erfc(−x/√2)/2, accurate in both tails
    return 0.5 * _erfc(-x / math.sqrt(2.0))


def _gelu(x):
    # x·Φ(x)
    return x * _normal_cdf(x)


def _gelu_prime(x):
    # Φ(x) + x·φ(x)
    return _normal_cdf(x) + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _softmax(z):
    # per column (example), shifted by its maximum
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _lse(z):
    # log Σ e^z per column (example)
    top = z.max(axis=0, keepdims=True)
    return top + np.log(np.exp(z - top).sum(axis=0, keepdims=True))`;

/** Options of {@link emitNumpyModule}. */
export interface NumpyOptions {
  /** A first comment line saying what the module is (e.g. the command that wrote it). */
  readonly title?: string;
  /**
   * The network's layer sizes when the graph is a narrower template of it (the same layers,
   * activations, cost, biases and λ and the same output width): the module is the same code, as
   * the matrix form's steps hold at every width. Default: the graph's own sizes.
   */
  readonly sizes?: readonly number[];
}

/** Writes the steps of a matrix form as Python statements. */
class Printer {
  readonly lines: string[] = [];
  private temps = 0;
  constructor(
    private readonly form: MatrixForm,
    private readonly indent: string,
  ) {}

  /** The name of a template symbol: Z{l}, A{l}, Y, m, lam, the output layer's lse and Σy. */
  private symName(s: Sym): string {
    const r = s.ref;
    const layerOf = (node: string): number => {
      const match = /^[za]_(\d+)_\d+$/.exec(node);
      if (match === null)
        throw new ArgumentError(
          "invalid-argument",
          `The template reads ${node}, which is not a z or a node of a layer.`,
          node,
        );
      return Number(match[1]);
    };
    switch (r.kind) {
      case "z":
        return `Z${layerOf(r.node)}`;
      case "a":
        return `A${layerOf(r.node)}`;
      case "y":
        return "Y";
      case "m":
        return "m";
      case "lambda":
        return "lam";
      case "lse":
        return "lse";
      case "ysum":
        return "ysum";
      default:
        throw new ArgumentError(
          "invalid-argument",
          `A matrix-form template reads ${r.kind}, which the NumPy module has no array for.`,
          r,
        );
    }
  }

  /** Code for a scalar template (lowered to the functions NumPy's helpers write), with its temporaries emitted first. */
  scalar(e: Expr, bound: ReadonlyMap<Expr, string> = new Map()): string {
    const lowered = lowerFunctions(e);
    const em = new Emitter(
      NUMPY_SYNTAX,
      (s) => this.symName(s),
      () => {
        throw new ArgumentError("invalid-argument", "A matrix-form template holds no δ.");
      },
      [lowered],
      () => `t${++this.temps}`,
      this.indent,
    );
    for (const [x, n] of bound) em.name(x, n);
    const code = em.code(lowered);
    this.lines.push(...em.lines);
    return code;
  }

  /** Code for a tensor expression of the matrix form (column convention: one column per example). */
  tensor(t: TExpr): string {
    switch (t.kind) {
      case "weights":
        return `W${t.layer}`;
      case "biases":
        return `b${t.layer}[:, None]`;
      case "activations":
        return `A${t.layer}`;
      case "sums":
        return `Z${t.layer}`;
      case "targets":
        return "Y";
      case "delta":
        return `delta${t.layer}`;
      case "matmul":
        return `(${this.tensor(t.left)} @ ${this.tensor(t.right)})`;
      case "transpose": {
        const a = this.tensor(t.arg);
        return /^[A-Za-z0-9_]+$/.test(a) || a.startsWith("(") ? `${a}.T` : `(${a}).T`;
      }
      case "hadamard":
        return `(${this.tensor(t.left)} * ${this.tensor(t.right)})`;
      case "plus":
        return `(${this.tensor(t.left)} + ${this.tensor(t.right)})`;
      case "scale":
        return `(${this.scalar(t.factor)} * ${this.tensor(t.arg)})`;
      case "sum-examples":
        return `${this.tensor(t.arg)}.sum(axis=1)`;
      case "map":
        if (t.role === "activation" && t.activation === "softmax") return `_softmax(Z${t.layer})`;
        return this.scalar(t.template);
      default:
        return assertNever(t);
    }
  }

  /** Appends `name = code` (the code's temporaries first). */
  assign(name: string, t: TExpr): void {
    const code = this.tensor(t);
    this.lines.push(`${this.indent}${name} = ${code}`);
  }

  /** The forward steps: Z⁽ˡ⁾ and A⁽ˡ⁾ for every layer after the input. */
  forward(): void {
    for (const f of this.form.forward) {
      this.assign(`Z${f.layer}`, f.z);
      this.assign(`A${f.layer}`, f.a);
    }
  }
}

/**
 * A Python module (NumPy only) for a layered network: `forward(weights, biases, x)` → the outputs,
 * `cost(weights, biases, x, y)` → J and `gradient(weights, biases, x, y)` → (J, ∂J/∂W by layer,
 * ∂J/∂b by layer), where `weights[l-1]` is Θ⁽ˡ⁾ (n₍ₗ₊₁₎ × nₗ, the model file's layout),
 * `biases[l-1]` its bias vector (None without biases), x holds one example per row and y its
 * targets; and `load_model(path)` → (weights, biases) of a chainrule model file. The steps are
 * the matrix form's (column convention: A⁽¹⁾ = xᵀ), each δ⁽ˡ⁾ a named array. A GraphError when the
 * graph has no matrix form.
 */
export function emitNumpyModule(graph: Graph, options: NumpyOptions = {}): string {
  if (typeof options !== "object" || options === null)
    throw new ArgumentError(
      "invalid-argument",
      `emitNumpyModule's options are { title?: string, sizes?: number[] }; got ${kindOf(options)}.`,
      options,
    );
  if (options.title !== undefined && typeof options.title !== "string")
    throw new ArgumentError(
      "invalid-argument",
      `emitNumpyModule's title is a string; got ${kindOf(options.title)}.`,
      options.title,
    );
  const info = requireLayers(graph);
  const form = matrixForm(graph);
  const sizes = options.sizes ?? info.sizes;
  if (
    !Array.isArray(sizes) ||
    sizes.length !== info.sizes.length ||
    sizes.some((n) => typeof n !== "number" || !Number.isInteger(n) || n < 1) ||
    sizes[sizes.length - 1] !== info.sizes[info.sizes.length - 1]
  )
    throw new ArgumentError(
      "invalid-argument",
      `The sizes are whole numbers ≥ 1, one per layer of the graph (${info.sizes.length}), with its output width ${info.sizes[info.sizes.length - 1]}; got ${kindOf(sizes)}.`,
      sizes,
    );
  const L = sizes.length;
  const idx = graphIndex(graph);
  const costName = idx.cost.cost;
  const l2 = idx.cost.l2;
  const lifted = liftedCost(graph);
  const title = (options.title ?? "").replace(/[\r\n\u2028\u2029]+/g, " ");
  const I = "    ";
  const unpack = [
    `${I}W${Array.from({ length: L - 1 }, (_, i) => i + 1).join(", W")}${L - 1 === 1 ? "," : ""} = [np.asarray(w, dtype=np.float64) for w in weights]`,
    ...(info.bias
      ? [
          `${I}b${Array.from({ length: L - 1 }, (_, i) => i + 1).join(", b")}${L - 1 === 1 ? "," : ""} = [np.asarray(b, dtype=np.float64) for b in biases]`,
        ]
      : []),
  ];
  const readX = `${I}A1 = np.asarray(x, dtype=np.float64).T`;
  const readXY = [
    readX,
    `${I}Y = np.asarray(y, dtype=np.float64).T`,
    `${I}if Y.shape != (${sizes[L - 1]}, A1.shape[1]):`,
    `${I}    raise ValueError("y must hold one row of ${sizes[L - 1]} targets per row of x")`,
    `${I}m = float(A1.shape[1])`,
    `${I}lam = L2`,
  ];
  const softmaxOut = info.activations[L - 2] === "softmax";
  const costLines = (p: Printer): void => {
    // J: the per-entry template summed over outputs and examples, plus the batch term
    if (softmaxOut) p.lines.push(`${I}lse = _lse(Z${L})`, `${I}ysum = Y.sum(axis=0, keepdims=True)`);
    const entry = p.scalar(lifted.entry);
    const bound = new Map<Expr, string>();
    if (lifted.squares !== null) {
      p.lines.push(
        `${I}S = sum(float(np.sum(w * w)) for w in (W${Array.from({ length: L - 1 }, (_, i) => i + 1).join(", W")},))`,
      );
      bound.set(lifted.squares, "S");
    }
    const batch = p.scalar(lifted.batch, bound);
    p.lines.push(`${I}J = float(np.sum(${entry} * np.ones_like(Z${L}))) + ${batch}`);
  };

  const fwd = new Printer(form, I);
  fwd.forward();
  const cst = new Printer(form, I);
  cst.forward();
  costLines(cst);
  const grd = new Printer(form, I);
  grd.forward();
  costLines(grd);
  for (const s of form.backward) {
    if (s.kind === "delta") {
      grd.lines.push(`${I}# δ⁽${s.layer}⁾`);
      grd.assign(`delta${s.layer}`, s.value);
    } else {
      grd.assign(`dJ_dW${s.layer}`, s.weights);
      if (s.biases !== null) grd.assign(`dJ_db${s.layer}`, s.biases);
    }
  }
  const layerList = (prefix: string) => `[${Array.from({ length: L - 1 }, (_, i) => `${prefix}${i + 1}`).join(", ")}]`;
  const what = `a ${sizes.join("-")} network (${[...new Set(info.activations)].join(", ")}; ${costName}${l2 > 0 ? `, L2 λ = ${l2}` : ""}${info.bias ? "" : "; no biases"})`;
  return [
    ...(title === "" ? [] : [`# ${title}`]),
    `# chainrule: the forward pass, J and every ∂J/∂θ of ${what}, vectorised over the batch:`,
    "# the matrix form's steps, each δ⁽ˡ⁾ a named array. Column convention inside: A⁽¹⁾ = xᵀ, one",
    "# column per example; Z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾A⁽ˡ⁾ + b⁽ˡ⁾; δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ ⊙ f′(Z⁽ˡ⁾); ∂J/∂Θ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾(A⁽ˡ⁾)ᵀ.",
    "#   weights[l-1]: Θ⁽ˡ⁾ (n_(l+1) × n_l, the model file's layout); biases[l-1]: its biases (None without)",
    "#   x: one example per row (m × n_1); y: its targets (m × n_L)",
    "#   forward(weights, biases, x)     -> the outputs, one row per example",
    "#   cost(weights, biases, x, y)     -> J",
    "#   gradient(weights, biases, x, y) -> (J, [∂J/∂Θ⁽¹⁾, …], [∂J/∂b⁽¹⁾, …] or None)",
    "#   load_model(path)                -> (weights, biases) of a chainrule model file",
    "import json",
    "import math",
    "",
    "import numpy as np",
    "",
    `SIZES = [${sizes.join(", ")}]`,
    `ACTIVATIONS = [${info.activations.map((a) => JSON.stringify(a)).join(", ")}]`,
    `COST = ${JSON.stringify(costName)}`,
    `BIAS = ${info.bias ? "True" : "False"}`,
    `L2 = ${pyNum(l2)}`,
    "",
    "",
    HELPERS,
    "",
    "",
    "def forward(weights, biases, x):",
    '    """The output activations for the examples of x (one per row), one row per example."""',
    ...unpack,
    readX,
    ...fwd.lines,
    `${I}return A${L}.T`,
    "",
    "",
    "def cost(weights, biases, x, y):",
    '    """J on the examples (x, y)."""',
    ...unpack,
    ...readXY,
    ...cst.lines,
    `${I}return J`,
    "",
    "",
    "def gradient(weights, biases, x, y):",
    '    """J and every ∂J/∂θ on the examples (x, y): (J, ∂J/∂Θ by layer, ∂J/∂b by layer or None)."""',
    ...unpack,
    ...readXY,
    ...grd.lines,
    `${I}return J, ${layerList("dJ_dW")}, ${info.bias ? layerList("dJ_db") : "None"}`,
    "",
    "",
    "def load_model(path):",
    '    """The weights and biases of a chainrule model file, as NumPy arrays."""',
    '    with open(path, encoding="utf-8") as f:',
    "        model = json.load(f)",
    '    weights = [np.asarray(w, dtype=np.float64) for w in model["weights"]]',
    '    biases = [np.asarray(b, dtype=np.float64) for b in model["biases"]] if "biases" in model else None',
    "    return weights, biases",
    "",
  ].join("\n");
}
