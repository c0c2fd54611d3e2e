/**
 * A derivation document that follows the post, for any network: the network and the forward
 * pass, the cost, chain-rule expansions path by path, the count of factors, the local partials,
 * the δ terms, the matrix form, the algorithm and — given numbers — a worked example.
 * Layered networks get every section; free-form DAGs (skip connections, tied weights) the ones
 * that apply to any graph. Each chain is printed once, a few representative parameters per layer
 * unless the document is full, and wide layers are elided, so the document's size and the time to
 * make it stay linear in the network. Rows too wide for the page are broken across lines.
 */
import { type Graph, graphIndex } from "@chainrule/core";
import { pathColour } from "../colours.js";
import { networkSvg } from "../diagram/svg.js";
import { networkTikz } from "../diagram/tikz.js";
import { chainListing } from "../latex/chains.js";
import { fitRows } from "../latex/fit.js";
import { type Context, type DerivationOptions, makeContext } from "./context.js";
import { type Block, type DerivationDocument, heading, type Inline, list, math, para } from "./model.js";
import { chainSection, countSection, localSection } from "./sections/chains.js";
import { checkedSection, checkNumbers } from "./sections/checked.js";
import { deltaSection } from "./sections/deltas.js";
import { layeredDeltaSection } from "./sections/layers.js";
import { algorithmSection, matrixSection } from "./sections/matrix.js";
import { costSection, networkSection, safeMatrixForm } from "./sections/network.js";
import { workedSection } from "./sections/worked.js";
import { type WorkedExample, workedExample } from "./worked-example.js";

/** The network figure with the chosen parameter's paths highlighted. */
function figure(ctx: Context): Block {
  const o = ctx.options;
  const diagram = { param: o.param, threshold: o.threshold, maxPaths: o.maxPaths, notation: o.notation };
  const listing = chainListing(ctx.graph, o.param, o.maxPaths);
  const caption: Inline[] = [
    {
      kind: "text",
      text: "The network, each neuron split into its weighted sum z and its activation a. The paths from ",
    },
    math(ctx.printer.node(o.param)),
    { kind: "text", text: " to the cost are drawn in " },
  ];
  // colour, line and number: the paths stay apart in black-and-white print too
  caption.push({
    kind: "text",
    text:
      listing.terms.map((_, i) => `${pathColour(i).word} (${pathColour(i).line}, ${i + 1})`).join(", ") +
      (listing.elided > 0n ? ` (and ${listing.elided} more)` : "") +
      ".",
  });
  return {
    kind: "figure",
    svg: networkSvg(ctx.graph, { ...diagram, title: o.title }),
    tikz: networkTikz(ctx.graph, diagram),
    file: "network.svg",
    caption,
  };
}

/**
 * Where the document departs from the post, and why: only the notes that apply to this network
 * (the output error's sign for the post's squared error, f′(z) where an activation's derivative is
 * printed, column vectors where there is a matrix form, the count of 52 for the post's networks,
 * the softmax step's assumption for softmax with cross-entropy).
 */
