/**
 * Derivatives of the scalar functions written as expressions in other functions' values, for the
 * code generators whose targets have no f⁽ⁿ⁾ of their own (ONNX graphs, NumPy modules):
 * σ′ = σ(1 − σ), tanh′ = 1 − tanh², softplus′ = σ, silu = x·σ(x), silu′ = σ + x·σ(1 − σ), exp′ = exp,
 * log′ = 1/x.
 * A target then needs only the functions and derivatives this leaves as they are (the
 * {@link PRIMITIVES}). A test holds each rewrite equal to the function table's numbers.
 */
import { add, apply, checkExpr, type Expr, mul, ONE, pow, sub } from "./expr.js";
import type { FnName } from "./functions.js";

/** The rewrites: f⁽ⁿ⁾(x) as an expression in other functions, by "name:order". */
const REWRITES: { readonly [key: string]: (x: Expr) => Expr } = {
  "sigmoid:1": (x) => {
    const s = apply("sigmoid", x);
    return mul(s, sub(ONE, s));
  },
  "tanh:1": (x) => sub(ONE, pow(apply("tanh", x), 2)),
  "softplus:1": (x) => apply("sigmoid", x),
  "exp:1": (x) => apply("exp", x),
  "log:1": (x) => pow(x, -1),
  "silu:0": (x) => mul(x, apply("sigmoid", x)),
  "silu:1": (x) => {
    const s = apply("sigmoid", x);
    return add(s, mul(x, s, sub(ONE, s)));
  },
};

/**
 * The applications a target must write itself after {@link lowerFunctions}: each function's value
 * except silu's, and the derivatives with no rewrite (relu′, leaky-relu′, gelu′).
 */
export const PRIMITIVES: readonly `${FnName}:${0 | 1}`[] = [
  "sigmoid:0",
  "tanh:0",
  "relu:0",
  "relu:1",
  "leaky-relu:0",
  "leaky-relu:1",
  "softplus:0",
  "gelu:0",
  "gelu:1",
  "exp:0",
  "log:0",
];

/**
 * The expression with every application that has a rewrite replaced by it (recursively, shared
 * sub-expressions rewritten once): the same function of its symbols, in fewer kinds of f⁽ⁿ⁾.
 */
export function lowerFunctions(e: Expr): Expr {
  checkExpr(e);
  const done = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    const hit = done.get(x);
    if (hit !== undefined) return hit;
    let out: Expr;
    switch (x.kind) {
      case "add":
        out = add(...x.terms.map(go));
        break;
      case "mul":
        out = mul(...x.factors.map(go));
        break;
      case "pow":
        out = pow(go(x.base), x.exp);
        break;
      case "apply": {
        const arg = go(x.arg);
        const rw = REWRITES[`${x.fn}:${x.order}`];
        out = rw !== undefined ? go(rw(arg)) : apply(x.fn, arg, x.order);
        break;
      }
      default:
        out = x;
    }
    done.set(x, out);
    return out;
  };
  return go(e);
}
