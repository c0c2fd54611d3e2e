/**
 * The δ section of a derivation of a free-form graph: the δ terms — their definitions (as chains and
 * evaluated), how often each is reused, the post's substitution for the chosen parameter, and
 * every partial as δ times the input its parameter weights — and the pieces the layer-by-layer
 * section of a layered network shares with it.
 */
import {
  type ANode,
  add,
  COST_TABLE,
  type DeltaEntry,
  deltaForm,
  type Expr,
  flowOf,
  graphIndex,
  ids,
  mul,
} from "@chainrule/core";
import { partialOfCost } from "../../latex/chains.js";
import { deltaSubstitutionRows } from "../../latex/delta-steps.js";
import { joinForms } from "../../latex/fit.js";
import { type Context, parameterGroups, representatives, type Shown, shownItems, shownNeurons } from "../context.js";
import { type Block, equations, heading, type Inline, math, note, para } from "../model.js";

/** δ_z = Σ over z's activations a of (Σ over a's consumers s of δ_s ∂s/∂a, or ∂J/∂a) · ∂a/∂z, as partials. */
export function chainDefinition(ctx: Context, z: string): Expr {
  const flow = flowOf(ctx.graph);
  const terms = (flow.succ.get(z) ?? []).map((a) => {
    const inner = (flow.succ.get(a) ?? []).map((s) =>
      s === ctx.cost ? flow.partialOf(a, s) : mul(deltaRef(ctx, s), flow.partialOf(a, s)),
    );
    return mul(add(...inner), flow.partialOf(z, a));
  });
  return add(...terms);
}

function deltaRef(ctx: Context, z: string): Expr {
  return deltaForm(ctx.graph).byNode.get(z)!.ref;
}

/** The z nodes whose δ is shown: per layer from the output back, or all (elided) for a DAG. */
export function shownZs(ctx: Context): Shown<string>[] {
  if (ctx.layers === null) {
    const zs = deltaForm(ctx.graph).deltas.map((d) => d.node);
    return shownItems(zs, ctx.options.full ? Infinity : ctx.options.threshold * 4);
  }
  const out: Shown<string>[] = [];
  for (let l = ctx.layers.sizes.length; l >= 2; l--)
    out.push(...deltaNeurons(ctx, l).map((j) => (j === null ? null : ids.z(l, j))));
  return out;
}

/**
 * The neurons of post layer l whose δ a document spells out: every shown neuron of the output
 * layer (or of any layer in a full document); in a hidden layer, the neurons of the parameters
 * whose chains are printed, and a gap (null) where two neurons or more lie between them — a
 * single neuron between two is spelled out too, as a gap always stands for two items or more.
 */
export function deltaNeurons(ctx: Context, l: number): Shown<number>[] {
  if (ctx.options.full || l === ctx.layers!.sizes.length) return shownNeurons(ctx, l);
  const js = [...new Set(representatives(ctx, l - 1).map((id) => ctx.graph.nodes[id]!.label!.j))].sort((a, b) => a - b);
  return js.flatMap((j, i) => {
    const prev = i === 0 ? j - 1 : js[i - 1]!;
    return j - prev > 2 ? [null, j] : j - prev === 2 ? [j - 1, j] : [j];
  });
}

/**
 * The rows defining the δs of some z nodes: each as the chain of partials it stands for, then
 * evaluated (and, for a fused softmax output, the textbook form under its assumption).
 */
export function deltaDefinitionRows(ctx: Context, zs: readonly Shown<string>[]): string[] {
  const p = ctx.printer;
  const form = deltaForm(ctx.graph);
  const rows: string[] = [];
  for (const z of zs) {
    if (z === null) {
      rows.push("&\\;\\;\\vdots");
      continue;
    }
    const d = form.byNode.get(z)!;
    // δ = the chain it stands for = evaluated, on one row when it fits
    rows.push(
      ...joinForms([[`${p.print(d.ref)} &= ${p.print(chainDefinition(ctx, z))}`], [`&= ${p.print(d.definition)}`]]),
    );
    const shortcut = normalisedDelta(ctx, d);
    if (shortcut !== null)
      rows.push(`&= ${p.print(shortcut)} \\quad \\text{when } \\textstyle\\sum_{i} ${p.notation.y("i")} = 1`);
  }
  return rows;
}

