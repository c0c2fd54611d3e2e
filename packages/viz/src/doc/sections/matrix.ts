/**
 * The matrix form and the algorithm sections of a derivation: the general recurrence, and
 * backpropagation visualised as the order in which a layered network's numbers are computed;
 * then the algorithm as numbered steps, why the weights start at random values, and the
 * gradient-descent update. Each layer's own matrix expressions ({@link expandedStep}) sit with its
 * δ terms.
 */
import {
  deltaForm,
  flowOf,
  gradientValues,
  graphIndex,
  ids,
  LAMBDA,
  M,
  type MatrixForm,
  type MatrixStep,
  mul,
  parameterIds,
  pow,
} from "@chainrule/core";
import { joinForms, sideBySide } from "../../latex/fit.js";
import { bmatrix, column, generalise, row, stepLatex, tensorLatex } from "../../latex/tensor.js";
import { measureLatex, ROW_BUDGET_EM } from "../../latex/width.js";
import type { Context } from "../context.js";
import { type Block, equations, heading, list, para } from "../model.js";
import type { WorkedExample } from "../worked-example.js";
import { gradientIndexForm } from "./deltas.js";
import { safeMatrixForm } from "./network.js";

/**
 * A bmatrix of rows × cols entries that fits on a row of the page: wide layers are elided by the
 * threshold, and a matrix still wider than `room` em (a full document's) loses its middle columns.
 */
function fittedBmatrix(
  rows: number,
  cols: number,
  entry: (i: number, j: number) => string,
  threshold: number,
  room: number,
): string {
  const m = bmatrix(rows, cols, entry, threshold);
  return measureLatex(m) <= room ? m : bmatrix(rows, cols, entry, threshold, 4);
}

/** The rows of one backward step with its element-wise expansion (the matrices of a full document elided to fit the page). */
export function expandedStep(ctx: Context, step: MatrixStep): string[] {
  const p = ctx.printer;
  const { sizes } = ctx.layers!;
  const t = ctx.options.threshold;
  // one matrix may take about half a row; two side by side share the rest
  const room = ROW_BUDGET_EM / 2;
  const bmatrix = (r: number, c: number, entry: (i: number, j: number) => string, th: number) =>
    fittedBmatrix(r, c, entry, th, room);
  const delta = deltaForm(ctx.graph);
  const deltaAt = (l: number, j: number) => p.print(delta.byNode.get(ids.z(l, j))!.ref);
  const [first = "", ...rest] = stepLatex(p, step);
  if (step.kind === "gradient") {
    const l = step.layer;
    // δ⁽ˡ⁺¹⁾ (a⁽ˡ⁾)ᵀ as a column times a row, and the matrix of products δ_j a_k
    const outer = bmatrix(sizes[l]!, sizes[l - 1]!, (j, k) => `${deltaAt(l + 1, j)} ${p.node(ids.a(l, k))}`, t);
    const cols = `${column(sizes[l]!, (j) => deltaAt(l + 1, j), t)} ${row(sizes[l - 1]!, (k) => p.node(ids.a(l, k)), t)}`;
    // with L2: + (λ/m) Θ⁽ˡ⁾, the weights' direct term, carried along the expansion
    const penalty =
      graphIndex(ctx.graph).cost.l2 !== 0
        ? ` + ${p.print(mul(LAMBDA, pow(M, -1)))} ${bmatrix(sizes[l]!, sizes[l - 1]!, (j, k) => p.node(ids.theta(l, j, k)), t)}`
        : "";
    // column times row = the matrix of products, on one row where it fits
    return [...joinForms([[`${first} = ${cols}${penalty}`], [`&= ${outer}${penalty}`]]), ...rest];
  }
  const l = step.layer;
  if (l === sizes.length) {
    return joinForms([
      [first],
      [`&= ${column(sizes[l - 1]!, (j) => p.print(delta.byNode.get(ids.z(l, j))!.definition), t)}`],
    ]);
  }
  // (Θ⁽ˡ⁾)ᵀ δ⁽ˡ⁺¹⁾ ⊙ f′(z⁽ˡ⁾), entry by entry
  const flow = flowOf(ctx.graph);
  const thetaT = bmatrix(sizes[l - 1]!, sizes[l]!, (k, j) => p.node(ids.theta(l, j, k)), t);
  const next = column(sizes[l]!, (j) => deltaAt(l + 1, j), t);
  const fprime = column(sizes[l - 1]!, (j) => p.print(flow.local(ids.z(l, j), ids.a(l, j))), t);
  return joinForms([
    [first],
    [`&= ${thetaT} ${next} \\odot ${fprime}`],
    [`&= ${column(sizes[l - 1]!, (j) => deltaAt(l, j), t)}`],
  ]);
}

