/**
 * The δ section of a layered network's derivation, in the post's order ("Generalizing a method"): one
 * part per weight layer, from the output back. Each part says what every column of the layer's
 * chains is, defines the δ those columns add up to (as chains, evaluated, and in index form),
 * prints the chains of the layer's representative parameters once each — the chain, its local
 * partials evaluated, the δ times the last column, δ times the input — and the layer's matrix form.
 */
import { deltaForm, type Expr, flowOf, graphIndex, ids } from "@chainrule/core";
import { chainFactor, chainListing, chainRows, partialOfCost } from "../../latex/chains.js";
import { deltaSubstitutionRows } from "../../latex/delta-steps.js";
import { joinForms, sideBySide } from "../../latex/fit.js";
import { ACTIVATION_TEXT } from "../../latex/symbols.js";
import { stepLatex } from "../../latex/tensor.js";
import { type Context, layerParameterCount, representatives } from "../context.js";
import { type Block, equations, heading, type Inline, list, math, note, para } from "../model.js";
import { chainsShownFirst, localRows } from "./chains.js";
import { deltaDefinitionRows, deltaNeurons, gradientIndexForm, outputNote, reuseBlocks, shownZs } from "./deltas.js";
import { expandedStep } from "./matrix.js";
import { safeMatrixForm } from "./network.js";

const ORDINALS = [
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
  "eleventh",
  "twelfth",
];
const ordinal = (n: number) => ORDINALS[n - 1] ?? `${n}th`;
const NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const howMany = (n: number) => NUMBERS[n] ?? String(n);

/** The notation's own number of weight layer l (post θ⁽ˡ⁾ is Ng's W^[l] and Nielsen's w^(l+1)). */
function ownWeightLayer(ctx: Context, l: number): number {
  const nt = ctx.printer.notation;
  return l + nt.weightOffset + nt.inputLayer - 1;
}

/** `(∂u/∂v) = local` for one column of a chain. */
function column(ctx: Context, partial: Expr, local: Expr): Inline {
  return math(`${chainFactor(ctx.printer, partial)} = ${ctx.printer.print(local)}`);
}

/** What the columns of the chains of weight layer l are, from the lead parameter's first path. */
function columnNotes(ctx: Context, l: number, lead: string): Block[] {
  const p = ctx.printer;
  const L = ctx.layers!.sizes.length;
  const t = chainListing(ctx.graph, lead, 1).terms[0]!;
  const f = t.partials.length;
  const inputWords = l === 1 ? "an input of the network" : "an activation of the layer before";
  const last: Inline[] = [
    { kind: "text", text: `The ${f === 3 ? "third" : "last"} column, ` },
    column(ctx, t.partials[f - 1]!, t.locals[f - 1]!),
    { kind: "text", text: `: the input the parameter multiplies, ${inputWords} (1 for a bias).` },
  ];
  const act = `${l + 1 === L ? "the output layer's" : "this layer's"} activation`;
  const derivative: Inline[] = [
    { kind: "text", text: `The ${ordinal(f - 1)} column, ` },
    column(ctx, t.partials[f - 2]!, t.locals[f - 2]!),
    ...paraInline(
      `: the derivative of ${act} at its weighted sum${l + 1 === L ? ", $f'\\left(z\\right)$ (the post writes $f'\\left(a\\right)$)" : ""}; a layer has one activation, so this column has the same form in all its chains.`,
    ),
  ];
  if (l + 1 === L) {
    const cost = graphIndex(ctx.graph).cost.cost;
    const what = cost === "mse" ? " — the actual minus the expected output, over $m$" : "";
    return [
      para("Each chain has three columns. For ", math(p.node(lead)), ":"),
      list(true, [
        [
          { kind: "text", text: "The first column, " },
          column(ctx, t.partials[0]!, t.locals[0]!),
          ...paraInline(`: how the cost changes with the output${what}.`),
        ],
        derivative,
        last,
      ]),
    ];
  }
  // the columns from the cost back to the next layer's z, the weight that joins it, f′, the input
  const c0 = f - 3;
  const next = t.path[3]!;
  const firsts: Inline[] = [
    { kind: "text", text: c0 === 2 ? "The first two columns, " : `The first ${howMany(c0)} columns, ` },
  ];
  t.partials.slice(0, c0).forEach((d, i) => {
    if (i > 0) firsts.push({ kind: "text", text: i === c0 - 1 ? " and " : ", " });
    firsts.push(math(chainFactor(p, d)));
  });
  firsts.push({ kind: "text", text: ": the error term " }, math(p.deltaOf(next)), {
    kind: "text",
    text: ` of the next layer's neuron on this path, computed above${c0 > 2 ? " (summed over the chains through it)" : ""}.`,
  });
  const weight: Inline[] = [
    { kind: "text", text: `The ${ordinal(c0 + 1)} column, ` },
    column(ctx, t.partials[c0]!, t.locals[c0]!),
    {
      kind: "text",
      text: `: the weight that joins the two neurons; it weights each δ, so the first ${howMany(c0 + 1)} columns are a share of the next layer's error.`,
    },
  ];
  const n = chainListing(ctx.graph, lead, 0).total;
  return [
    para(
      "Each chain has ",
      howMany(f),
      " columns, and ",
      math(p.node(lead)),
      ` reaches the cost along ${n} ${n === 1n ? "path" : "paths"}, one chain per path. For its first path:`,
    ),
    list(true, [firsts, weight, derivative, last]),
  ];
}

