/**
 * Sections 3–5 of a derivation: chain-rule expansions for every parameter (each path in its own
 * colour, the chosen parameter's paths named and drawn), the count of partial-derivative factors,
 * and the local partials evaluated.
 */
import { count, graphIndex, pathCounts, type Expr } from "@chainrule/core";
import { chainListing, chainRows, colouredPathName } from "../../latex/chains.js";
import { ACTIVATION_TEXT } from "../../latex/symbols.js";
import { equations, heading, math, para, type Block, type Inline } from "../model.js";
import { parameterGroups, type Context, type Shown } from "../context.js";
import { activationsOf } from "./network.js";

/**
 * Rows for a list of parameters, each with its chain (or local) rows, ⋮ where some are left out.
 * The chosen parameter has all its listed paths above; here every parameter lists at most two
 * unless the document is full, which keeps deep networks readable.
 */
function groupRows(ctx: Context, params: readonly Shown<string>[], form: "chain" | "local"): string[] {
  const rows: string[] = [];
  const max = ctx.options.full ? Infinity : Math.min(2, ctx.options.maxPaths);
  for (const p of params) {
    if (p === null) rows.push("&\\;\\;\\vdots");
    else rows.push(...chainRows(ctx.printer, chainListing(ctx.graph, p, max), form, ctx.options.factorsPerLine));
  }
  return rows;
}

/** Section 3: the chain rule for every parameter. */
export function chainSection(ctx: Context, figure: Block | null): Block[] {
  const p = ctx.printer;
  const param = ctx.options.param;
  const listing = chainListing(ctx.graph, param, ctx.options.maxPaths);
  const blocks: Block[] = [heading(2, "The chain rule, path by path")];
  blocks.push(
    para(
      "Any path from a parameter to the cost is a composition of functions, so the chain rule relates the two: $\\frac{\\partial}{\\partial z} p\\left(q\\left(z\\right)\\right) = \\frac{\\partial p}{\\partial q} \\frac{\\partial q}{\\partial z}$. When a parameter reaches the cost along several paths, its partial derivative is the sum of one chain per path.",
    ),
  );
  const n = listing.total;
  const names: Inline[] = [];
  listing.terms.forEach((t, i) => {
    if (i > 0) names.push({ kind: "text", text: i === listing.terms.length - 1 && listing.elided === 0n ? " and " : ", " });
    names.push({ kind: "text", text: `the ${t.colour.word} path ` }, math(colouredPathName(p, t.path, t.colour)));
  });
  if (listing.elided > 0n) names.push({ kind: "text", text: `, and ${listing.elided} more` });
  blocks.push(para(math(p.node(param)), ` reaches the cost along ${n} ${n === 1n ? "path" : "paths"}: `, names, "."));
  if (figure !== null) blocks.push(figure);
  blocks.push(para("Its derivative chain has one product per path, each in the colour of its path:"));
  blocks.push(equations(chainRows(p, listing, "chain", ctx.options.factorsPerLine, true)));
  if (graphIndex(ctx.graph).cost.l2 !== 0) {
    // the penalty has no node: θ → J directly, a term of its own rather than a chain
    blocks.push(
      para(
        "With the L2 penalty $\\frac{\\lambda}{2m}\\sum\\theta^{2}$ the cost also depends on every weight directly, along no path of the network, so each weight's partial gains the term $\\frac{\\partial}{\\partial \\theta} \\frac{\\lambda}{2m}\\sum\\theta^{2} = \\frac{\\lambda}{m}\\theta$ (the biases are not penalised).",
      ),
    );
  }
  blocks.push(para("The same for every parameter, starting next to the output:"));
  for (const g of parameterGroups(ctx)) {
    blocks.push(para(g.title));
    blocks.push(equations(groupRows(ctx, g.params, "chain")));
  }
  return blocks;
}