/** How often each shown δ is used, in one paragraph: "δ⁽³⁾₁ is used 4 times, …". */
export function reuseBlocks(ctx: Context, zs: readonly Shown<string>[]): Block[] {
  const p = ctx.printer;
  const form = deltaForm(ctx.graph);
  const reuse: Inline[] = [];
  const shown = zs.filter((z): z is string => z !== null);
  shown.forEach((z, i) => {
    const d = form.byNode.get(z)!;
    if (i > 0) reuse.push({ kind: "text", text: i === shown.length - 1 ? " and " : ", " });
    reuse.push(math(p.print(d.ref)), {
      kind: "text",
      text: ` is used ${d.uses === 1 ? "once" : d.uses === 2 ? "twice" : `${d.uses} times`}`,
    });
  });
  const gap = zs.length > shown.length ? " (of the δs shown)" : "";
  return [
    para(
      "Each δ is computed once and used by the δs of the layer before it and by the gradients of the parameters feeding its $z$",
      gap,
      ": ",
      reuse,
      ".",
    ),
  ];
}

/** ∂J/∂θ = δ · input, plus the L2 term once per batch for a weight with L2. */
export function gradientRow(ctx: Context, id: string): string {
  const p = ctx.printer;
  const g = deltaForm(ctx.graph).byParam.get(id)!;
  const batch = g.batch.kind === "const" && g.batch.value === 0 ? "" : ` + ${p.print(g.batch)}`;
  return `${partialOfCost(p, id)} &= ${p.print(g.perExample)}${batch}`;
}

/** The δ section of a free-form graph: δ terms defined, reused and substituted, and every partial as δ times an input. */
export function deltaSection(ctx: Context): Block[] {
  const p = ctx.printer;
  const form = deltaForm(ctx.graph);
  const blocks: Block[] = [heading(2, "The δ terms")];
  blocks.push(
    para(
      "Look at the chains again: the factors from the cost back to a weighted sum $z$ are the same in every chain that passes through $z$. Call their sum the error term of $z$, $\\delta = \\frac{\\partial J}{\\partial z}$, compute it once, and reuse it. Working backwards, each δ is defined through the δs of the layer after it:",
    ),
  );
  const zs = shownZs(ctx);
  blocks.push(equations(deltaDefinitionRows(ctx, zs)));
  blocks.push(outputNote(ctx, form.deltas));
  blocks.push(...reuseBlocks(ctx, zs));
  const param = ctx.options.param;
  blocks.push(
    para(
      "Substituting them into the chains of ",
      math(p.node(param)),
      ": the first factors of each chain are a δ of the next layer, the remaining local partials are a weight and the activation's derivative, and the common last factor comes out of the sum, leaving the δ of the parameter's own weighted sum.",
    ),
  );
  blocks.push(
    equations(
      deltaSubstitutionRows(p, ctx.graph, param, {
        maxTerms: ctx.options.maxPaths,
        factorsPerLine: ctx.options.factorsPerLine + 1,
      }),
    ),
  );
  const l2 = graphIndex(ctx.graph).cost.l2 !== 0;
  blocks.push(
    para(
      `So every partial derivative is a δ times the value its parameter weights (1 for a bias)${l2 ? ", plus a weight's L2 term" : ""}:`,
    ),
  );
  for (const g of parameterGroups(ctx)) {
    blocks.push(para(g.title));
    blocks.push(equations(g.params.map((id) => (id === null ? "&\\;\\;\\vdots" : gradientRow(ctx, id)))));
  }
  if (l2) {
    blocks.push(
      para(
        "The L2 term $\\frac{\\lambda}{m}\\theta$ is added once per batch, not once per example: it does not depend on the data.",
      ),
    );
  }
  return blocks;
}