/** Library prose with `$…$` math as inline pieces. */
function paraInline(s: string): Inline[] {
  const b = para(s);
  return b.kind === "paragraph" ? [...b.content] : [];
}

/** δ⁽ˡ⁾_j = f′(z⁽ˡ⁾_j) Σᵢ θ⁽ˡ⁾_ij δ⁽ˡ⁺¹⁾_i: in general (symbolic l), or for post layer `layer` with its activation's derivative. */
function deltaIndexForm(ctx: Context, layer: number | null): string {
  const nt = ctx.printer.notation;
  if (layer === null) {
    const l = { symbol: "l", offset: 0 };
    const l1 = { symbol: "l", offset: 1 };
    // the weights out of layer l: θ⁽ˡ⁾ in the post's numbering, W^[l+1] in Ng's, w^(l+1) in Nielsen's
    return `${nt.delta(l, "j")} &= ${nt.derivative(l, nt.z(l, "j"))} \\sum_{i} ${nt.weight(l, "i", "j")} ${nt.delta(l1, "i")}`;
  }
  const act = ctx.layers!.activations[layer - 2]!;
  const fp = ACTIVATION_TEXT[act].derivative(nt.z(layer, "j"), nt.a(layer, "j"));
  const wrapped = /[+-]/.test(fp) && !fp.startsWith("\\left") ? `\\left(${fp}\\right)` : fp;
  const n = ctx.layers!.sizes[layer]!;
  return `${nt.delta(layer, "j")} &= ${wrapped} \\sum_{i=1}^{${n}} ${nt.weight(layer, "i", "j")} ${nt.delta(layer + 1, "i")}`;
}

/**
 * The rows of one parameter's chain, printed once: the chain (unless section 3 has it), its local
 * partials, δ times its last column, δ times its input — at most `maxPaths` paths of it.
 */
function chainBlockRows(
  ctx: Context,
  param: string,
  shownFirst: ReadonlySet<string>,
  deltaFirst: boolean,
  maxPaths = ctx.options.maxPaths,
): string[] {
  const p = ctx.printer;
  const listing = chainListing(ctx.graph, param, maxPaths);
  const chain = shownFirst.has(param) ? [] : chainRows(p, listing, "chain", ctx.options.factorsPerLine);
  const local = localRows(p, listing, ctx.options.factorsPerLine);
  // ∂J/∂θ = δ_z (∂z/∂θ) = δ_z · input (+ the L2 term)
  const flow = flowOf(ctx.graph);
  const g = deltaForm(ctx.graph).byParam.get(param)!;
  const zs = flow.succ.get(param) ?? [];
  const steps = zs
    .map((z) =>
      deltaFirst
        ? `${p.deltaOf(z)} ${chainFactor(p, flow.partialOf(param, z))}`
        : `${chainFactor(p, flow.partialOf(param, z))} ${p.deltaOf(z)}`,
    )
    .join(" + ");
  const l2 = g.batch.kind === "const" && g.batch.value === 0 ? "" : ` + ${p.print(g.batch)}`;
  const forms = [
    chain,
    chain.length === 0 ? [`${partialOfCost(p, param)} ${local[0]!}`, ...local.slice(1)] : local,
    [`&= ${steps}${l2} = ${p.print(g.perExample)}${l2}`],
  ];
  return joinForms(forms);
}

