/**
 * Printing the derivation as ONNX nodes: a graph builder, the scalar templates of the matrix form
 * as element-wise operators (after core's lowerFunctions, so only a few functions need an operator
 * of their own), and the matrix form's tensor expressions as Gemm, Add, Mul and ReduceSum over
 * row-major arrays (one example per row, as ONNX runtimes and PyTorch lay out a batch).
 */
import {
  ArgumentError,
  assertNever,
  type Expr,
  LEAKY_SLOPE,
  lowerFunctions,
  mul,
  num,
  type Sym,
  type TExpr,
} from "@chainrule/core";
import { ONNX_TYPES, type OnnxAttribute, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from "./schema.js";

/** The element type of an exported model's tensors. */
export type OnnxPrecision = "float32" | "float64";

/** The ONNX operator set an exported model imports (the default domain). */
export const ONNX_OPSET = 17;
/** The IR version of an exported model (the one that goes with opset 17). */
export const ONNX_IR_VERSION = 8;

/** An attribute: a float, an int or a list of ints. */
export function attr(name: string, value: number | readonly number[], kind: "float" | "int" = "int"): OnnxAttribute {
  if (typeof value !== "number") return { name, type: 7, ints: value };
  return kind === "float" ? { name, type: 1, f: value } : { name, type: 2, i: value };
}

/** A value's declaration: an element type and a shape whose entries are sizes or names ("N"). */
export function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): OnnxValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Builds the node list and initializers of one ONNX graph. */
export class OnnxBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();
  /** The element type of the graph's real tensors (TensorProto.DataType). */
  readonly elemType: number;
  /**
   * Write σ(x) = 1/(1 + e^−x) instead of the Sigmoid operator: ONNX Runtime fuses x·Sigmoid(x)
   * (SiLU) into an operator of its own that has no float64 kernel, so a float64 SiLU layer's
   * templates are emitted with this on.
   */
  unfusedSigmoid = false;

  constructor(readonly precision: OnnxPrecision) {
    this.elemType = precision === "float32" ? ONNX_TYPES.float : ONNX_TYPES.double;
  }

  /** Claims a name (an input's, an output's): a second claim of the same name is a bug. */
  claim(name: string): string {
    if (this.used.has(name)) throw new ArgumentError("invalid-argument", `The ONNX name ${name} is used twice.`, name);
    this.used.add(name);
    return name;
  }

  /** A name not used yet, from a base (not claimed). */
  unused(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    return name;
  }

  /** A name not used yet, from a base, claimed. */
  fresh(base: string): string {
    return this.claim(this.unused(base));
  }

  /** Appends a node; returns its (first) output's name. */
  node(op: string, inputs: readonly string[], attributes: readonly OnnxAttribute[] = [], output?: string): string {
    const out = output === undefined ? this.fresh(`${op.toLowerCase()}`) : this.claim(output);
    this.nodes.push({ opType: op, input: inputs, output: [out], name: out, attribute: attributes });
    return out;
  }

  /** A real tensor as an initializer of the graph's element type. */
  tensor(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const data = Array.from(values);
    this.initializers.push(
      this.precision === "float32"
        ? { name: this.claim(name), dims, dataType: ONNX_TYPES.float, floatData: data }
        : { name: this.claim(name), dims, dataType: ONNX_TYPES.double, doubleData: data },
    );
    return name;
  }

  /** A real scalar constant (one initializer per value). */
  constant(value: number): string {
    const key = Object.is(value, -0) ? "0" : String(value);
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.tensor(this.unused(`c_${key.replace(/[^A-Za-z0-9]/g, "_")}`), [], [value]);
      this.constants.set(key, name);
    }
    return name;
  }

  /** An int64 list as an initializer (axes of a reduction). */
  int64s(values: readonly number[]): string {
    const key = `i64:${values.join(",")}`;
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.fresh(`axes_${values.join("_").replace(/-/g, "m")}`);
      this.initializers.push({ name, dims: [values.length], dataType: ONNX_TYPES.int64, int64Data: values });
      this.constants.set(key, name);
    }
    return name;
  }

  /** Σ over the given axes (ReduceSum, axes as an input since opset 13); keepdims 0 drops them. */
  reduceSum(x: string, axes: readonly number[] | null, keepdims: 0 | 1): string {
    return this.node("ReduceSum", axes === null ? [x] : [x, this.int64s(axes)], [attr("keepdims", keepdims)]);
  }
}

