/**
 * Differentiating derived expressions again: the total derivative of any expression of a graph
 * with respect to a parameter, following z, a and δ through their definitions. ∂²J/∂θᵢ∂θⱼ is the
 * derivative of the δ-form gradient ∂J/∂θᵢ with respect to θⱼ.
 */
import { ArgumentError, assertNever, TooLargeError } from "../errors.js";
import { add, apply, checkExpr, type Expr, mul, num, ONE, pow, type Sym, ZERO } from "../expr/expr.js";
import { perGraph } from "../graph/per-graph.js";
import type { ANode, Graph } from "../graph/types.js";
import { graphIndex, paramArgument } from "../graph/validate.js";
import { quote } from "../messages.js";
import { deltaForm } from "./delta.js";
import { forwardForm } from "./forward.js";
import { flowOf } from "./structure.js";

/** Derivatives already taken, per graph, by parameter. */
const memos = perGraph((): Map<string, Map<Expr, Expr>> => new Map());

/**
 * d expr / dθ for parameter `param`, where z and a depend on θ through the graph (total
 * derivative). Memoised per graph and parameter; the result is an ordinary expression, so it can
 * be evaluated, printed or differentiated again.
 */
export function differentiate(graph: Graph, expr: Expr, param: string): Expr {
  paramArgument(graph, param);
  checkExpr(expr);
  const byParam = memos(graph);
  let memo = byParam.get(param);
  if (!memo) {
    memo = new Map();
    byParam.set(param, memo);
  }
  const fwd = forwardForm(graph);
  const dform = deltaForm(graph);
  const flow = flowOf(graph);
  const costId = graphIndex(graph).cost.id;
  // For lse: the softmax a of each group member z.
  const softmaxA = new Map<string, Sym>();
  for (const id of graphIndex(graph).as) {
    const a = graph.nodes[id] as ANode;
    if (a.group !== null) softmaxA.set(a.z, flow.syms.get(id)!);
  }

  const d = (e: Expr): Expr => {
    const hit = memo.get(e);
    if (hit !== undefined) return hit;
    const r = rule(e);
    memo.set(e, r);
    return r;
  };
  const rule = (e: Expr): Expr => {
    switch (e.kind) {
      case "const":
        return ZERO;
      case "sym": {
        const ref = e.ref;
        switch (ref.kind) {
          // dθ/dθ = 1, dθ'/dθ = 0
          case "theta":
            return ref.node === param ? ONE : ZERO;
          // data and constants: x, y, Σy, m, λ (and J, which no derived expression reads)
          case "x":
          case "y":
          case "ysum":
          case "m":
          case "lambda":
          case "J":
            return ZERO;
          // dz/dθ, da/dθ through their forward definitions
          case "z":
          case "a":
            return d(fwd.definitions.get(e) ?? foreign(e));
          // d lse(z)/dθ = Σ softmax(z)_i dz_i/dθ
          case "lse":
            return add(
              ...(fwd.lse.get(e) ?? foreign(e)).map((z) => mul(softmaxA.get((z.ref as { node: string }).node)!, d(z))),
            );
          default:
            return assertNever(ref);
        }
      }
      // (u + v)′ = u′ + v′
      case "add":
        return add(...e.terms.map(d));
      // (uv)′ = u′v + uv′
      case "mul":
        return add(...e.factors.map((f, i) => mul(...e.factors.map((g, k) => (k === i ? d(f) : g)))));
      // (bⁿ)′ = n bⁿ⁻¹ b′
      case "pow":
        return mul(num(e.exp), pow(e.base, e.exp - 1), d(e.base));
      // f⁽ⁿ⁾(u)′ = f⁽ⁿ⁺¹⁾(u) u′
      case "apply":
        return mul(apply(e.fn, e.arg, e.order + 1), d(e.arg));
      // ∂u/∂v is its local expression
      case "partial": {
        const id = (s: Sym) => ("node" in s.ref ? s.ref.node : costId);
        return d(flow.local(id(e.den), id(e.num)));
      }
      // δ is its definition
      case "delta":
        return d((dform.byNode.get(e.node) ?? foreign(e)).definition);
      default:
        return assertNever(e);
    }
  };
  try {
    return d(expr);
  } catch (e) {
    // the rules recurse along the expression: one deeper than the stack is too large to differentiate
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new TooLargeError(
        "too-large",
        "The expression is too deep to differentiate; differentiate a smaller graph's expressions.",
        expr,
      );
    }
    throw e;
  }
}

/** A symbol or δ of another graph. */
function foreign(e: Expr): never {
  throw new ArgumentError(
    "invalid-argument",
    `The expression reads ${e.kind === "delta" ? `the δ of ${quote(e.node)}` : e.kind === "sym" ? `${e.ref.kind}${"node" in e.ref ? ` of ${quote(e.ref.node)}` : ""}` : e.kind}, which this graph does not have; differentiate expressions with the graph they were derived from.`,
    e,
  );
}

/** ∂²J/∂θᵢ∂θⱼ as a per-example part and a once-per-batch part (the L2 term). */
export interface SecondDerivative {
  readonly perExample: Expr;
  readonly batch: Expr;
}

/** The symbolic second derivative ∂²J/∂θᵢ∂θⱼ. */
export function secondDerivative(graph: Graph, i: string, j: string): SecondDerivative {
  paramArgument(graph, j);
  const g = deltaForm(graph).byParam.get(paramArgument(graph, i))!;
  return { perExample: differentiate(graph, g.perExample, j), batch: differentiate(graph, g.batch, j) };
}
