/**
 * The direct term of ∂J/∂θ: J depends on a weight not only through the paths θ → z → … → J but
 * also directly, through the L2 penalty λ/(2m) Σ θ² over the weights. That dependence is no path of
 * the graph (the penalty has no node), so it is kept apart from the sums over paths: every form
 * carries it as its once-per-batch `batch` part, next to the per-example part.
 */
import { type Expr, mul, pow, sym, ZERO } from "../expr/expr.js";
import type { Graph } from "../graph/types.js";
import { graphIndex, paramArgument } from "../graph/validate.js";
import { LAMBDA, M } from "../registry/costs.js";

/**
 * ∂/∂θ of the L2 penalty: (λ/m)θ for a weight when the cost has L2, else 0 (biases are not
 * penalised). Interned, so every form that asks gets the same expression object.
 */
export function penaltyPartial(graph: Graph, param: string): Expr {
  const id = paramArgument(graph, param);
  const n = graph.nodes[id]!;
  if (n.kind !== "param" || n.role !== "weight" || graphIndex(graph).cost.l2 === 0) return ZERO;
  // ∂/∂θ λ/(2m) Σ θ² = (λ/m) θ
  return mul(LAMBDA, pow(M, -1), sym({ kind: "theta", node: param }));
}