/** The textbook form of a fused output δ when it needs the targets to sum to 1, else null. */
function normalisedDelta(ctx: Context, d: DeltaEntry): Expr | null {
  const rule = COST_TABLE[graphIndex(ctx.graph).cost.cost].normalisedDelta;
  if (!d.fused || rule === null) return null;
  const flow = flowOf(ctx.graph);
  const own = (flow.succ.get(d.node) ?? []).find((a) => (ctx.graph.nodes[a] as ANode).z === d.node);
  const out = own === undefined ? undefined : flow.outputs.get(own);
  return out === undefined ? null : rule(out);
}

/** The note on the output δ: what it is here and where the post's formula differs. */
export function outputNote(ctx: Context, deltas: readonly DeltaEntry[]): Block {
  const cost = graphIndex(ctx.graph).cost.cost;
  const fused = deltas.some((d) => d.fused);
  // the full account is in "Where this differs from the post"; here, where the post's formula stands, a pointer
  const sign =
    "The post writes $\\frac{1}{m}\\left(y - a^{(L)}\\right) f'\\left(a^{(L)}\\right)$ here; on the sign and $f'\\left(z\\right)$, see the last section.";
  if (cost === "mse" && !fused) return note(sign);
  if (fused && cost === "cross-entropy") {
    const y = ctx.printer.notation.y;
    return note(
      `Here the softmax and the cost fit together: with $\\frac{\\partial J}{\\partial a_i} = -\\frac{1}{m}\\frac{${y("i")}}{a_i}$ and $\\frac{\\partial a_i}{\\partial z_j} = a_i\\left(1 - a_j\\right)$ for $i = j$, $-a_i a_j$ otherwise, the sum over the outputs $i$ is $\\frac{1}{m}\\left(a_j \\sum_i ${y("i")} - ${y("j")}\\right)$. `,
      `The familiar $\\frac{1}{m}\\left(a_j - ${y("j")}\\right)$ needs the assumption $\\sum_i ${y("i")} = 1$ for every example (one-hot labels or probabilities); the general form holds for any targets, and it is the one computed here.`,
    );
  }
  if (fused) {
    return note(
      "Here the output activation and the cost fit together: the activation's derivative cancels against the cost's, and the output δ is simply $\\frac{1}{m}\\left(a - y\\right)$. ",
      cost === "mse" ? sign : "",
    );
  }
  return note(
    "The output δ combines the cost's derivative $\\frac{\\partial J}{\\partial a}$ with the activation's derivative $f'\\left(z\\right)$.",
  );
}

/**
 * ∂J/∂θ⁽ˡ⁾_jk = δ⁽ˡ⁺¹⁾_j (∂z/∂θ) = δ⁽ˡ⁺¹⁾_j a⁽ˡ⁾_k (+ (λ/m)θ⁽ˡ⁾_jk with L2) for weight layer l, a
 * number or (null) the symbolic l.
 */
export function gradientIndexForm(ctx: Context, l: number | null, withStep: boolean): string {
  const nt = ctx.printer.notation;
  const w = l ?? { symbol: "l", offset: 0 };
  const u = l ?? { symbol: "l", offset: 0 };
  const u1 = l === null ? { symbol: "l", offset: 1 } : l + 1;
  const l2 = graphIndex(ctx.graph).cost.l2 !== 0 ? ` + \\frac{\\lambda}{m} ${nt.weight(w, "j", "k")}` : "";
  const step = withStep
    ? ` \\left(\\frac{\\partial ${nt.z(u1, "j")}}{\\partial ${nt.weight(w, "j", "k")}}\\right)${l2} = ${nt.delta(u1, "j")}`
    : "";
  return `\\frac{\\partial ${nt.cost}}{\\partial ${nt.weight(w, "j", "k")}} &= ${nt.delta(u1, "j")}${step} ${nt.a(u, "k")}${l2}`;
}
