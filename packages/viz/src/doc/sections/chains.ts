/**
 * The chain-rule sections of a derivation: the chain rule for the chosen parameter (each path in
 * its own colour, drawn in the figure) — for the 1-1-1 network the post's start, θ₂ first, then
 * θ₁ — the count of partial-derivative factors, and the local partials evaluated. A layered
 * network's other chains are printed once each, layer by layer, in the δ section; a free-form
 * graph's here, each followed by its local partials.
 */
import { count, type Expr, type Graph, graphIndex, ids, pathCounts } from "@chainrule/core";
import { coloured, pathNumberLatex } from "../../colours.js";
import { type ChainListing, chainListing, chainRows, colouredPathName } from "../../latex/chains.js";
import { sideBySide } from "../../latex/fit.js";
import type { LatexPrinter } from "../../latex/printer.js";
import { ACTIVATION_TEXT } from "../../latex/symbols.js";
import { type Context, parameterGroups } from "../context.js";
import { type Block, equations, heading, type Inline, math, para } from "../model.js";
import { activationsOf } from "./network.js";

/** Whether the network is the post's "starting simple" one: one input, one hidden neuron, one output. */
export function isStartingSimple(ctx: Context): boolean {
  return ctx.layers !== null && ctx.layers.sizes.join("-") === "1-1-1";
}

/**
 * The printer of the post's start: the two weights named θ₁ and θ₂ and the neurons without their
 * index (the post's notation only; other notations keep their own names).
 */
function simplePrinter(ctx: Context): LatexPrinter {
  if (ctx.options.notation !== "post") return ctx.printer;
  const names = new Map([
    [ids.theta(1, 1, 1), "\\theta_{1}"],
    [ids.theta(2, 1, 1), "\\theta_{2}"],
    [ids.z(2, 1), "z^{(2)}"],
    [ids.a(2, 1), "a^{(2)}"],
    [ids.z(3, 1), "z^{(3)}"],
    [ids.a(3, 1), "a^{(3)}"],
    [ids.x(1), "x"],
    [ids.y(1), "y"],
  ]);
  return ctx.printer.with({ names });
}

/** The parameters whose chains the chain-rule section prints: the chosen one, and both weights of the 1-1-1 network. */
export function chainsShownFirst(ctx: Context): Set<string> {
  return new Set(
    isStartingSimple(ctx) ? [ids.theta(2, 1, 1), ids.theta(1, 1, 1), ctx.options.param] : [ctx.options.param],
  );
}

/** "θ₂ is an input to z⁽³⁾, which is an input to a⁽³⁾, which is an input to J(θ)". */
function inputChain(p: LatexPrinter, path: readonly string[]): Inline[] {
  const out: Inline[] = [math(p.node(path[0]!))];
  path.slice(1).forEach((id, i) => {
    out.push({ kind: "text", text: i === 0 ? " is an input to " : ", which is an input to " }, math(p.node(id)));
  });
  return out;
}

/** The post's start on the 1-1-1 network: ∂J/∂θ₁ = ?, ∂J/∂θ₂ = ?, then θ₂'s chain first and θ₁'s. */
function startingSimple(ctx: Context): Block[] {
  const q = simplePrinter(ctx);
  const w1 = ids.theta(1, 1, 1);
  const w2 = ids.theta(2, 1, 1);
  const named = q !== ctx.printer;
  const blocks: Block[] = [];
  blocks.push(
    para(
      "Start, as the post does, with the simplest network: one input, one hidden neuron and one output. ",
      ...(named
        ? [
            "Call its two weights $\\theta_{1}$ and $\\theta_{2}$ and leave out the neuron index 1 ($\\theta_{1}$ is ",
            math(ctx.printer.node(w1)),
            " and $\\theta_{2}$ is ",
            math(ctx.printer.node(w2)),
            " in the rest of this document). ",
          ]
        : []),
      "How does the cost change as each weight changes?",
    ),
  );
  const cost = q.notation.cost;
  blocks.push(equations([w1, w2].map((w) => `\\frac{\\partial ${cost}}{\\partial ${q.node(w)}} &= ?`)));
  const second = chainListing(ctx.graph, w2);
  const first = chainListing(ctx.graph, w1);
  blocks.push(
    para(
      "Look at ",
      math(q.node(w2)),
      " first. ",
      ...inputChain(q, second.terms[0]!.path),
      ", so the chain rule gives",
    ),
  );
  blocks.push(equations(chainRows(q, second, "chain", ctx.options.factorsPerLine)));
  blocks.push(para("By the same logic, ", ...inputChain(q, first.terms[0]!.path), ":"));
  blocks.push(equations(chainRows(q, first, "chain", ctx.options.factorsPerLine)));
  return blocks;
}

/** The local rows of a listing continuing a chain: `&= …` with no left-hand side. */
export function localRows(p: LatexPrinter, listing: ChainListing, factorsPerLine: number): string[] {
  return chainRows(p, listing, "local", factorsPerLine).map((r, i) => (i === 0 ? r.replace(/^.*?&= /, "&= ") : r));
}