/** The matrix form (layered networks only) and backpropagation visualised. */
export function matrixSection(ctx: Context): Block[] {
  if (ctx.layers === null) return [];
  const p = ctx.printer;
  const nt = p.notation;
  const blocks: Block[] = [heading(2, "The matrix form")];
  const mf = safeMatrixForm(ctx.graph);
  if (mf === null) {
    blocks.push(
      para(
        "A softmax output layer has a matrix form only with the cross-entropy cost, where its δ is element-wise; with this cost, use the δ form above.",
      ),
    );
    return blocks;
  }
  blocks.push(
    para(
      `Each layer's partial derivatives came out of one matrix expression above. Convention: vectors are columns (the post's are rows; see the end) — $${nt.a(2)}$ has one entry per neuron, $${nt.weightMatrix(1)}$ one row per neuron of the next layer and one column per neuron of the layer it reads — and $\\odot$ is the element-wise product. In general, for a network of layers ${layerRange(nt)}:`,
    ),
  );
  // the δs side by side, then the gradient entry by entry (the post's "in general") beside the matrix
  const steps = generalSteps(mf).map((s) => stepLatex(p, s));
  const [grad = "", ...bias] = steps.at(-1)!;
  blocks.push(
    equations([
      ...sideBySide([steps.slice(0, -1).flat()]),
      ...sideBySide([[gradientIndexForm(ctx, null, false), grad]]),
      ...bias,
    ]),
  );
  blocks.push(...visualised(ctx, mf));
  return blocks;
}

/**
 * Backpropagation visualised (the post's sequence): the forward pass layer by layer, the output
 * error, then for each layer from the back its gradient and the error sent back a layer.
 */
