/**
 * The matrix form of a layered network's derivation, as tensor-level expressions.
 *
 * Convention (one, stated everywhere it is printed): column vectors, one column per example.
 * A⁽ˡ⁾ is n_l × m (A⁽¹⁾ = X), Θ⁽ˡ⁾ is n_{l+1} × n_l, b⁽ˡ⁾ has n_{l+1} entries, and
 *   Z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾ A⁽ˡ⁾ + b⁽ˡ⁾,  A⁽ˡ⁺¹⁾ = f(Z⁽ˡ⁺¹⁾)
 *   δ⁽ᴸ⁾ = output δ (element-wise, from the δ table)
 *   δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀ δ⁽ˡ⁺¹⁾ ⊙ f′(Z⁽ˡ⁾)
 *   ∂J/∂Θ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾ (A⁽ˡ⁾)ᵀ (+ (λ/m) Θ⁽ˡ⁾),  ∂J/∂b⁽ˡ⁾ = δ⁽ˡ⁺¹⁾ 1 (summed over examples)
 * Element-wise steps carry the scalar template they lift (written for neuron 1 of the layer), so
 * the matrix form and the δ table are one derivation.
 */
import { GraphError } from "../errors.js";
import { type Expr, mul, pow } from "../expr/expr.js";
import { ids, requireLayers } from "../graph/layered.js";
import { perGraph } from "../graph/per-graph.js";
import type { Graph } from "../graph/types.js";
import { graphIndex } from "../graph/validate.js";
import { ACTIVATION_TABLE, type ActivationName, activation } from "../registry/activations.js";
import { type CostName, cost as costRecord, LAMBDA, M } from "../registry/costs.js";
import { deltaDefinition } from "./delta.js";
import { flowOf } from "./structure.js";

/** A tensor-level expression. */
export type TExpr =
  | { readonly kind: "weights"; readonly layer: number }
  | { readonly kind: "biases"; readonly layer: number }
  | { readonly kind: "activations"; readonly layer: number }
  | { readonly kind: "sums"; readonly layer: number }
  | { readonly kind: "targets" }
  | { readonly kind: "delta"; readonly layer: number }
  | { readonly kind: "matmul"; readonly left: TExpr; readonly right: TExpr }
  | { readonly kind: "transpose"; readonly arg: TExpr }
  | { readonly kind: "hadamard"; readonly left: TExpr; readonly right: TExpr }
  | { readonly kind: "plus"; readonly left: TExpr; readonly right: TExpr }
  | { readonly kind: "scale"; readonly factor: Expr; readonly arg: TExpr }
  | { readonly kind: "sum-examples"; readonly arg: TExpr }
  /**
   * An element-wise lift of a scalar template over layer `layer`: the template is written for
   * neuron 1 (symbols z_l_1, a_l_1, y_1, m); entry (j, e) is the template for neuron j, example e.
   */
  | {
      readonly kind: "map";
      readonly layer: number;
      readonly role: "activation" | "derivative" | "output-delta";
      readonly template: Expr;
      readonly activation: ActivationName;
    };

/** One backward step: a δ or the gradients of one parameter layer. */
export type MatrixStep =
  | { readonly kind: "delta"; readonly layer: number; readonly value: TExpr }
  | { readonly kind: "gradient"; readonly layer: number; readonly weights: TExpr; readonly biases: TExpr | null };

/** The matrix form of a layered network. */
export interface MatrixForm {
  readonly convention: "column";
  readonly sizes: readonly number[];
  readonly activations: readonly ActivationName[];
  readonly bias: boolean;
  /** Forward: for each l = 1…L−1, Z⁽ˡ⁺¹⁾ and A⁽ˡ⁺¹⁾. */
  readonly forward: readonly { readonly layer: number; readonly z: TExpr; readonly a: TExpr }[];
  /** Backward, in execution order: δ⁽ᴸ⁾, ∂J/∂Θ⁽ᴸ⁻¹⁾, δ⁽ᴸ⁻¹⁾, … , ∂J/∂Θ⁽¹⁾. */
  readonly backward: readonly MatrixStep[];
  /** Whether the output δ is the fused (1/m)(a − y) form. */
  readonly fusedOutput: boolean;
  /** L2 strength (0 for none). */
  readonly l2: number;
}

/**
 * Why a layered network with this output activation and cost has no matrix form, or null when it
 * has one, from the names alone: the matrix form lifts the output δ element-wise, which a softmax
 * output allows only under the cost it fuses with (cross-entropy).
 */