/** The chain rule for the chosen parameter (and, for a free-form graph, every parameter). */
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
  if (isStartingSimple(ctx)) {
    blocks.push(...startingSimple(ctx));
    if (figure !== null) blocks.push(figure);
  } else {
    const n = listing.total;
    const names: Inline[] = [];
    // the post's blue and orange path by name; more paths by their colours in the figure
    const spelled = listing.terms.length <= 2;
    listing.terms.forEach((t, i) => {
      if (i > 0)
        names.push({ kind: "text", text: i === listing.terms.length - 1 && listing.elided === 0n ? " and " : ", " });
      // its colour, and its number as the figure and the chains write it
      names.push(
        { kind: "text", text: `the ${t.colour.word} path ` },
        math(coloured(t.colour, pathNumberLatex(t.index))),
        ...(spelled ? [{ kind: "text", text: " " } as Inline, math(colouredPathName(p, t.path, t.colour))] : []),
      );
    });
    if (listing.elided > 0n) names.push({ kind: "text", text: `, and ${listing.elided} more` });
    if (!spelled)
      names.push({
        kind: "text",
        text: ` (from ${listing.terms[0]!.path.length - 1 === 1 ? "it" : "it through one neuron of each later layer"} to the cost)`,
      });
    blocks.push(para(math(p.node(param)), ` reaches the cost along ${n} ${n === 1n ? "path" : "paths"}: `, names, "."));
    if (figure !== null) blocks.push(figure);
    blocks.push(
      para(
        n === 1n
          ? "Its derivative chain:"
          : "Its derivative chain has one product per path, each in the colour of its path:",
      ),
    );
    blocks.push(equations(chainRows(p, listing, "chain", ctx.options.factorsPerLine, true)));
  }
  if (graphIndex(ctx.graph).cost.l2 !== 0) {
    // the penalty has no node: θ → J directly, a term of its own rather than a chain
    blocks.push(
      para(
        "With the L2 penalty $\\frac{\\lambda}{2m}\\sum\\theta^{2}$ the cost also depends on every weight directly, along no path of the network, so each weight's partial gains the term $\\frac{\\partial}{\\partial \\theta} \\frac{\\lambda}{2m}\\sum\\theta^{2} = \\frac{\\lambda}{m}\\theta$ (the biases are not penalised).",
      ),
    );
  }
  if (ctx.layers !== null) {
    blocks.push(para("The other parameters' chains are printed layer by layer with the δ terms, each once."));
    return blocks;
  }
  blocks.push(para("The same for every parameter, each chain followed by its local partials, evaluated:"));
  const max = ctx.options.full ? Infinity : Math.min(2, ctx.options.maxPaths);
  for (const g of parameterGroups(ctx)) {
    blocks.push(para(g.title));
    const rows: string[] = [];
    for (const id of g.params) {
      if (id === null) {
        rows.push("&\\;\\;\\vdots");
        continue;
      }
      const l = chainListing(ctx.graph, id, max);
      rows.push(
        ...chainRows(p, l, "chain", ctx.options.factorsPerLine),
        ...localRows(p, l, ctx.options.factorsPerLine),
      );
    }
    blocks.push(equations(rows));
  }
  return blocks;
}

/** How many factors the chains need. */
export function countSection(ctx: Context): Block[] {
  const c = count(ctx.graph);
  const blocks: Block[] = [heading(2, "Counting the factors")];
  // layer by layer (parameters × paths × factors per path) where the layers are uniform
  const breakdown = layerBreakdown(ctx.graph);
  blocks.push(
    para(
      `${c.parameters} ${c.parameters === 1 ? "parameter needs" : "parameters need"} ${c.chainFactors} partial-derivative factors`,
      ` (over ${c.paths} ${c.paths === 1 ? "path" : "paths"}), counted without listing a single path`,
      ...(breakdown === null ? ["."] : [": ", math(`${breakdown} = ${c.chainFactors}`), "."]),
    ),
  );
  if (graphIndex(ctx.graph).cost.l2 !== 0)
    blocks.push(para("The L2 term of each weight is not a chain: it adds no path and no factor to these counts."));
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
function layerBreakdown(graph: Graph): string | null {
  if (graph.layers === null) return null;
  const { paths, factors } = pathCounts(graph);
  const params = graphIndex(graph).params;
  const byLayer = new Map<number, { n: number; p: bigint; f: bigint }>();
  for (const id of params) {
    const l = graph.nodes[id]!.label?.layer;
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

/** The local partials of the chains above, evaluated (a free-form graph's section; a layered network's are in its δ section). */
export function localSection(ctx: Context): Block[] {
  const p = ctx.printer;
  const blocks: Block[] = [heading(2, "The local partials, evaluated")];
  blocks.push(
    para(
      "Each factor of a chain is the partial derivative of one node with respect to the node feeding it, and each evaluates to a simple local expression. For the paths above:",
    ),
  );
  const seen = new Set<Expr>();
  const pairs: string[] = [];
  for (const param of chainsShownFirst(ctx)) {
    for (const t of chainListing(ctx.graph, param, ctx.options.maxPaths).terms) {
      t.partials.forEach((d, i) => {
        if (seen.has(d)) return;
        seen.add(d);
        pairs.push(`${p.print(d)} &= ${p.print(t.locals[i]!)}`);
      });
    }
  }
  const twos: (readonly string[])[] = [];
  for (let i = 0; i < pairs.length; i += 2) twos.push(pairs.slice(i, i + 2));
  blocks.push(equations(sideBySide(twos)));
  const acts = activationsOf(ctx.graph).filter((a) => a !== "identity");
  if (acts.length > 0) {
    const parts: Inline[] = [];
    acts.forEach((a, i) => {
      if (i > 0) parts.push({ kind: "text", text: "; for " });
      parts.push(
        { kind: "text", text: `${ACTIVATION_TEXT[a].prose}, ` },
        math(`f'\\left(z\\right) = ${ACTIVATION_TEXT[a].derivative("z", "a")}`),
      );
    });
    blocks.push(
      para(
        "The derivative of an activation is taken with respect to its weighted sum, $f'\\left(z\\right)$ (the post writes it $f'\\left(a\\right)$). For ",
        parts,
        ", written with the activation $a = f\\left(z\\right)$ wherever that reuses the value the forward pass already computed.",
      ),
    );
  }
  return blocks;
}