/**
 * The part of the δ section for weight layer l (θ⁽ˡ⁾, into layer l+1). The output layer's part states
 * the matrix convention; the part of the layer before it, the general index form of δ.
 */
function layerPart(ctx: Context, l: number): Block[] {
  const p = ctx.printer;
  const nt = p.notation;
  const { sizes } = ctx.layers!;
  const L = sizes.length;
  const output = l + 1 === L;
  const first = l >= L - 2;
  const reps = representatives(ctx, l);
  const isWeight = (id: string) => ctx.graph.nodes[id]!.label?.k !== 0;
  const lead = reps.includes(ctx.options.param) ? ctx.options.param : (reps.find(isWeight) ?? reps[0]!);
  const shownFirst = chainsShownFirst(ctx);
  const blocks: Block[] = [
    heading(3, `Layer ${ownWeightLayer(ctx, l)} parameters, into ${output ? "the output layer" : nt.layerWord(l + 1)}`),
  ];
  // the columns, one by one, for the output layer and the layer before it; deeper layers repeat that pattern
  if (l >= L - 2) blocks.push(...columnNotes(ctx, l, lead));
  else {
    const t = chainListing(ctx.graph, lead, 0);
    const f = chainListing(ctx.graph, lead, 1).terms[0]!.partials.length;
    blocks.push(
      para(
        "Each chain has ",
        howMany(f),
        " columns, and ",
        math(p.node(lead)),
        ` reaches the cost along ${t.total} paths. The columns are as in the layer after this one: those from the cost back to a weighted sum of the next layer add up, over its chains, to that neuron's δ; then come the joining weight, this layer's activation's derivative and the input.`,
      ),
    );
  }
  // the δs these columns add up to
  const zs = deltaNeurons(ctx, l + 1).map((j) => (j === null ? null : ids.z(l + 1, j)));
  const fused = deltaForm(ctx.graph).deltas.some((d) => d.fused);
  if (output) {
    blocks.push(
      para(
        fused
          ? "The first two columns, summed over the outputs, are the error term of output neuron $j$, "
          : "The first two columns together are the error term of output neuron $j$, ",
        math(`${nt.delta(l + 1, "j")} = \\frac{\\partial ${nt.cost}}{\\partial ${nt.z(l + 1, "j")}}`),
        ". Each neuron has one, computed once:",
      ),
    );
    blocks.push(equations(deltaDefinitionRows(ctx, zs)));
    blocks.push(outputNote(ctx, deltaForm(ctx.graph).deltas));
  } else {
    const columns = chainListing(ctx.graph, lead, 1).terms[0]!.partials.length - 1;
    blocks.push(
      para(
        `Summed over the chains, the first ${howMany(columns)} columns are the error term of neuron $j$ of this layer, `,
        math(`${nt.delta(l + 1, "j")} = \\frac{\\partial ${nt.cost}}{\\partial ${nt.z(l + 1, "j")}}`),
        first
          ? `. This extends δ to every layer but the output; in index form${ctx.options.full ? " and neuron by neuron" : ""}:`
          : `, in index form${ctx.options.full ? " and neuron by neuron" : ""}:`,
      ),
    );
    // in index form (in general, then for this layer); neuron by neuron in a full document
    // (side by side where they fit: a group of their own, as other rows would widen its columns)
    blocks.push(equations(sideBySide([[...(first ? [deltaIndexForm(ctx, null)] : []), deltaIndexForm(ctx, l + 1)]])));
    if (ctx.options.full) blocks.push(equations(deltaDefinitionRows(ctx, zs)));
  }
  // the chains, each once
  const some = reps.length < layerParameterCount(ctx, l);
  const which = some
    ? `Some of the layer's ${layerParameterCount(ctx, l)} parameters (the rest follow the same pattern)`
    : "The layer's parameters";
  if (output) {
    blocks.push(
      para(
        "So each chain is the δ of its neuron times its last column, the input. ",
        `${which}, each chain with its local partials evaluated and its δ form; last, any weight: its indices $j$ and $k$ are those of the δ and of the input:`,
      ),
    );
    blocks.push(
      equations([...reps.flatMap((id) => chainBlockRows(ctx, id, shownFirst, true)), gradientIndexForm(ctx, l, true)]),
    );
  } else {
    const own = p.deltaOf(ids.z(l + 1, ctx.graph.nodes[lead]!.label!.j));
    blocks.push(
      para(
        "Substituting into the chains of ",
        math(p.node(lead)),
        ": the first columns of each chain are a δ of the next layer, the next two a weight and the activation's derivative; the common last column comes out of the sum, leaving ",
        math(own),
        ":",
      ),
    );
    // the substitution starts from the chain with its first columns already grouped into δs;
    // (∂z/∂θ) δ and δ x share a row when they fit
    const subst = deltaSubstitutionRows(p, ctx.graph, lead, {
      maxTerms: ctx.options.maxPaths,
      factorsPerLine: ctx.options.factorsPerLine + 1,
    });
    blocks.push(equations(joinForms([subst.slice(0, -2), [subst.at(-2)!], [subst.at(-1)!]])));
    // more of the layer's chains next to the output; deeper layers repeat the lead's pattern
    const others = l === L - 2 || ctx.options.full ? reps.filter((id) => id !== lead) : [];
    const index = "last, any weight: its indices $j$ and $k$ are those of the δ and of the input";
    blocks.push(
      para(
        others.length === 0
          ? `The same for any weight of the layer: its indices $j$ and $k$ are those of the δ and of the input:`
          : `${some ? `${others.length === 1 ? "Another" : "More"} of the layer's ${layerParameterCount(ctx, l)} parameters (the rest follow the same pattern)` : "The layer's other parameters"}, each chain with its local partials evaluated and its δ form; ${index}:`,
      ),
    );
    // the lead parameter has every path above: the others show the first (and the count of the rest)
    const paths = ctx.options.full ? Infinity : 1;
    blocks.push(
      equations([
        ...others.flatMap((id) => chainBlockRows(ctx, id, shownFirst, false, paths)),
        gradientIndexForm(ctx, l, true),
      ]),
    );
  }
  // the layer's matrix form
  const mf = safeMatrixForm(ctx.graph);
  if (mf !== null) {
    const steps = mf.backward.filter(
      (s) => (s.kind === "delta" && s.layer === l + 1) || (s.kind === "gradient" && s.layer === l),
    );
    blocks.push(
      para(
        first && output
          ? "All of them at once, as matrices (vectors are columns, $\\odot$ is the element-wise product):"
          : first
            ? "All of them at once, as matrices:"
            : "All of them at once, as matrices, entry by entry as for the layer after this one:",
      ),
    );
    // the output δ's entries are the definitions above, and a deeper layer's expansion is the one
    // before it again: their vector forms are enough (a full document expands them all)
    const brief = (s: (typeof steps)[number]) => !ctx.options.full && ((s.kind === "delta" && s.layer === L) || !first);
    if (steps.every(brief)) {
      // vector forms only: two to a row where they fit
      const rows = steps.flatMap((s) => stepLatex(p, s));
      const pairs = Array.from({ length: Math.ceil(rows.length / 2) }, (_, i) => rows.slice(2 * i, 2 * i + 2));
      blocks.push(equations(sideBySide(pairs)));
    } else blocks.push(equations(steps.flatMap((s) => (brief(s) ? stepLatex(p, s) : expandedStep(ctx, s)))));
  }
  return blocks;
}

