/**
 * Sections 1 and 2 of a derivation: the network and its notation, forward propagation for every
 * z and a, and the cost function.
 */
import {
  type ActivationName,
  type ANode,
  forwardForm,
  type Graph,
  graphIndex,
  hasMatrixForm,
  ids,
  matrixForm,
  nodeSym,
  ZERO,
} from "@chainrule/core";
import { sideBySide } from "../../latex/fit.js";
import { ACTIVATION_TEXT, COST_TEXT } from "../../latex/symbols.js";
import { tensorLatex } from "../../latex/tensor.js";
import { type Context, shownItems, shownNeurons } from "../context.js";
import { type Block, equations, heading, math, para } from "../model.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The activations a graph uses, in order of first use. */
export function activationsOf(graph: Graph): ActivationName[] {
  const seen = new Set<ActivationName>();
  for (const id of graphIndex(graph).as) seen.add((graph.nodes[id] as ANode).activation);
  return [...seen];
}

/** One sentence describing a layered network, e.g. "2 inputs, one hidden layer of 2 neurons, 2 outputs". */
function layeredSummary(ctx: Context): string {
  const { sizes, activations, bias } = ctx.layers!;
  const L = sizes.length;
  const hidden = sizes.slice(1, -1);
  const hiddenText =
    hidden.length === 0
      ? "no hidden layer"
      : hidden.length === 1
        ? `one hidden layer of ${plural(hidden[0]!, "neuron")}`
        : `${hidden.length} hidden layers of ${hidden.join(", ")} neurons`;
  const acts = [...new Set(activations)].map((a) => ACTIVATION_TEXT[a].prose).join(" and ");
  return `A ${sizes.join("-")} network: ${plural(sizes[0]!, "input")}, ${hiddenText}, and ${plural(sizes[L - 1]!, "output")}; the activation is ${acts}; ${bias ? "every neuron has a bias" : "there are no biases"}.`;
}

function dagSummary(ctx: Context): string {
  const idx = graphIndex(ctx.graph);
  const uses = new Map<string, number>();
  for (const z of idx.zs) {
    const n = ctx.graph.nodes[z]!;
    if (n.kind !== "z") continue;
    for (const p of new Set([...n.terms.map((t) => t.param), ...(n.bias !== null ? [n.bias] : [])]))
      uses.set(p, (uses.get(p) ?? 0) + 1);
  }
  const tied = [...uses.values()].filter((u) => u > 1).length;
  return (
    `A computation graph of ${plural(idx.inputs.length, "input")}, ${plural(idx.zs.length, "weighted sum")} $z$ with ${plural(idx.as.length, "activation")} $a$, ` +
    `${plural(idx.params.length, "parameter")} (${tied === 0 ? "none shared" : `${plural(tied, "parameter")} shared by several sums`}) and ${plural(idx.cost.outputs.length, "output")}. ` +
    "Its nodes are printed by their names."
  );
}

