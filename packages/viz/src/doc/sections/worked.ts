/**
 * The worked example of a derivation: parameter values and data, the forward pass with every
 * number, the cost, the δs the document spells out, the chosen parameter's chains with every
 * factor's value, and the partials and weights after one gradient-descent step of the parameters
 * whose chains are printed (every parameter in a full document) — all from core's evaluator.
 */
import {
  type DeltaRef,
  deltaForm,
  forwardForm,
  graphIndex,
  ids,
  inputIds,
  nodeSym,
  type Sym,
  targetIds,
} from "@chainrule/core";
import { pathColour } from "../../colours.js";
import { colouredSumRows, partialOfCost } from "../../latex/chains.js";
import { joinForms, sideBySide } from "../../latex/fit.js";
import { shownIndices } from "../../latex/tensor.js";
import { alignWidths, measureLatex, ROW_BUDGET_EM } from "../../latex/width.js";
import { type Context, parameterGroups, representatives, type Shown, shownItems, shownNeurons } from "../context.js";
import { type Block, equations, heading, math, para } from "../model.js";
import type { ExampleTrace, WorkedExample } from "../worked-example.js";
import { shownZs } from "./deltas.js";

/** A printer that writes the numbers of one example (and θ, m, λ) in place of the symbols. */
function numericPrinter(ctx: Context, w: WorkedExample, trace: ExampleTrace) {
  const value = (e: Sym | DeltaRef): number | undefined => {
    if (e.kind === "delta") return trace.deltas.get(e.node);
    const r = e.ref;
    if (r.kind === "m") return w.data.m;
    if (r.kind === "lambda") return graphIndex(ctx.graph).cost.l2;
    if (r.kind === "theta") return w.theta[w.index.get(r.node)!];
    if (r.kind === "J" || r.kind === "lse") return undefined;
    if (r.kind === "ysum") {
      // Σᵢ yᵢ from the example's targets (the symbol's definition is their sum)
      const def = forwardForm(ctx.graph).definitions.get(e)!;
      const ys = def.kind === "add" ? def.terms : [def];
      return ys.reduce(
        (sum, t) => sum + (t.kind === "sym" && "node" in t.ref ? trace.values.get(t.ref.node)! : NaN),
        0,
      );
    }
    return "node" in r ? trace.values.get(r.node) : undefined;
  };
  return ctx.printer.with({ values: value });
}

/** The z and a nodes whose numbers are shown, in forward order. */
function forwardNodes(ctx: Context): Shown<string>[] {
  if (ctx.layers === null) {
    const idx = graphIndex(ctx.graph);
    const order = idx.order.filter((id) => ctx.graph.nodes[id]!.kind === "z" || ctx.graph.nodes[id]!.kind === "a");
    return shownItems(order, ctx.options.full ? Infinity : ctx.options.threshold * 6);
  }
  const out: Shown<string>[] = [];
  for (let l = 2; l <= ctx.layers.sizes.length; l++) {
    const js = shownNeurons(ctx, l);
    for (const j of js) out.push(j === null ? null : ids.z(l, j));
    for (const j of js) out.push(j === null ? null : ids.a(l, j));
  }
  return out;
}