/** For (−c)·x with c > 0, the positive part c·x (x for c = 1); else null. */
function negated(e: Expr): Expr | null {
  if (e.kind !== "mul") return null;
  const c = e.factors[0]!;
  if (c.kind !== "const" || !(c.value < 0)) return null;
  const rest = e.factors.slice(1);
  return c.value === -1 ? mul(...rest) : mul(num(-c.value), ...rest);
}

/**
 * Emits a scalar expression as element-wise ONNX nodes (every node of the expression once, after
 * lowerFunctions); `sym` names the tensor of each symbol, `bound` tensors that stand for whole
 * sub-expressions (a sum of squared weights). Returns the name of the result.
 */
export function emitScalar(
  b: OnnxBuilder,
  expr: Expr,
  sym: (s: Sym) => string,
  bound: ReadonlyMap<Expr, string> = new Map(),
): string {
  const done = new Map<Expr, string>(bound);
  const go = (e: Expr): string => {
    const hit = done.get(e);
    if (hit !== undefined) return hit;
    let out: string;
    switch (e.kind) {
      case "const":
        out = b.constant(e.value);
        break;
      case "sym":
        out = sym(e);
        break;
      case "add": {
        out = go(e.terms[0]!);
        for (const t of e.terms.slice(1)) {
          // a + (−c)·x is a − c·x
          const n = negated(t);
          out = n === null ? b.node("Add", [out, go(t)]) : b.node("Sub", [out, go(n)]);
        }
        break;
      }
      case "mul": {
        const n = negated(e);
        if (n !== null) out = b.node("Neg", [go(n)]);
        else {
          const names = e.factors.map(go);
          out = names.slice(1).reduce((acc, x) => b.node("Mul", [acc, x]), names[0]!);
        }
        break;
      }
      case "pow": {
        const base = go(e.base);
        out =
          e.exp === 2
            ? b.node("Mul", [base, base])
            : e.exp === -1
              ? b.node("Reciprocal", [base])
              : e.exp === 0.5
                ? b.node("Sqrt", [base])
                : b.node("Pow", [base, b.constant(e.exp)]);
        break;
      }
      case "apply":
        out = applyOp(b, e.fn, e.order, go(e.arg));
        break;
      case "partial":
      case "delta":
        throw new ArgumentError("invalid-argument", `An ONNX element-wise step cannot hold a ${e.kind}.`);
      default:
        return assertNever(e);
    }
    done.set(e, out);
    return out;
  };
  return go(lowerFunctions(expr));
}

