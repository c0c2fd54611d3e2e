/**
 * The cost of a layered network lifted like the matrix form's element-wise steps: J is the sum,
 * over the examples and the output neurons, of one per-entry template written for output neuron 1
 * (the stable per-example cost of that neuron alone, 1/m included), plus the once-per-batch term
 * (L2). Every cost in the registry is a sum over the outputs of one term per output, so the
 * template of neuron 1 holds for each; code generators that work on whole arrays (NumPy, ONNX)
 * emit the template once and sum it.
 */
import { add, type Expr, postorder } from "../expr/expr.js";
import { ids, requireLayers } from "../graph/layered.js";
import { perGraph } from "../graph/per-graph.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";
import { COST_TABLE } from "../registry/costs.js";
import { costForm } from "./forward.js";
import { flowOf } from "./structure.js";

/** J of a layered network as a lifted template and a batch term. */
export interface LiftedCost {
  /**
   * The per-entry template: the stable cost of output neuron 1 for one example (symbols z_L_1,
   * a_L_1, y_1, that neuron's log-sum-exp and Σy for a softmax group, m); J's data term is its sum
   * over every output neuron and example.
   */
  readonly entry: Expr;
  /** The once-per-batch term (λ/(2m) Σθ² over the weights, or 0), as the cost form writes it. */
  readonly batch: Expr;
  /**
   * The sum of squared weights inside {@link batch} (an `add` of θ² terms, one per weight of this
   * graph, or a lone θ²), or null when there is none: a generator binds it to the sum over a network's weights.
   */
  readonly squares: Expr | null;
}

/** The lifted cost of a layered graph (cached per graph object). */
export function liftedCost(graph: Graph): LiftedCost {
  return lifted(graph);
}
const lifted = perGraph((graph: Graph): LiftedCost => {
  const info = requireLayers(graph);
  const L = info.sizes.length;
  const rec = COST_TABLE[graphIndex(graph).cost.cost];
  const out = flowOf(graph).outputs.get(ids.a(L, 1))!;
  const entry = rec.stable([out]);
  const batch = costForm(graph).batchCost;
  let squares: Expr | null = null;
  postorder([batch], (e) => {
    if (
      squares === null &&
      e.kind === "add" &&
      e.terms.every((t) => t.kind === "pow" && t.exp === 2 && t.base.kind === "sym" && t.base.ref.kind === "theta")
    )
      squares = e;
  });
  // a single weight's square is no sum: the batch term reads it directly
  if (squares === null) {
    postorder([batch], (e) => {
      if (squares === null && e.kind === "pow" && e.exp === 2 && e.base.kind === "sym" && e.base.ref.kind === "theta")
        squares = add(e);
    });
  }
  return { entry, batch, squares };
});
