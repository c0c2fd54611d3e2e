/**
 * Section 9 of a derivation: a worked example. Parameter values and data, the forward pass with
 * every number, the cost, the δs, the chosen parameter's chains with every factor's value, each
 * partial's value and the weights after one gradient-descent step — all from core's evaluator.
 */
import { deltaForm, forwardForm, graphIndex, ids, inputIds, nodeSym, targetIds, type DeltaRef, type Sym } from "@chainrule/core";
import { pathColour } from "../../colours.js";
import { colouredSumRows, partialOfCost } from "../../latex/chains.js";
import { equations, heading, math, para, type Block } from "../model.js";
import { parameterGroups, shownItems, shownNeurons, type Context, type Shown } from "../context.js";
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
      return ys.reduce((sum, t) => sum + (t.kind === "sym" && "node" in t.ref ? trace.values.get(t.ref.node)! : NaN), 0);
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
  // Parameter values, per neuron for a layered network.
  const rows: string[] = [];
  for (const g of parameterGroups(ctx)) {
    const line: string[] = [];
    let neuron: number | undefined;
    for (const id of g.params) {
      if (id === null) {
        if (line.length > 0) rows.push(line.splice(0).join(", \\quad "));
        rows.push("\\vdots");
        continue;
      }
      // one row per receiving neuron (the weights into it), at most four to a row
      const j = ctx.graph.nodes[id]!.label?.j;
      if (line.length > 0 && (line.length >= 4 || (j !== undefined && j !== neuron))) rows.push(line.splice(0).join(", \\quad "));
      neuron = j;
      line.push(`${p.node(id)} = ${num(w.theta[w.index.get(id)!]!)}`);
    }
    if (line.length > 0) rows.push(line.join(", \\quad "));
  }
  blocks.push(equations(rows.map((r) => `&${r}`)));
  const fwd = forwardForm(ctx.graph);
  const dform = deltaForm(ctx.graph);
  for (const trace of w.traces) {
    const q = numericPrinter(ctx, w, trace);
    const where = w.traces.length > 1 || w.data.m > 1 ? ` (example ${trace.example + 1} of ${w.data.m})` : "";
    // the example's inputs and targets, four to a row
    const given = [...shownItems(inputIds(ctx.graph), ctx.options.threshold * 2), ...shownItems(targetIds(ctx.graph), ctx.options.threshold * 2)].map((id) =>
      id === null ? "\\ldots" : `${p.node(id)} = ${num(trace.values.get(id)!)}`,
    );
    blocks.push(para(`Forward pass${where}:`));
    const fw: string[] = [];
    for (let i = 0; i < given.length; i += 4) fw.push(`&${given.slice(i, i + 4).join(", \\quad ")}`);
    for (const id of forwardNodes(ctx)) {
      if (id === null) {
        fw.push("&\\;\\;\\vdots");
        continue;
      }
      const s = nodeSym(ctx.graph.nodes[id]!);
      const def = fwd.definitions.get(s)!;
      fw.push(...substitution(p.print(s), p.print(def), q.print(def), num(trace.values.get(id)!)));
    }
    const short = p.with({ maxTerms: Math.min(3, ctx.options.maxTerms) });
    fw.push(...substitution(`${nt.cost}_{\\text{example}}`, short.print(fwd.cost), q.with({ maxTerms: short.options.maxTerms }).print(fwd.cost), num(trace.cost)));
    blocks.push(equations(fw));
    blocks.push(para(`Backward pass${where}: the δs, from the output back.`));
    const bw: string[] = [];
    for (const z of shownZs(ctx)) {
      const d = z === null ? null : dform.byNode.get(z)!;
      if (d === null) bw.push("&\\;\\;\\vdots");
      else bw.push(...substitution(p.print(d.ref), p.print(d.definition), q.print(d.definition), num(trace.deltas.get(d.node)!)));
    }
    blocks.push(equations(bw));
    // The chosen parameter's chains with every factor's value.
    const chain = w.chains.get(ctx.options.param);
    if (chain !== undefined) {
      const e = w.traces.indexOf(trace);
      const products = chain.paths.map((pv, i) => ({ colour: pathColour(i), factors: pv.factors[e]!.map((f) => `\\left(${num(f)}\\right)`) }));
      const crow = colouredSumRows(products, { lhs: partialOfCost(p, ctx.options.param), factorsPerLine: ctx.options.factorsPerLine, elided: chain.elided });
      if (chain.elided === 0n) crow.push(`&= ${num(chain.paths.reduce((sum, pv) => sum + pv.products[e]!, 0))}`);
      const g = dform.byParam.get(ctx.options.param)!;
      crow.push(`&= ${p.print(g.perExample)} = ${q.print(g.perExample)} = ${num(chain.perExample[e]!)}`);
      blocks.push(para("The chains of ", math(p.node(ctx.options.param)), `${where}, every factor evaluated; the δ form gives the same value:`));
      blocks.push(equations(crow));
    }
  }
  blocks.push(para(`Over the ${w.data.m === 1 ? "example" : `${w.data.m} examples`}, the cost is $${nt.cost} = ${num(w.cost)}$. The partial derivatives and one step of gradient descent:`));
  const upd: string[] = [];
  for (const g of parameterGroups(ctx)) {
    for (const id of g.params) {
      if (id === null) {
        upd.push("&\\;\\;\\vdots");
        continue;
      }
      const i = w.index.get(id)!;
      upd.push(`${partialOfCost(p, id)} &= ${num(w.gradient[i]!)} & ${p.node(id)} &:= ${num(w.theta[i]!)} - ${num(w.learningRate)} \\cdot ${wrapNeg(num(w.gradient[i]!))} = ${num(w.updated[i]!)}`);
    }
  }
  blocks.push(equations(upd));
  blocks.push(para(`After the step the cost is $${nt.cost} = ${num(w.costAfter)}$ (it was $${num(w.cost)}$).`));
  return blocks;
}

/** lhs = symbolic = numbers = value, on one row when it is short and on two when it is not. */
function substitution(lhs: string, symbolic: string, numeric: string, value: string): string[] {
  // LaTeX source length is a fair proxy for printed width
  if (lhs.length + symbolic.length + numeric.length < 110) return [`${lhs} &= ${symbolic} = ${numeric} = ${value}`];
  if (numeric.length < 140) return [`${lhs} &= ${symbolic}`, `&= ${numeric} = ${value}`];
  return [`${lhs} &= ${symbolic}`, `&= ${numeric}`, `&= ${value}`];
}

function wrapNeg(s: string): string {
  return s.startsWith("-") ? `\\left(${s}\\right)` : s;
}