/** f⁽ⁿ⁾(x) for the functions lowerFunctions leaves (core's PRIMITIVES), as ONNX operators. */
function applyOp(b: OnnxBuilder, fn: string, order: number, x: string): string {
  const positive = () => b.node("Greater", [x, b.constant(0)]);
  switch (`${fn}:${order}`) {
    case "sigmoid:0":
      // 1/(1 + e^−x) is exact in relative terms (0 where e^−x overflows): see unfusedSigmoid
      return b.unfusedSigmoid
        ? b.node("Reciprocal", [b.node("Add", [b.constant(1), b.node("Exp", [b.node("Neg", [x])])])])
        : b.node("Sigmoid", [x]);
    case "tanh:0":
      return b.node("Tanh", [x]);
    case "relu:0":
      return b.node("Relu", [x]);
    case "relu:1":
      // 1 for x > 0, else 0 (the subgradient 0 at 0)
      return b.node("Where", [positive(), b.constant(1), b.constant(0)]);
    case "leaky-relu:0":
      return b.node("Where", [positive(), x, b.node("Mul", [x, b.constant(LEAKY_SLOPE)])]);
    case "leaky-relu:1":
      return b.node("Where", [positive(), b.constant(1), b.constant(LEAKY_SLOPE)]);
    case "softplus:0":
      // max(x, 0) + log1p(e^−|x|), as core computes it
      return b.node("Add", [b.node("Relu", [x]), log1p(b, b.node("Exp", [b.node("Neg", [b.node("Abs", [x])])]))]);
    case "gelu:0":
      // x·Φ(x)
      return b.node("Mul", [x, normalCdf(b, x)]);
    case "gelu:1": {
      // Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)
      const phi = b.node("Mul", [
        b.node("Exp", [b.node("Mul", [b.node("Mul", [x, x]), b.constant(-0.5)])]),
        b.constant(1 / Math.sqrt(2 * Math.PI)),
      ]);
      return b.node("Add", [normalCdf(b, x), b.node("Mul", [x, phi])]);
    }
    case "exp:0":
      return b.node("Exp", [x]);
    case "log:0":
      return b.node("Log", [x]);
    default:
      throw new ArgumentError("invalid-argument", `ONNX export has no operator for derivative ${order} of ${fn}.`, fn);
  }
}

/**
 * log(1 + u) without losing a small u to the rounding of 1 + u (ONNX has no log1p): with w = 1 + u,
 * u where w rounds to 1, else log(w)·u/(w − 1), whose rounding errors cancel.
 */
function log1p(b: OnnxBuilder, u: string): string {
  const w = b.node("Add", [b.constant(1), u]);
  const wm1 = b.node("Sub", [w, b.constant(1)]);
  const same = b.node("Equal", [wm1, b.constant(0)]);
  // where w − 1 is 0 the quotient is 0/0: divide by 1 there instead, and take u
  const safe = b.node("Where", [same, b.constant(1), wm1]);
  return b.node("Where", [same, u, b.node("Div", [b.node("Mul", [b.node("Log", [w]), u]), safe])]);
}

/**
 * Φ(x) = (1 + erf(x/√2))/2. ONNX Runtime has no float64 Erf, so a float64 graph takes erf in
 * float32 (Cast, Erf, Cast back): its GELU agrees with float64 to about 1e-7 relative.
 */
function normalCdf(b: OnnxBuilder, x: string): string {
  const t = b.node("Mul", [x, b.constant(Math.SQRT1_2)]);
  const erf =
    b.precision === "float32"
      ? b.node("Erf", [t])
      : b.node(
          "Cast",
          [b.node("Erf", [b.node("Cast", [t], [attr("to", ONNX_TYPES.float)])])],
          [attr("to", b.elemType)],
        );
  return b.node("Mul", [b.node("Add", [erf, b.constant(1)]), b.constant(0.5)]);
}

/** A tensor of the matrix form as an ONNX value: `name` holds the matrix itself (`t`) or its transpose. */
interface Value {
  readonly name: string;
  /** True: the tensor is the matrix M as the form writes it (n × m); false: Mᵀ (one example per row). */
  readonly t: boolean;
}

/** The names of the tensors a matrix form's steps read. */
export interface TensorNames {
  /** Θ⁽ˡ⁾, n₍ₗ₊₁₎ × nₗ (the model file's layout). */
  weights(l: number): string;
  /** b⁽ˡ⁾, a vector of n₍ₗ₊₁₎. */
  biases(l: number): string;
  /** A⁽ˡ⁾ᵀ (one example per row); A⁽¹⁾ᵀ is the input. */
  activations(l: number): string;
  /** Z⁽ˡ⁾ᵀ. */
  sums(l: number): string;
  /** Yᵀ: the targets, one example per row. */
  targets(): string;
  /** δ⁽ˡ⁾ᵀ. */
  delta(l: number): string;
  /** The scalar tensor of a template symbol other than z, a and y of the map's layer (m, λ, lse, Σy). */
  symbol(s: Sym, layer: number): string;
}