/** The δ section of a layered network: the δ terms, layer by layer from the output back. */
export function layeredDeltaSection(ctx: Context): Block[] {
  const L = ctx.layers!.sizes.length;
  const blocks: Block[] = [heading(2, "The δ terms")];
  blocks.push(
    para(
      "Layer by layer, from the output back: the columns from the cost back to a weighted sum $z$ are the same in every chain through $z$, and they add up to its error term $\\delta = \\frac{\\partial J}{\\partial z}$, computed once and reused.",
    ),
  );
  for (let l = L - 1; l >= 1; l--) blocks.push(...layerPart(ctx, l));
  blocks.push(...reuseBlocks(ctx, shownZs(ctx)));
  // in general, for any layer: with the matrix form in the matrix section, beside ∂J/∂Θ
  if (safeMatrixForm(ctx.graph) === null) {
    blocks.push(para("In general, for the weights of any layer $l$:"));
    blocks.push(equations([gradientIndexForm(ctx, null, false)]));
  }
  if (graphIndex(ctx.graph).cost.l2 !== 0) {
    blocks.push(
      note(
        "The L2 term $\\frac{\\lambda}{m}\\theta$ of a weight is added once per batch, not once per example: it does not depend on the data.",
      ),
    );
  }
  return blocks;
}