/** Section 1: the network, its notation and the forward pass. */
export function networkSection(ctx: Context): Block[] {
  const p = ctx.printer;
  const blocks: Block[] = [heading(2, "The network and its notation")];
  if (ctx.layers !== null) {
    blocks.push(para(layeredSummary(ctx)), para(p.notation.source));
  } else {
    blocks.push(para(dagSummary(ctx)));
  }
  blocks.push(
    para(
      "Forward propagation feeds the inputs through the network: each weighted sum $z$ combines the values feeding it with the weights, and each activation $a$ applies the activation function to its $z$.",
    ),
  );
  const fwd = forwardForm(ctx.graph);
  let rows: string[] = [];
  const def = (id: string): string[] => {
    const s = nodeSym(ctx.graph.nodes[id]!);
    const d = fwd.definitions.get(s);
    return d === undefined ? [] : [`${p.print(s)} &= ${p.print(d)}`];
  };
  const defRow = (id: string) => rows.push(...def(id));
  if (ctx.layers !== null) {
    // z and a of a neuron side by side where every pair fits
    const L = ctx.layers.sizes.length;
    const pairs: (readonly string[])[] = [];
    for (let l = 2; l <= L; l++) {
      for (const j of shownNeurons(ctx, l))
        pairs.push(j === null ? ["&\\;\\;\\vdots"] : [...def(ids.z(l, j)), ...def(ids.a(l, j))]);
    }
    rows = sideBySide(pairs);
  } else {
    const idx = graphIndex(ctx.graph);
    const order = idx.order.filter((id) => ctx.graph.nodes[id]!.kind === "z" || ctx.graph.nodes[id]!.kind === "a");
    for (const id of shownItems(order, ctx.options.full ? Infinity : ctx.options.threshold * 6))
      id === null ? rows.push("&\\;\\;\\vdots") : defRow(id);
  }
  blocks.push(equations(rows));
  if (fwd.lse.size > 0) {
    blocks.push(
      para(
        "A softmax group computes $a_j = \\exp\\left(z_j - \\operatorname{lse}(z)\\right)$ with $\\operatorname{lse}(z) = \\log \\sum_i e^{z_i}$, evaluated with the largest $z_i$ subtracted so no exponential overflows.",
      ),
    );
  }
  const acts = activationsOf(ctx.graph).filter((a) => a !== "identity" && a !== "softmax");
  if (acts.length > 0) {
    const defs = acts.flatMap((a, i) => [...(i > 0 ? [" and "] : []), math(ACTIVATION_TEXT[a].value("z"))]);
    blocks.push(para("where ", ...defs, "."));
  }
  if (ctx.layers !== null) {
    const mf = safeMatrixForm(ctx.graph);
    if (mf !== null) {
      // the matrix and the bias vector of a layer, defined in the notation's own letters
      const nt = p.notation;
      const l = { symbol: "l", offset: -nt.weightOffset };
      const bias = ctx.layers.bias
        ? [" and the column ", math(nt.biasVector(l)), " its biases ", math(nt.bias(l, "j"))]
        : [];
      blocks.push(
        para(
          "The same, a layer at a time, with column vectors: ",
          math(nt.weightMatrix(l)),
          " is the matrix of the weights ",
          math(nt.weight(l, "j", "k")),
          " (row ",
          math("j"),
          ", column ",
          math("k"),
          ")",
          ...bias,
          ":",
        ),
      );
      blocks.push(
        equations(
          sideBySide(
            mf.forward.map((f) => [
              `${p.notation.z(f.layer)} &= ${tensorLatex(p, f.z)}`,
              `${p.notation.a(f.layer)} &= ${tensorLatex(p, f.a)}`,
            ]),
          ),
        ),
      );
    }
  }
  return blocks;
}

/** The matrix form, or null when the network has none (core's hasMatrixForm: a DAG, or a softmax output under mse). */
export function safeMatrixForm(graph: Graph): ReturnType<typeof matrixForm> | null {
  return hasMatrixForm(graph) ? matrixForm(graph) : null;
}

/** Section 2: the cost function. */
export function costSection(ctx: Context): Block[] {
  const p = ctx.printer;
  const idx = graphIndex(ctx.graph);
  const fwd = forwardForm(ctx.graph);
  const costName = idx.cost.cost;
  const blocks: Block[] = [heading(2, "The cost function")];
  blocks.push(
    para(
      `The cost is ${COST_TEXT[costName]}, summed over the $m$ examples of a batch (the $\\frac{1}{m}$ is inside each example's term). It penalises outputs far from their targets, and training changes the weights so that it decreases.`,
    ),
  );
  const short = p.with({ maxTerms: Math.min(3, ctx.options.maxTerms) });
  const perExample = short.print(fwd.cost);
  const l2 = fwd.batchCost === ZERO ? "" : short.print(fwd.batchCost);
  const sum = `${p.notation.cost} &= \\sum_{\\text{examples}} ${perExample.startsWith("-") ? `\\left(${perExample}\\right)` : perExample}`;
  blocks.push(equations(l2 === "" ? [sum] : [sum, `&\\quad + ${l2}`]));
  if (l2 !== "")
    blocks.push(para("The last term is the L2 penalty on the weights (not the biases), added once per batch."));
  if (costName === "mse") {
    blocks.push(
      para(
        "For one example ($m = 1$) and one output this is the post's squared error $\\frac{1}{2}\\left(y - a\\right)^{2}$.",
      ),
    );
  } else {
    blocks.push(para("Numbers are computed from an equivalent form that stays finite for large $|z|$:"));
    blocks.push(equations([`${p.notation.cost}_{\\text{example}} &= ${short.print(fwd.stableCost)}`]));
  }
  blocks.push(
    para(
      "Every partial derivative below is written for one example; over a batch, each gradient is the sum of its values over the examples.",
    ),
  );
  return blocks;
}