/**
 * Emits a tensor expression of the matrix form. The form's convention is one column per example;
 * the ONNX graph keeps each matrix transposed (one example per row) except the weights, which are
 * Θ itself, so a product M = LR is one Gemm whose transA and transB absorb every transpose, and a
 * result can be asked for in either layout (`want`: true for M, false for Mᵀ).
 */
export function emitTensor(b: OnnxBuilder, t: TExpr, names: TensorNames, want: boolean): string {
  const v = value(b, t, names, want);
  return v.t === want ? v.name : b.node("Transpose", [v.name]);
}

function value(b: OnnxBuilder, t: TExpr, names: TensorNames, want: boolean): Value {
  switch (t.kind) {
    case "weights":
      return { name: names.weights(t.layer), t: true };
    case "biases":
      // a vector broadcasts as a row: it stands for the column b's transpose
      return { name: names.biases(t.layer), t: false };
    case "activations":
      return { name: names.activations(t.layer), t: false };
    case "sums":
      return { name: names.sums(t.layer), t: false };
    case "targets":
      return { name: names.targets(), t: false };
    case "delta":
      return { name: names.delta(t.layer), t: false };
    case "transpose": {
      const a = value(b, t.arg, names, !want);
      return { name: a.name, t: !a.t };
    }
    case "matmul":
      return { name: gemm(b, t.left, t.right, null, names, want), t: want };
    case "plus": {
      // Θ A + b: one Gemm with the bias as C (row layout)
      if (t.left.kind === "matmul" && t.right.kind === "biases" && !want)
        return {
          name: gemm(b, t.left.left, t.left.right, names.biases(t.right.layer), names, false),
          t: false,
        };
      return {
        name: b.node("Add", [emitTensor(b, t.left, names, want), emitTensor(b, t.right, names, want)]),
        t: want,
      };
    }
    case "hadamard":
      return {
        name: b.node("Mul", [emitTensor(b, t.left, names, want), emitTensor(b, t.right, names, want)]),
        t: want,
      };
    case "scale": {
      const f = emitScalar(b, t.factor, (s) => names.symbol(s, 0));
      return { name: b.node("Mul", [f, emitTensor(b, t.arg, names, want)]), t: want };
    }
    case "sum-examples":
      // Σ over the examples: the rows of the row layout; a vector (a bias's shape)
      return { name: b.reduceSum(emitTensor(b, t.arg, names, false), [0], 0), t: false };
    case "map": {
      const l = t.layer;
      if (t.role === "activation" && t.activation === "softmax")
        return { name: b.node("Softmax", [names.sums(l)], [attr("axis", 1)]), t: false };
      b.unfusedSigmoid = b.precision === "float64" && t.activation === "silu";
      const name = emitScalar(b, t.template, (s) => {
        const r = s.ref;
        if (r.kind === "z") return names.sums(l);
        if (r.kind === "a") return names.activations(l);
        if (r.kind === "y") return names.targets();
        return names.symbol(s, l);
      });
      b.unfusedSigmoid = false;
      return { name, t: false };
    }
    default:
      return assertNever(t);
  }
}

/** L·R (+ C) as one Gemm, in the layout asked for (true: L·R itself; false: (L·R)ᵀ = Rᵀ·Lᵀ). */
function gemm(b: OnnxBuilder, left: TExpr, right: TExpr, c: string | null, names: TensorNames, want: boolean): string {
  // want M = L·R: A = L, B = R; want Mᵀ: A = Rᵀ, B = Lᵀ
  const [first, second, flip] = want ? [left, right, false] : [right, left, true];
  const a = value(b, first, names, !flip);
  const bb = value(b, second, names, !flip);
  // the operand's tensor is the factor itself when its layout is the one asked for, else its transpose
  const transA = a.t === !flip ? 0 : 1;
  const transB = bb.t === !flip ? 0 : 1;
  return b.node("Gemm", c === null ? [a.name, bb.name] : [a.name, bb.name, c], [
    attr("transA", transA),
    attr("transB", transB),
  ]);
}
