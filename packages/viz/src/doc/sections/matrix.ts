/**
 * Sections 7 and 8 of a derivation: the matrix form with its outer products and the general
 * recurrence (layered networks), then backpropagation as numbered steps and the gradient-descent
 * update.
 */
import { LAMBDA, M, deltaForm, flowOf, graphIndex, ids, mul, pow, type MatrixForm, type MatrixStep } from "@chainrule/core";
import { bmatrix, column, generalise, row, stepLatex, tensorLatex } from "../../latex/tensor.js";
import { equations, heading, list, note, para, type Block } from "../model.js";
import type { Context } from "../context.js";
import { safeMatrixForm } from "./network.js";

/** The rows of one backward step, with its element-wise expansion. */
function expandedStep(ctx: Context, step: MatrixStep): string[] {
  const p = ctx.printer;
  const { sizes } = ctx.layers!;
  const t = ctx.options.threshold;
  const delta = deltaForm(ctx.graph);
  const deltaAt = (l: number, j: number) => p.print(delta.byNode.get(ids.z(l, j))!.ref);
  const [first, ...rest] = stepLatex(p, step);
  if (step.kind === "gradient") {
    const l = step.layer;
    // δ⁽ˡ⁺¹⁾ (a⁽ˡ⁾)ᵀ as a column times a row, and the matrix of products δ_j a_k
    const outer = bmatrix(sizes[l]!, sizes[l - 1]!, (j, k) => `${deltaAt(l + 1, j)} ${p.node(ids.a(l, k))}`, t);
    const cols = `${column(sizes[l]!, (j) => deltaAt(l + 1, j), t)} ${row(sizes[l - 1]!, (k) => p.node(ids.a(l, k)), t)}`;
    // with L2: + (λ/m) Θ⁽ˡ⁾, the weights' direct term, carried along the expansion
    const penalty = graphIndex(ctx.graph).cost.l2 !== 0 ? ` + ${p.print(mul(LAMBDA, pow(M, -1)))} ${bmatrix(sizes[l]!, sizes[l - 1]!, (j, k) => p.node(ids.theta(l, j, k)), t)}` : "";
    return [`${first} = ${cols}${penalty}`, `&= ${outer}${penalty}`, ...rest];
  }
  const l = step.layer;
  if (l === sizes.length) {
    return [`${first}`, `&= ${column(sizes[l - 1]!, (j) => p.print(delta.byNode.get(ids.z(l, j))!.definition), t)}`];
  }
  // (Θ⁽ˡ⁾)ᵀ δ⁽ˡ⁺¹⁾ ⊙ f′(z⁽ˡ⁾), entry by entry
  const flow = flowOf(ctx.graph);
  const thetaT = bmatrix(sizes[l - 1]!, sizes[l]!, (k, j) => p.node(ids.theta(l, j, k)), t);
  const next = column(sizes[l]!, (j) => deltaAt(l + 1, j), t);
  const fprime = column(sizes[l - 1]!, (j) => p.print(flow.local(ids.z(l, j), ids.a(l, j))), t);
  return [`${first} = ${thetaT} ${next} \\odot ${fprime}`, `&= ${column(sizes[l - 1]!, (j) => deltaAt(l, j), t)}`];
}

/** Section 7: the matrix form (layered networks only). */
export function matrixSection(ctx: Context): Block[] {
  if (ctx.layers === null) return [];
  const p = ctx.printer;
  const nt = p.notation;
  const blocks: Block[] = [heading(2, "The matrix form")];
  const mf = safeMatrixForm(ctx.graph);
  if (mf === null) {
    blocks.push(para("A softmax output layer has a matrix form only with the cross-entropy cost, where its δ is element-wise; with this cost, use the δ form above."));
    return blocks;
  }
  blocks.push(
    para(
      `All the partial derivatives of a layer come out of one matrix expression. Convention: vectors are columns — $${nt.a(2)}$ has one entry per neuron, $${nt.weightMatrix(1)}$ has one row per neuron of the next layer and one column per neuron of the layer it reads — and $\\odot$ is the element-wise product.`,
    ),
  );
  for (const step of mf.backward) blocks.push(equations(expandedStep(ctx, step)));
  blocks.push(para(`In general, for a network of layers ${layerRange(nt)}:`));
  blocks.push(equations(generalSteps(mf).flatMap((s) => stepLatex(p, s))));
  blocks.push(
    note(
      "The post treats δ as a row vector and writes $\\delta^{(l)} = \\delta^{(l+1)} \\Theta^{(l)} f'\\left(a^{(l)}\\right)$ and $\\frac{\\partial J}{\\partial \\Theta^{(l)}} = \\left(\\delta^{(l+1)}\\right)^{T} a^{(l)}$. With column vectors, as here, the weight matrix is transposed on the way back and the gradient is the outer product δ times the transposed activations; the two conventions give the same numbers.",
    ),
  );
  return blocks;
}

/** The layers of a network in the notation's numbering, in words: "$1, \ldots, L$ (the input is layer 1, the output layer L)". */
function layerRange(nt: Context["printer"]["notation"]): string {
  return `$${nt.inputLayer}, \\ldots, L$ (the input is layer ${nt.inputLayer}, the output layer $L$)`;
}