function differences(ctx: Context): Block[] {
  const cost = graphIndex(ctx.graph).cost;
  const acts = new Set(
    ctx.graph.layers?.activations ??
      Object.values(ctx.graph.nodes).flatMap((n) => (n.kind === "a" ? [n.activation] : [])),
  );
  const notes: string[] = [];
  if (cost.cost === "mse") {
    notes.push(
      "Sign of the output error: the post writes $\\delta^{(L)} = \\frac{1}{m}\\left(y - a^{(L)}\\right) f'\\left(a^{(L)}\\right)$, but for $J = \\frac{1}{2m}\\sum\\left(y - a\\right)^{2}$, $\\frac{\\partial J}{\\partial a} = -\\frac{1}{m}\\left(y - a\\right)$, so the sign printed here is $\\frac{1}{m}\\left(a - y\\right)$.",
    );
  }
  const derived = [...acts].filter((a) => a !== "identity" && a !== "softmax");
  if (derived.length > 0) {
    const sigmoid = acts.has("sigmoid")
      ? "; for the sigmoid it equals $a\\left(1 - a\\right)$"
      : acts.has("tanh")
        ? "; for tanh it equals $1 - a^{2}$"
        : "";
    notes.push(
      `The activation's derivative is $f'\\left(z\\right)$, taken at the weighted sum${sigmoid}. The post writes $f'\\left(a\\right)$.`,
    );
  }
  if (acts.has("softmax") && cost.cost === "cross-entropy") {
    notes.push(
      "The post's output layer is a sigmoid with the squared error; with softmax and cross-entropy the output δ is $\\frac{1}{m}\\left(a \\sum_{i} y_{i} - y\\right)$, the familiar $\\frac{1}{m}\\left(a - y\\right)$ when every target row sums to 1.",
    );
  }
  if (ctx.layers !== null && safeMatrixForm(ctx.graph) !== null) {
    notes.push(
      "Vectors are columns: $\\delta^{(l)} = \\left(\\Theta^{(l)}\\right)^{\\mathsf{T}} \\delta^{(l+1)} \\odot f'\\left(z^{(l)}\\right)$ and $\\frac{\\partial J}{\\partial \\Theta^{(l)}} = \\delta^{(l+1)} \\left(a^{(l)}\\right)^{\\mathsf{T}}$. The post's are rows, $\\delta^{(l)} = \\delta^{(l+1)} \\Theta^{(l)} f'\\left(a^{(l)}\\right)$ and $\\frac{\\partial J}{\\partial \\Theta^{(l)}} = \\left(\\delta^{(l+1)}\\right)^{\\mathsf{T}} a^{(l)}$: the same numbers.",
    );
  }
  const sizes = ctx.layers?.sizes.join("-");
  if (ctx.layers !== null && !ctx.layers.bias && (sizes === "2-2-2" || sizes === "1-1-1")) {
    notes.push(
      "The post's 52 partial derivative terms for the 2-2-2 network count factors: $4 \\cdot 3 + 4 \\cdot 2 \\cdot 5 = 52$ (and $1 \\cdot 3 + 1 \\cdot 5 = 8$ for the 1-1-1 network).",
    );
  }
  notes.push(
    "The gradient-descent step is $\\Delta\\theta_i = -\\eta \\frac{\\partial J}{\\partial \\theta_i}$, against the gradient.",
  );
  return [
    heading(2, "Where this differs from the post"),
    list(false, notes),
    ...(ctx.options.notation !== "post" ? [para("(These notes use the post's notation.)")] : []),
  ];
}

/** The numbers of the worked example a document would print, or null without values. */
export function documentNumbers(graph: Graph, options: DerivationOptions = {}): WorkedExample | null {
  const ctx = makeContext(graph, options);
  return numbersOf(ctx);
}

function numbersOf(ctx: Context): WorkedExample | null {
  const v = ctx.options.values;
  if (v === null) return null;
  return workedExample(ctx.graph, v.theta, v.data, {
    learningRate: ctx.options.learningRate,
    params: [ctx.options.param],
    maxPaths: ctx.options.maxPaths,
    examples: ctx.options.maxExamples,
  });
}

/**
 * The derivation document of a graph.
 *
 * @example
 * const doc = derivation(layered({ sizes: [2, 2, 2], bias: false }));
 * const tex = toStandaloneLatex(doc);
 */
export function derivation(graph: Graph, options: DerivationOptions = {}): DerivationDocument {
  const ctx = makeContext(graph, options);
  const numbers = numbersOf(ctx);
  // checked first: a document whose numbers disagree with each other or with J is not made
  const check = numbers === null ? null : checkNumbers(ctx, numbers);
  const blocks: Block[] = [
    para(
      "This document derives the partial derivatives of the cost with respect to every parameter the way the post does: by the chain rule along every path, then by reusing the shared parts as δ terms.",
      ctx.options.full
        ? ""
        : ctx.layers !== null
          ? " Wide layers show their first neurons, a gap, and the last; each layer's chains are shown for a few of its parameters."
          : " Long lists show their first items, a gap, and the last.",
    ),
    ...networkSection(ctx),
    ...costSection(ctx),
    ...chainSection(ctx, ctx.options.diagram ? figure(ctx) : null),
    ...countSection(ctx),
    // a layered network's local partials are evaluated column by column with its δ terms
    ...(ctx.layers !== null ? [] : localSection(ctx)),
    ...(ctx.layers !== null ? layeredDeltaSection(ctx) : deltaSection(ctx)),
    ...matrixSection(ctx),
    ...algorithmSection(ctx, numbers),
  ];
  if (numbers !== null && check !== null) blocks.push(...workedSection(ctx, numbers), ...checkedSection(ctx, check));
  // number the sections in order: DAGs have no matrix section
  let n = 0;
  const numbered = blocks.map((b) => (b.kind === "heading" && b.level === 2 ? { ...b, text: `${++n}. ${b.text}` } : b));
  // every row of every equation group within the width of the page
  const fitted = [...numbered, ...differences(ctx)].map((b) =>
    b.kind === "equations" ? { ...b, rows: fitRows(b.rows) } : b,
  );
  return { title: ctx.options.title, blocks: fitted };
}
