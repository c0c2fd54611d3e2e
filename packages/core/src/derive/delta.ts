/**
 * The δ form: δ_z = ∂J/∂z for every z node, defined once in reverse topological order and reused;
 * ∂J/∂θ = Σ over the parameter's uses of δ · (that use's input). One pass, linear in the edges.
 */

import { ArgumentError } from "../errors.js";
import { add, type DeltaRef, delta, type Expr, mul, postorder } from "../expr/expr.js";
import { perGraph } from "../graph/per-graph.js";
import type { ANode, Graph, ZNode } from "../graph/types.js";
import { graphIndex, nodeArgument } from "../graph/validate.js";
import { kindOf } from "../messages.js";
import { COST_TABLE } from "../registry/costs.js";
import { penaltyPartial } from "./penalty.js";
import { flowOf } from "./structure.js";

/** One shared term of the δ table. */
export interface DeltaEntry {
  /** The z node this δ belongs to. */
  readonly node: string;
  /** The named reference other expressions use. */
  readonly ref: DeltaRef;
  /** δ_z in terms of local quantities and later δs. */
  readonly definition: Expr;
  /** How many other δ definitions and gradients reference this δ. */
  readonly uses: number;
  /**
   * True when the output activation and cost collapse into one local form: (1/m)(a − y), or for
   * softmax + cross-entropy (1/m)(a Σᵢyᵢ − y), which holds for targets of any row sum.
   */
  readonly fused: boolean;
}

/** A gradient ∂J/∂θ: summed over examples of `perExample`, plus `batch` once per batch. */
export interface Gradient {
  readonly param: string;
  /** Per-example part (δ · input summed over the parameter's uses). */
  readonly perExample: Expr;
  /** Once-per-batch part (the L2 term (λ/m)θ, or 0). */
  readonly batch: Expr;
}

/** The δ table (named shared terms, in dependency order) plus the gradients that use them. */
export interface DeltaForm {
  /** δ definitions in dependency order: each uses only δs listed before it. */
  readonly deltas: readonly DeltaEntry[];
  /** δ definition by z id. */
  readonly byNode: ReadonlyMap<string, DeltaEntry>;
  /** Gradients in parameter order. */
  readonly gradients: readonly Gradient[];
  /** Gradient by parameter id. */
  readonly byParam: ReadonlyMap<string, Gradient>;
}

/** The δ form of a graph (cached per graph object). */
export function deltaForm(graph: Graph): DeltaForm {
  return deltaForms(graph);
}
const deltaForms = perGraph((graph: Graph): DeltaForm => {
  const idx = graphIndex(graph);
  const flow = flowOf(graph);
  const uses = new Map<string, number>();
  const use = (z: string): DeltaRef => {
    uses.set(z, (uses.get(z) ?? 0) + 1);
    return delta(z);
  };

  const defs: { node: string; definition: Expr; fused: boolean }[] = [];
  for (let i = idx.zs.length - 1; i >= 0; i--)
    defs.push({ node: idx.zs[i]!, ...deltaDefinition(graph, idx.zs[i]!, use) });

  const gradients: Gradient[] = [];
  // Every use of every parameter, in one pass over the z nodes (in graph order).
  const usesOf = new Map<string, Expr[]>();
  for (const p of idx.params) usesOf.set(p, []);
  for (const z of idx.zs) {
    const zn = graph.nodes[z] as ZNode;
    // ∂J/∂θ = Σ over uses (z, input) of δ_z · input;  bias: δ_z
    for (const t of zn.terms) usesOf.get(t.param)!.push(mul(use(z), flow.syms.get(t.input)!));
    if (zn.bias !== null) usesOf.get(zn.bias)!.push(use(z));
  }
  for (const p of idx.params) {
    const parts = usesOf.get(p)!;
    // L2: ∂/∂θ λ/(2m) Σ θ² = (λ/m) θ for a weight, once per batch
    gradients.push({ param: p, perExample: add(...parts), batch: penaltyPartial(graph, p) });
  }

  const deltas = defs.map((d) => ({ ...d, ref: delta(d.node), uses: uses.get(d.node) ?? 0 }));
  const form: DeltaForm = {
    deltas,
    byNode: new Map(deltas.map((d) => [d.node, d])),
    gradients,
    byParam: new Map(gradients.map((g) => [g.param, g])),
  };
  return form;
});

/**
 * The definition of one δ_z in terms of local quantities and the δs of later z nodes, without
 * building the rest of the table. `use` is called for each later δ it references.
 */
export function deltaDefinition(
  graph: Graph,
  z: string,
  use: (z: string) => DeltaRef = delta,
): { definition: Expr; fused: boolean } {
  nodeArgument(graph, z, ["z"], "z node");
  if (typeof use !== "function")
    throw new ArgumentError(
      "invalid-argument",
      `deltaDefinition's \`use\` is a function from a z id to its δ reference; got ${kindOf(use)}.`,
      use,
    );
  const idx = graphIndex(graph);
  const flow = flowOf(graph);
  const costRec = COST_TABLE[idx.cost.cost];
  const fusedDef = fused(graph, z, flow.succ, idx.cost.id, costRec.fusedWith);
  // the output activation and the cost collapse: δ = (1/m)(a − y) (softmax: (1/m)(a Σy − y))
  if (fusedDef !== null) return { definition: costRec.fusedDelta(flow.outputs.get(fusedDef)!), fused: true };
  // ∂J/∂a: the direct cost term (for outputs) plus Σ over consuming z′ of (∂z′/∂a) δ_z′
  const dJda = (a: string): Expr =>
    add(...flow.succ.get(a)!.map((s) => (s === idx.cost.id ? flow.local(a, s) : mul(flow.local(a, s), use(s)))));
  // δ_z = Σ over activations a of z: (∂J/∂a)(∂a/∂z)
  return { definition: add(...flow.succ.get(z)!.map((a) => mul(dJda(a), flow.local(z, a)))), fused: false };
}

/**
 * If z's δ collapses with the cost (sigmoid + binary cross-entropy, softmax + cross-entropy,
 * identity + mse), the output a node it collapses through; else null. Requires that z feeds only
 * its activation(s) and that those feed only the cost.
 */
function fused(
  graph: Graph,
  z: string,
  succ: ReadonlyMap<string, readonly string[]>,
  cost: string,
  fusedWith: string | null,
): string | null {
  if (fusedWith === null) return null;
  const zs = succ.get(z)!;
  let own: string | null = null;
  for (const a of zs) {
    const an = graph.nodes[a] as ANode;
    if (an.activation !== fusedWith) return null;
    const s = succ.get(a)!;
    if (s.length !== 1 || s[0] !== cost) return null;
    if (an.z === z) own = a;
  }
  if (own === null) return null;
  // For softmax every member of the group must feed only the cost, which the loop checked for
  // the members z feeds; z feeds every member of its group by construction.
  return own;
}

/**
 * The z nodes whose δ the given expressions need, directly or through other δ definitions, in
 * the δ table's dependency order. Each δ uses only δs listed before it, so one walk from the end
 * of the table closes the set.
 */
export function deltasNeededBy(graph: Graph, roots: readonly Expr[]): string[] {
  const table = deltaForm(graph);
  const needed = new Set<string>();
  postorder(roots, (e) => void (e.kind === "delta" && needed.add(e.node)));
  for (let i = table.deltas.length - 1; i >= 0; i--) {
    const d = table.deltas[i]!;
    if (needed.has(d.node)) postorder([d.definition], (e) => void (e.kind === "delta" && needed.add(e.node)));
  }
  return table.deltas.filter((d) => needed.has(d.node)).map((d) => d.node);
}