/** Section 9: the worked example. */
export function workedSection(ctx: Context, w: WorkedExample): Block[] {
  const p = ctx.printer;
  const nt = p.notation;
  const num = (v: number) => p.number(v);
  const blocks: Block[] = [heading(2, "A worked example")];
  blocks.push(
    para(
      `With the parameter values and the ${w.data.m === 1 ? "example" : `${w.data.m} examples`} below and the learning rate $${nt.rate} = ${num(w.learningRate)}$. Every number is computed by evaluating the derivation above.`,
    ),
  );
  // Parameter values: for a layered network one row per receiving neuron (the parameters into it), as many to a row as fit
  const value = (id: string) => `${p.node(id)} = ${num(w.theta[w.index.get(id)!]!)}`;
  const rows: string[] = [];
  if (ctx.layers !== null) {
    const { sizes, bias } = ctx.layers;
    for (let l = sizes.length - 1; l >= 1; l--) {
      const ks = shownIndices(sizes[l - 1]!, ctx.options.threshold);
      for (const j of shownIndices(sizes[l]!, ctx.options.threshold)) {
        if (j === null) rows.push("\\vdots");
        else
          rows.push(
            ...packed([
              ...(bias ? [value(ids.theta(l, j, 0))] : []),
              ...ks.map((k) => (k === null ? "\\ldots" : value(ids.theta(l, j, k)))),
            ]),
          );
      }
    }
  } else {
    rows.push(
      ...packed(parameterGroups(ctx).flatMap((g) => g.params.map((id) => (id === null ? "\\ldots" : value(id))))),
    );
  }
  blocks.push(equations(rows.map((r) => `&${r}`)));
  const fwd = forwardForm(ctx.graph);
  const dform = deltaForm(ctx.graph);
  for (const trace of w.traces) {
    const q = numericPrinter(ctx, w, trace);
    const where = w.traces.length > 1 || w.data.m > 1 ? ` (example ${trace.example + 1} of ${w.data.m})` : "";
    // the example's inputs and targets, four to a row
    const given = [
      ...shownItems(inputIds(ctx.graph), ctx.options.threshold * 2),
      ...shownItems(targetIds(ctx.graph), ctx.options.threshold * 2),
    ].map((id) => (id === null ? "\\ldots" : `${p.node(id)} = ${num(trace.values.get(id)!)}`));
    blocks.push(para(`Forward pass${where}:`));
    const fw: string[] = packed(given).map((r) => `&${r}`);
    const rowsOf = (id: string) => {
      const s = nodeSym(ctx.graph.nodes[id]!);
      const def = fwd.definitions.get(s)!;
      return substitution(p.print(s), p.print(def), q.print(def), num(trace.values.get(id)!));
    };
    /** z = numbers = value, without its symbolic form (section 1 has it). */
    const numericRows = (id: string): string[] => {
      const s = nodeSym(ctx.graph.nodes[id]!);
      const def = fwd.definitions.get(s)!;
      return joinForms([[`${p.print(s)} &= ${q.print(def)}`], [`&= ${num(trace.values.get(id)!)}`]]);
    };
    /** a = f(number) = value, its symbolic form left to the row above. */
    const shortRow = (id: string) => {
      const s = nodeSym(ctx.graph.nodes[id]!);
      return `${p.print(s)} = ${q.print(fwd.definitions.get(s)!)} = ${num(trace.values.get(id)!)}`;
    };
    if (ctx.layers !== null) {
      // the cost's row, last in the group, has the widest left side
      const fits = (rows: readonly string[]) =>
        alignWidths([`${nt.cost}_{\\text{example}} &= 0`, ...fw, ...rows]).every((w) => w <= ROW_BUDGET_EM);
      for (let l = 2; l <= ctx.layers.sizes.length; l++) {
        // each z⁽ˡ⁾_j = … = value with a⁽ˡ⁾_j = f(value) = value after it on its last row, the z's
        // symbolic form dropped if that makes room; where an a does not fit beside its z, the
        // layer's z rows and then its a's, as many to a row as fit
        const joined: string[] = [];
        const zs: string[] = [];
        const as: string[] = [];
        let together = true;
        for (const j of shownNeurons(ctx, l)) {
          if (j === null) {
            joined.push("&\\;\\;\\vdots");
            zs.push("&\\;\\;\\vdots");
            as.push("\\ldots");
            continue;
          }
          const z = rowsOf(ids.z(l, j));
          const a = rowsOf(ids.a(l, j));
          const short = shortRow(ids.a(l, j));
          const after = (rows: readonly string[], next: string) => [
            ...rows.slice(0, -1),
            `${rows.at(-1)!}, \\quad ${next}`,
          ];
          const fit = [
            ...(a.length === 1 ? [after(z, a[0]!.replace("&", ""))] : []),
            after(z, short),
            after(numericRows(ids.z(l, j)), short),
          ].find((rows) => fits([...joined, ...rows]));
          if (fit === undefined) together = false;
          else joined.push(...fit);
          zs.push(...z);
          as.push(short);
        }
        fw.push(...(together ? joined : [...zs, ...packed(as).map((r) => `&${r}`)]));
      }
    } else {
      for (const id of forwardNodes(ctx)) id === null ? fw.push("&\\;\\;\\vdots") : fw.push(...rowsOf(id));
    }
    const short = p.with({ maxTerms: Math.min(3, ctx.options.maxTerms) });
    fw.push(
      ...substitution(
        `${nt.cost}_{\\text{example}}`,
        short.print(fwd.cost),
        q.with({ maxTerms: short.options.maxTerms }).print(fwd.cost),
        num(trace.cost),
      ),
    );
    blocks.push(equations(fw));
    blocks.push(para(`Backward pass${where}: the δs, from the output back.`));
    const bw: string[] = [];
    for (const z of shownZs(ctx)) {
      const d = z === null ? null : dform.byNode.get(z)!;
      if (d === null) bw.push("&\\;\\;\\vdots");
      else
        bw.push(
          ...substitution(p.print(d.ref), p.print(d.definition), q.print(d.definition), num(trace.deltas.get(d.node)!)),
        );
    }
    blocks.push(equations(bw));
    // The chosen parameter's chains with every factor's value.
    const chain = w.chains.get(ctx.options.param);
    if (chain !== undefined) {
      const e = w.traces.indexOf(trace);
      const products = chain.paths.map((pv, i) => ({
        colour: pathColour(i),
        path: i,
        factors: pv.factors[e]!.map((f) => `\\left(${num(f)}\\right)`),
      }));
      const crow = colouredSumRows(products, {
        lhs: partialOfCost(p, ctx.options.param),
        factorsPerLine: ctx.options.factorsPerLine,
        elided: chain.elided,
      });
      if (chain.elided === 0n) crow.push(`&= ${num(chain.paths.reduce((sum, pv) => sum + pv.products[e]!, 0))}`);
      const g = dform.byParam.get(ctx.options.param)!;
      crow.push(`&= ${p.print(g.perExample)} = ${q.print(g.perExample)} = ${num(chain.perExample[e]!)}`);
      blocks.push(
        para(
          "The chains of ",
          math(p.node(ctx.options.param)),
          `${where}, every factor evaluated; the δ form gives the same value:`,
        ),
      );
      blocks.push(equations(crow));
    }
  }
  // the partials and updates of the parameters whose chains are printed (all of them in a full document)
  const updated =
    ctx.layers !== null
      ? Array.from({ length: ctx.layers.sizes.length - 1 }, (_, i) =>
          representatives(ctx, ctx.layers!.sizes.length - 1 - i),
        ).flat()
      : null;
  const all = updated === null || updated.length === w.index.size;
  blocks.push(
    para(
      `Over the ${w.data.m === 1 ? "example" : `${w.data.m} examples`}, the cost is $${nt.cost} = ${num(w.cost)}$. The partial derivatives${all ? "" : " of the parameters whose chains are printed above"} and one step of gradient descent${all ? "" : " (every parameter takes the same step)"}, $\\theta := \\theta - ${nt.rate} \\frac{\\partial ${nt.cost}}{\\partial \\theta}$:`,
    ),
  );
  // ∂J/∂θ = g, then θ := θ − η g = θ′ on one row (the partial at text size, so the rows stay close)
  const updateRow = (id: string): string[] => {
    const i = w.index.get(id)!;
    return [
      `${partialOfCost(p, id).replace(/^\\frac/, "\\tfrac")} &= ${num(w.gradient[i]!)}`,
      `${p.node(id)} &:= ${num(w.theta[i]!)} - ${num(w.learningRate)} \\cdot ${wrapNeg(num(w.gradient[i]!))} = ${num(w.updated[i]!)}`,
    ];
  };
  const listed = updated ?? parameterGroups(ctx).flatMap((g) => g.params);
  blocks.push(equations(sideBySide(listed.map((id) => (id === null ? ["&\\;\\;\\vdots"] : updateRow(id))))));
  blocks.push(para(`After the step the cost is $${nt.cost} = ${num(w.costAfter)}$ (it was $${num(w.cost)}$).`));
  return blocks;
}

/**
 * lhs = symbolic = numbers = value on one row when it fits; else lhs = numbers = value, the
 * symbolic form being the one printed earlier in the document, on as few rows as fit the page.
 */
function substitution(lhs: string, symbolic: string, numeric: string, value: string): string[] {
  const all = joinForms([[`${lhs} &= ${symbolic}`], [`&= ${numeric}`], [`&= ${value}`]]);
  return all.length === 1 ? all : joinForms([[`${lhs} &= ${numeric}`], [`&= ${value}`]]);
}

/** Entries "θ = 0.5" joined by commas on as few rows as fit the page. */
function packed(entries: readonly string[]): string[] {
  const rows: string[] = [];
  const line: string[] = [];
  for (const e of entries) {
    if (line.length > 0 && measureLatex([...line, e].join(", \\quad ")) > ROW_BUDGET_EM - 4)
      rows.push(line.splice(0).join(", \\quad "));
    line.push(e);
  }
  if (line.length > 0) rows.push(line.join(", \\quad "));
  return rows;
}

function wrapNeg(s: string): string {
  return s.startsWith("-") ? `\\left(${s}\\right)` : s;
}