function visualised(ctx: Context, mf: MatrixForm): Block[] {
  const p = ctx.printer;
  const nt = p.notation;
  const L = mf.sizes.length;
  const blocks: Block[] = [heading(3, "Backpropagation, visualised")];
  blocks.push(
    para(
      "The inputs go forward through the weights, layer by layer; the error terms come back through the same weights, transposed, layer by layer — hence the name:",
    ),
  );
  const forward = [
    nt.a(1),
    ...Array.from({ length: L - 1 }, (_, i) => `\\xrightarrow{${nt.weightMatrix(i + 1)}} ${nt.a(i + 2)}`),
  ].join(" ");
  const back = [
    ...Array.from(
      { length: L - 2 },
      (_, i) => `${nt.delta(i + 2)} \\xleftarrow{\\left(${nt.weightMatrix(i + 2)}\\right)${nt.transpose}}`,
    ),
    nt.delta(L),
  ].join(" ");
  blocks.push(equations([`&\\text{forward:} \\quad ${forward} \\to ${nt.cost}`, `&\\text{back:} \\quad ${back}`]));
  const items: string[] = [];
  items.push(
    `Forward propagation: $${nt.a(2)}$${L > 3 ? ", …" : ""}${L > 2 ? `, $${nt.a(L)}$` : ""} from $${nt.a(1)}$, each layer from the one before.`,
  );
  items.push(`The error of the output layer, $${nt.delta(L)}$: each output compared with its target.`);
  // each step names what it combines; its formula is the one printed with its layer above
  for (const step of mf.backward.slice(1)) {
    const l = step.layer;
    const d = `\\frac{\\partial ${nt.cost}}{\\partial ${nt.weightMatrix(l)}}`;
    if (step.kind === "gradient") {
      items.push(
        `$${d}$ from the error $${nt.delta(l + 1)}$ and the inputs $${nt.a(l)}$ of the weights $${nt.weightMatrix(l)}$, which connect ${nt.layerWord(l)} to ${nt.layerWord(l + 1)}.`,
      );
    } else {
      items.push(
        `Send the error back: $${nt.delta(l)}$ from $${nt.delta(l + 1)}$ through $\\left(${nt.weightMatrix(l)}\\right)${nt.transpose}$, scaled by the activation's derivative.`,
      );
    }
  }
  blocks.push(list(true, items));
  blocks.push(
    para(
      "Every layer but the last gets its error as a combination of the next layer's weights and errors; the last compares its outputs with the targets. The input layer has no error term: the inputs are data.",
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
  return [
    generalise(out, L, "L"),
    ...(hidden !== undefined ? [generalise(hidden, hidden.layer)] : []),
    generalise(grad, grad.layer),
  ];
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
    return [
      `\\theta_i &:= \\theta_i + \\Delta \\theta_i`,
      `\\Delta \\theta_i &= -${rate} \\frac{\\partial ${nt.cost}}{\\partial \\theta_i}`,
    ];
  }
  const l = { symbol: "l", offset: -nt.weightOffset };
  const bias = ctx.layers.bias ? [step(nt.biasVector(l))] : [];
  return [step(nt.weightMatrix(l)), ...bias];
}

/** The algorithm, why the weights start random, and the gradient-descent update. */
export function algorithmSection(ctx: Context, numbers: WorkedExample | null = null): Block[] {
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
        deltal === null
          ? "(There is no hidden layer, so there is no hidden δ.)"
          : `Compute the δ term of the current layer: $${deltal}$.`,
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
  if (ctx.layers !== null && ctx.layers.sizes.length > 2) blocks.push(...symmetry(ctx, numbers));
  blocks.push(heading(3, "Gradient descent"));
  blocks.push(
    para(
      "Summed over the examples of a batch, the partial derivatives are the gradient. Gradient descent takes a step against it, scaled by the learning rate:",
    ),
  );
  blocks.push(equations(sideBySide([updateRows(ctx)])));
  blocks.push(
    para(
      "Repeat: forward propagation with the new weights, backpropagation of the error, the next update, until the cost stops decreasing. One forward and backward pass over the data is an epoch.",
    ),
  );
  return blocks;
}

/**
 * Why the weights start at random values (the post's "revisiting the weights initialization"):
 * equal weights make the neurons of a layer equal, their δs equal and the partials of the weights
 * into them equal, so they would stay equal. With the worked example's data the document shows it:
 * every parameter set to the same value gives the weights from one input into two neurons of the
 * first hidden layer the same partial derivative.
 */
function symmetry(ctx: Context, numbers: WorkedExample | null): Block[] {
  const p = ctx.printer;
  const nt = p.notation;
  const blocks: Block[] = [heading(3, "Why the weights start at random values")];
  blocks.push(
    para(
      "If every weight (and every bias) started at the same value, the neurons of a hidden layer would compute the same weighted sum of the same inputs, and so the same activation; by the same logic their δs would be equal, and since each partial derivative is a δ times an input, the weights from one input into the different neurons of a layer would get equal partial derivatives. Gradient descent would move them by equal steps, and the layer would do no more than a single neuron. Starting each parameter at a random value in $\\left[-\\varepsilon, \\varepsilon\\right]$, with $\\varepsilon$ close to zero, breaks this symmetry.",
    ),
  );
  const n = ctx.layers!.sizes[1]!;
  // one more gradient evaluation: worth it for a network small enough to follow by hand
  if (numbers === null || n < 2 || numbers.gradient.length > 2_000) return blocks;
  // the claim, checked on this network: all parameters 0.5, the worked example's data
  const same = new Float64Array(parameterIds(ctx.graph).length).fill(0.5);
  const g = gradientValues(ctx.graph, same, numbers.data);
  const a = numbers.index.get(ids.theta(1, 1, 1))!;
  const b = numbers.index.get(ids.theta(1, n, 1))!;
  if (Math.abs(g[a]! - g[b]!) > 1e-12 * Math.max(1, Math.abs(g[a]!))) return blocks;
  const w = (j: number) => `\\frac{\\partial ${nt.cost}}{\\partial ${p.node(ids.theta(1, j, 1))}}`;
  blocks.push(
    para(
      "On this network, with the worked example's data: the weights from the first input into the first and the last neuron of the first hidden layer, with every parameter $0.5$ and from a random start:",
    ),
  );
  blocks.push(
    equations([
      `${w(1)} &= ${w(n)} = ${p.number(g[a]!)} \\quad \\text{(every parameter $0.5$)}`,
      `${w(1)} &= ${p.number(numbers.gradient[a]!)}, \\quad ${w(n)} = ${p.number(numbers.gradient[b]!)} \\quad \\text{(random start)}`,
    ]),
  );
  return blocks;
}