/** The output δ at L, the gradient recurrence and the hidden δ recurrence at l. */
function generalSteps(mf: MatrixForm) {
  const L = mf.sizes.length;
  const out = mf.backward[0]!;
  const grad = mf.backward.find((s) => s.kind === "gradient")!;
  const hidden = mf.backward.find((s) => s.kind === "delta" && s.layer < L);
  return [generalise(out, L, "L"), ...(hidden !== undefined ? [generalise(hidden, hidden.layer)] : []), generalise(grad, grad.layer)];
}

/**
 * The gradient-descent update in the notation: the post's θᵢ := θᵢ + Δθᵢ with Δθᵢ = −η ∂J/∂θᵢ;
 * in Ng's and Nielsen's, the weight matrix and bias vector of each layer l.
 */
function updateRows(ctx: Context): string[] {
  const nt = ctx.printer.notation;
  const rate = nt.rate;
  const step = (q: string) => `${q} &:= ${q} - ${rate} \\frac{\\partial ${nt.cost}}{\\partial ${q}}`;
  if (nt.name === "post" || ctx.layers === null) {
    return [`\\theta_i &:= \\theta_i + \\Delta \\theta_i`, `\\Delta \\theta_i &= -${rate} \\frac{\\partial ${nt.cost}}{\\partial \\theta_i}`];
  }
  const l = { symbol: "l", offset: -nt.weightOffset };
  const bias = ctx.layers.bias ? [step(nt.biasVector(l))] : [];
  return [step(nt.weightMatrix(l)), ...bias];
}

/** Section 8: the algorithm, and one step of gradient descent. */
export function algorithmSection(ctx: Context): Block[] {
  const p = ctx.printer;
  const nt = p.notation;
  const blocks: Block[] = [heading(2, "The algorithm")];
  const mf = ctx.layers === null ? null : safeMatrixForm(ctx.graph);
  if (mf !== null) {
    const L = mf.sizes.length;
    const out = stepLatex(p, generalise(mf.backward[0]!, L, "L"))[0]!.replace("&=", "=");
    const gradStep = mf.backward.find((s) => s.kind === "gradient")!;
    // ∂J/∂Θ⁽ᴸ⁻¹⁾ and ∂J/∂Θ⁽ˡ⁻¹⁾: the gradient step anchored one layer further on
    const gradL = stepLatex(p, generalise(gradStep, gradStep.layer + 1, "L")).map((r) => r.replace("&=", "="));
    const gradl = stepLatex(p, generalise(gradStep, gradStep.layer + 1, "l")).map((r) => r.replace("&=", "="));
    const hidden = mf.backward.find((s) => s.kind === "delta" && s.layer < L);
    const deltal = hidden === undefined ? null : stepLatex(p, generalise(hidden, hidden.layer))[0]!.replace("&=", "=");
    // forward: z and a of layer l from layer l − 1, for every layer after the input, in the notation's own numbering
    const fwd = mf.forward[0]!;
    const general = generalise({ kind: "delta", layer: fwd.layer, value: fwd.z }, fwd.layer);
    const fz = general.kind === "delta" ? tensorLatex(p, general.value) : "";
    const l = { symbol: "l", offset: 0 };
    blocks.push(para(`Backpropagation through layers ${layerRange(nt)}, for each example:`));
    blocks.push(
      list(true, [
        `Perform forward propagation: $${nt.z(l)} = ${fz}$ and $${nt.a(l)} = ${nt.activation(l, nt.z(l))}$ for $l = ${nt.inputLayer + 1}, \\ldots, L$.`,
        `Compute the δ term of the output layer: $${out}$.`,
        `Compute the partial derivatives of the cost with respect to the parameters that feed the output layer: ${gradL.map((r) => `$${r}$`).join(" and ")}.`,
        "Go back one layer: $l = l - 1$.",
        deltal === null ? "(There is no hidden layer, so there is no hidden δ.)" : `Compute the δ term of the current layer: $${deltal}$.`,
        `Compute the partial derivatives with respect to the parameters that feed the current layer: ${gradl.map((r) => `$${r}$`).join(" and ")}.`,
        "Repeat 4 through 6 until you reach the input layer.",
      ]),
    );
  } else {
    blocks.push(para("Backpropagation through any graph, for each example:"));
    blocks.push(
      list(true, [
        "Perform forward propagation: every $z$ and $a$ in topological order.",
        "Compute the δ of every weighted sum in reverse topological order, each from the δs after it, as above.",
        "Compute every partial derivative as the sum, over the parameter's uses, of δ times the value it weights.",
      ]),
    );
  }
  blocks.push(para("Summed over the examples of a batch, the partial derivatives are the gradient. Gradient descent takes a step against it, scaled by the learning rate:"));
  blocks.push(equations(updateRows(ctx)));
  blocks.push(
    para(
      "Repeat: forward propagation with the new weights, backpropagation of the error, the next update. One forward and backward pass over the data is an epoch; the weights start at small random values in $\\left[-\\varepsilon, \\varepsilon\\right]$ so that neurons of a layer do not stay identical.",
    ),
  );
  return blocks;
}
