/**
 * Forward propagation as expressions: z = Σ θ · input (+ bias), a = f(z), softmax via
 * log-sum-exp, and the cost J (textbook form for reading, stable form for numbers).
 */
import { add, apply, type Expr, mul, num, pow, type Sym, sub, sym, ZERO } from "../expr/expr.js";
import { perGraph } from "../graph/per-graph.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";
import { ACTIVATION_TABLE } from "../registry/activations.js";
import { COST_TABLE, LAMBDA, M } from "../registry/costs.js";
import { flowOf } from "./structure.js";

/** The forward pass and the cost of a graph, as expressions. */
export interface ForwardForm {
  /**
   * Definition of each z and a symbol, by symbol; also of each softmax group's target sum Σᵢ yᵢ
   * (its `ysum` symbol) when the cost's δ reads it. An lse symbol is defined by {@link lse}.
   */
  readonly definitions: ReadonlyMap<Sym, Expr>;
  /** Softmax groups: lse symbol → the z symbols it runs over. */
  readonly lse: ReadonlyMap<Sym, readonly Sym[]>;
  /** Symbols in evaluation order (target sums first; z before its a; group z's before their lse). */
  readonly order: readonly Sym[];
  /** J for one example, as the post writes it. */
  readonly cost: Expr;
  /** J for one example, in its numerically stable form (the one evaluated). */
  readonly stableCost: Expr;
  /** Once-per-batch cost term: λ/(2m) Σ θ² over weights, or 0. */
  readonly batchCost: Expr;
}

/** The forward form of a graph (cached per graph object). */
export function forwardForm(graph: Graph): ForwardForm {
  return forwardForms(graph);
}
const forwardForms = perGraph((graph: Graph): ForwardForm => {
  const idx = graphIndex(graph);
  const { syms, outputs } = flowOf(graph);
  const definitions = new Map<Sym, Expr>();
  const lse = new Map<Sym, readonly Sym[]>();
  const order: Sym[] = [];
  if (COST_TABLE[idx.cost.cost].fusedWith === "softmax") {
    // Σᵢ yᵢ over each softmax group's targets, for the fused output δ (1/m)(a_j Σᵢ yᵢ − y_j)
    const groups = new Map<Sym, Sym[]>();
    for (const o of idx.cost.outputs) {
      const out = outputs.get(o)!;
      if (out.ysum === null) continue;
      let ys = groups.get(out.ysum);
      if (ys === undefined) {
        ys = [];
        groups.set(out.ysum, ys);
      }
      ys.push(out.y);
    }
    for (const [s, ys] of groups) {
      definitions.set(s, add(...ys));
      order.push(s);
    }
  }
  for (const id of idx.order) {
    const n = graph.nodes[id]!;
    if (n.kind === "z") {
      // z = Σ θ · input (+ bias)
      const terms = n.terms.map((t) => mul(syms.get(t.param)!, syms.get(t.input)!));
      if (n.bias !== null) terms.push(syms.get(n.bias)!);
      definitions.set(syms.get(id)!, add(...terms));
      order.push(syms.get(id)!);
    } else if (n.kind === "a") {
      if (n.group === null) {
        // a = f(z)
        definitions.set(syms.get(id)!, ACTIVATION_TABLE[n.activation].value(syms.get(n.z)!));
      } else {
        // a_j = exp(z_j − lse(z)), lse(z) = log Σ exp z_i (evaluated with the max subtracted)
        const l = sym({ kind: "lse", node: n.group[0]! });
        if (!lse.has(l)) {
          lse.set(
            l,
            n.group.map((z) => syms.get(z)!),
          );
          order.push(l);
        }
        definitions.set(syms.get(id)!, apply("exp", sub(syms.get(n.z)!, l)));
      }
      order.push(syms.get(id)!);
    }
  }
  const form: ForwardForm = { definitions, lse, order, ...costForm(graph) };
  return form;
});

/** The cost alone: J per example (textbook and stable forms) and the once-per-batch L2 term. */
export interface CostForm {
  readonly cost: Expr;
  readonly stableCost: Expr;
  readonly batchCost: Expr;
}

/** The cost of a graph as expressions, without the forward definitions (cached per graph). */
export function costForm(graph: Graph): CostForm {
  return costForms(graph);
}
const costForms = perGraph((graph: Graph): CostForm => {
  const idx = graphIndex(graph);
  const { syms, outputs } = flowOf(graph);
  const rec = COST_TABLE[idx.cost.cost];
  const outs = idx.cost.outputs.map((o) => outputs.get(o)!);
  const weights = idx.params.filter((p) => {
    const n = graph.nodes[p]!;
    return n.kind === "param" && n.role === "weight";
  });
  // λ/(2m) Σ θ² over weights
  const batchCost =
    idx.cost.l2 === 0 || weights.length === 0
      ? ZERO
      : mul(LAMBDA, pow(mul(num(2), M), -1), add(...weights.map((w) => pow(syms.get(w)!, 2))));
  const form: CostForm = { cost: rec.value(outs), stableCost: rec.stable(outs), batchCost };
  return form;
});