export function matrixFormProblem(outputActivation: ActivationName, cost: CostName): string | null {
  if (activation(outputActivation).name === "softmax" && costRecord(cost).fusedWith !== "softmax") {
    return "The matrix form of a softmax output needs the cross-entropy cost (its δ is then element-wise).";
  }
  return null;
}

/** True when {@link matrixForm} gives this graph's matrix form: a layered network under {@link matrixFormProblem}'s rule. */
export function hasMatrixForm(graph: Graph): boolean {
  const { cost } = graphIndex(graph);
  return (
    graph.layers !== null &&
    matrixFormProblem(graph.layers.activations[graph.layers.activations.length - 1]!, cost.cost) === null
  );
}

/** The matrix form of a layered network (cached per graph object); a GraphError when it has none ({@link hasMatrixForm}). */
export function matrixForm(graph: Graph): MatrixForm {
  return matrixForms(graph);
}
const matrixForms = perGraph((graph: Graph): MatrixForm => {
  const info = requireLayers(graph);
  const { sizes, activations, bias } = info;
  const L = sizes.length;
  const syms = flowOf(graph).syms;
  const cost = graphIndex(graph).cost;

  const forward = [];
  for (let l = 1; l < L; l++) {
    const prod: TExpr = {
      kind: "matmul",
      left: { kind: "weights", layer: l },
      right: { kind: "activations", layer: l },
    };
    const act = activations[l - 1]!;
    forward.push({
      layer: l + 1,
      z: bias ? ({ kind: "plus", left: prod, right: { kind: "biases", layer: l } } as const) : prod,
      a: {
        kind: "map",
        layer: l + 1,
        role: "activation",
        activation: act,
        template: ACTIVATION_TABLE[act].value(syms.get(ids.z(l + 1, 1))!),
      } as const,
    });
  }

  // the output δ of the δ table (only this one is needed: the rest is the recurrence)
  const outAct = activations[L - 2]!;
  const problem = matrixFormProblem(outAct, cost.cost);
  if (problem !== null) throw new GraphError("not-layered", problem);
  const out = deltaDefinition(graph, ids.z(L, 1));
  const backward: MatrixStep[] = [];
  // δ⁽ᴸ⁾: the output δ of the δ table, lifted element-wise
  backward.push({
    kind: "delta",
    layer: L,
    value: { kind: "map", layer: L, role: "output-delta", activation: outAct, template: out.definition },
  });
  for (let l = L - 1; l >= 1; l--) {
    // ∂J/∂Θ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾ (A⁽ˡ⁾)ᵀ (+ (λ/m) Θ⁽ˡ⁾)
    const outer: TExpr = {
      kind: "matmul",
      left: { kind: "delta", layer: l + 1 },
      right: { kind: "transpose", arg: { kind: "activations", layer: l } },
    };
    const weights: TExpr =
      cost.l2 !== 0
        ? {
            kind: "plus",
            left: outer,
            right: { kind: "scale", factor: mul(LAMBDA, pow(M, -1)), arg: { kind: "weights", layer: l } },
          }
        : outer;
    // ∂J/∂b⁽ˡ⁾ = Σ over examples of δ⁽ˡ⁺¹⁾
    const biases: TExpr | null = bias ? { kind: "sum-examples", arg: { kind: "delta", layer: l + 1 } } : null;
    backward.push({ kind: "gradient", layer: l, weights, biases });
    if (l >= 2) {
      // δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀ δ⁽ˡ⁺¹⁾ ⊙ f′(Z⁽ˡ⁾)
      const act = activations[l - 2]!;
      const fprime = ACTIVATION_TABLE[act].derivative(syms.get(ids.z(l, 1))!, syms.get(ids.a(l, 1))!);
      backward.push({
        kind: "delta",
        layer: l,
        value: {
          kind: "hadamard",
          left: {
            kind: "matmul",
            left: { kind: "transpose", arg: { kind: "weights", layer: l } },
            right: { kind: "delta", layer: l + 1 },
          },
          right: { kind: "map", layer: l, role: "derivative", activation: act, template: fprime },
        },
      });
    }
  }
  const form: MatrixForm = {
    convention: "column",
    sizes,
    activations,
    bias,
    forward,
    backward,
    fusedOutput: out.fused,
    l2: cost.l2,
  };
  return form;
});