/** Section 4: how many factors the chains need. */
export function countSection(ctx: Context): Block[] {
  const c = count(ctx.graph);
  const blocks: Block[] = [heading(2, "Counting the factors")];
  blocks.push(
    para(
      `${c.parameters} ${c.parameters === 1 ? "parameter needs" : "parameters need"} ${c.chainFactors} partial-derivative factors`,
      ` (over ${c.paths} ${c.paths === 1 ? "path" : "paths"}), counted without listing a single path.`,
    ),
  );
  const breakdown = layerBreakdown(ctx);
  if (breakdown !== null) blocks.push(equations([`${breakdown} &= ${c.chainFactors}`]));
  if (graphIndex(ctx.graph).cost.l2 !== 0) blocks.push(para("The L2 term of each weight is not a chain: it adds no path and no factor to these counts."));
  const zs = graphIndex(ctx.graph).zs.length;
  blocks.push(
    para(
      `Many of these factors repeat. The chains grow with every layer, but the δ form below needs one δ per weighted sum — ${zs} here — each computed once and reused.`,
    ),
  );
  return blocks;
}

/**
 * For a layered network: Σ over layers of (parameters × paths × factors per path), e.g.
 * 4 · 3 + 4 · 2 · 5 for the post's 2-2-2 network; null when layers are not uniform.
 */
function layerBreakdown(ctx: Context): string | null {
  if (ctx.layers === null) return null;
  const { paths, factors } = pathCounts(ctx.graph);
  const params = graphIndex(ctx.graph).params;
  const byLayer = new Map<number, { n: number; p: bigint; f: bigint }>();
  for (const id of params) {
    const l = ctx.graph.nodes[id]!.label?.layer;
    if (l === undefined) return null;
    const p = paths.get(id)!;
    const f = factors.get(id)!;
    const hit = byLayer.get(l);
    if (hit === undefined) byLayer.set(l, { n: 1, p, f });
    else if (hit.p !== p || hit.f !== f) return null;
    else hit.n++;
  }
  const terms = [...byLayer.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([, { n, p, f }]) => {
      const per = f / p;
      return p === 1n ? `${n} \\cdot ${per}` : `${n} \\cdot ${p} \\cdot ${per}`;
    });
  return terms.join(" + ");
}

/** Section 5: the local partials, evaluated. */
export function localSection(ctx: Context): Block[] {
  const p = ctx.printer;
  const listing = chainListing(ctx.graph, ctx.options.param, ctx.options.maxPaths);
  const blocks: Block[] = [heading(2, "The local partials, evaluated")];
  blocks.push(para("Each factor of a chain is the partial derivative of one node with respect to the node feeding it, and each evaluates to a simple local expression. For the paths above:"));
  const seen = new Set<Expr>();
  const rows: string[] = [];
  for (const t of listing.terms) {
    t.partials.forEach((d, i) => {
      if (seen.has(d)) return;
      seen.add(d);
      rows.push(`${p.print(d)} &= ${p.print(t.locals[i]!)}`);
    });
  }
  blocks.push(equations(rows));
  const acts = activationsOf(ctx.graph).filter((a) => a !== "identity");
  if (acts.length > 0) {
    const parts: Inline[] = [];
    acts.forEach((a, i) => {
      if (i > 0) parts.push({ kind: "text", text: "; for " });
      parts.push({ kind: "text", text: `${ACTIVATION_TEXT[a].prose}, ` }, math(`f'\\left(z\\right) = ${ACTIVATION_TEXT[a].derivative("z", "a")}`));
    });
    blocks.push(
      para(
        "The derivative of an activation is taken with respect to its weighted sum, $f'\\left(z\\right)$ (the post writes it $f'\\left(a\\right)$). For ",
        parts,
        ", written with the activation $a = f\\left(z\\right)$ wherever that reuses the value the forward pass already computed.",
      ),
    );
  }
  blocks.push(para("Substituted into every chain:"));
  for (const g of parameterGroups(ctx)) {
    blocks.push(para(g.title));
    blocks.push(equations(groupRows(ctx, g.params, "local")));
  }
  return blocks;
}
