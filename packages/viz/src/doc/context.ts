/**
 * Options of a derivation document, checked once, and what every section shares: the printer,
 * the highlighted parameter, and which neurons and parameters are shown when layers are wide.
 */
import {
  ArgumentError,
  type Batch,
  checkShapes,
  count,
  type Graph,
  graphIndex,
  ids,
  type LayerInfo,
  layeredParameterCount,
  type ParamValues,
  parameterIds,
  TooLargeError,
} from "@chainrule/core";
import { notation as checkNotation, type NotationName } from "../latex/notation.js";
import { LatexPrinter } from "../latex/printer.js";
import { shownIndices } from "../latex/tensor.js";

/** Options of a derivation document. */
export interface DerivationOptions {
  /** Document title (user text, escaped). Default: "Backpropagation for a 2-2-2 network". */
  readonly title?: string;
  /** Notation of layered networks: post (default), ng or nielsen. */
  readonly notation?: NotationName | string;
  /** Node id of the parameter whose paths are coloured and drawn. Default θ⁽¹⁾₁₁ (or the first parameter). */
  readonly param?: string;
  /** Parameter values (in parameterIds order) and a batch: adds the worked example. */
  readonly values?: { readonly theta: ParamValues; readonly data: Batch };
  /** Learning rate η of the gradient-descent step in the worked example. Default 0.5. */
  readonly learningRate?: number;
  /** Print everything: no elision of wide layers, long sums or many paths. Default false. */
  readonly full?: boolean;
  /** Layers wider than this print their first two neurons, ⋯, and the last. Default 4. */
  readonly threshold?: number;
  /** Paths listed per partial before the rest are counted. Default 4. */
  readonly maxPaths?: number;
  /** Terms of a sum printed (the last one included) before the rest are elided with ⋯. Default 3. */
  readonly maxTerms?: number;
  /** Factors per line in long chains (rows wider than the page break earlier). Default 8. */
  readonly factorsPerLine?: number;
  /** Significant digits of numbers. Default 6. */
  readonly digits?: number;
  /** Examples whose forward pass and chains the worked example spells out. Default 2. */
  readonly maxExamples?: number;
  /** Include the network diagram. Default true. */
  readonly diagram?: boolean;
}

/** Options with every default filled in and checked. */
export interface Resolved {
  readonly title: string;
  readonly notation: NotationName;
  readonly param: string;
  readonly values: { readonly theta: ParamValues; readonly data: Batch } | null;
  readonly learningRate: number;
  readonly full: boolean;
  readonly threshold: number;
  readonly maxPaths: number;
  readonly maxTerms: number;
  readonly factorsPerLine: number;
  readonly digits: number;
  readonly maxExamples: number;
  readonly diagram: boolean;
}

/** What every section of one document shares. */
export interface Context {
  readonly graph: Graph;
  readonly layers: LayerInfo | null;
  readonly options: Resolved;
  /** Prints with the document's notation, digits and sum elision. */
  readonly printer: LatexPrinter;
  /** The cost node's id. */
  readonly cost: string;
}

function positive(name: string, v: number | undefined, fallback: number, allowInfinity = false): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || Number.isNaN(v) || v < 1 || (!allowInfinity && !Number.isFinite(v))) {
    throw new ArgumentError("invalid-value", `Option ${name} must be a whole number ≥ 1, got ${String(v)}.`, v);
  }
  return Number.isFinite(v) ? Math.floor(v) : v;
}

/** The first weight of layer 1 (θ⁽¹⁾₁₁, the post's example), else the first parameter. */
function defaultParam(graph: Graph): string {
  const first = ids.theta(1, 1, 1);
  if (graph.layers !== null && graph.nodes[first] !== undefined) return first;
  const ps = parameterIds(graph);
  if (ps.length === 0)
    throw new ArgumentError("invalid-argument", "The graph has no parameters, so there is nothing to derive.");
  return ps[0]!;
}

/**
 * Most chain factors a full document prints (each appears in the chain and the local section):
 * beyond this a full listing is tens of megabytes that nobody reads.
 */
export const MAX_FULL_FACTORS = 200_000;

/** Checks the options against the graph and fills in defaults. */
export function resolveOptions(graph: Graph, o: DerivationOptions = {}): Resolved {
  const nt = checkNotation(o.notation ?? "post").name;
  const param = o.param ?? defaultParam(graph);
  const params = parameterIds(graph);
  if (!params.includes(param)) {
    const some = params.slice(0, 6).join(", ") + (params.length > 6 ? ", …" : "");
    throw new ArgumentError(
      "unknown-parameter",
      `There is no parameter "${param}" in this graph; parameters are ${some}.`,
      param,
    );
  }
  if (o.values !== undefined) checkShapes(graph, o.values.theta, o.values.data);
  const rate = o.learningRate ?? 0.5;
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0) {
    throw new ArgumentError(
      "invalid-value",
      `The learning rate must be a finite number > 0, got ${String(rate)}.`,
      rate,
    );
  }
  const full = o.full ?? false;
  if (full) {
    const factors = count(graph).chainFactors;
    if (BigInt(factors) > BigInt(MAX_FULL_FACTORS)) {
      throw new TooLargeError(
        "too-large",
        `Printing everything would list ${factors} chain factors (more than ${MAX_FULL_FACTORS}); drop the full option (--full) to elide wide layers, or raise the threshold and the path limit instead.`,
        factors,
      );
    }
  }
  const digits = positive("digits", o.digits, 6);
  if (digits > 17) throw new ArgumentError("invalid-value", `Option digits must be at most 17, got ${digits}.`, digits);
  const sizes = graph.layers?.sizes.join("-");
  return {
    title:
      o.title ??
      (sizes !== undefined ? `Backpropagation for a ${sizes} network` : "Backpropagation for a computation graph"),
    notation: nt,
    param,
    values: o.values ?? null,
    learningRate: rate,
    full,
    threshold: full ? Infinity : positive("threshold", o.threshold, 4, true),
    maxPaths: full ? Infinity : positive("maxPaths", o.maxPaths, 4, true),
    maxTerms: full ? Infinity : Math.max(2, positive("maxTerms", o.maxTerms, 3, true)),
    factorsPerLine: positive("factorsPerLine", o.factorsPerLine, 8),
    digits,
    maxExamples: full ? Infinity : positive("maxExamples", o.maxExamples, 2, true),
    diagram: o.diagram ?? true,
  };
}

/** The shared context of one document. */
export function makeContext(graph: Graph, options: DerivationOptions = {}): Context {
  const r = resolveOptions(graph, options);
  return {
    graph,
    layers: graph.layers,
    options: r,
    printer: new LatexPrinter(graph, { notation: r.notation, maxTerms: r.maxTerms, digits: r.digits }),
    cost: graphIndex(graph).cost.id,
  };
}

/** An item of a listing, or null where the middle of a wide layer is left out. */
export type Shown<T> = T | null;

/** Neurons of post layer l (1-based) that are shown. */
export function shownNeurons(ctx: Context, l: number): Shown<number>[] {
  const n = ctx.layers!.sizes[l - 1]!;
  return shownIndices(n, ctx.options.threshold);
}

/** Parameters θ⁽ˡ⁾ that are shown (biases first per neuron), with null where some are left out. */
export function shownLayerParams(ctx: Context, l: number): Shown<string>[] {
  const { sizes, bias } = ctx.layers!;
  const out: Shown<string>[] = [];
  const ks = shownIndices(sizes[l - 1]!, ctx.options.threshold);
  for (const j of shownIndices(sizes[l]!, ctx.options.threshold)) {
    if (j === null) {
      out.push(null);
      continue;
    }
    if (bias) out.push(ids.theta(l, j, 0));
    for (const k of ks) out.push(k === null ? null : ids.theta(l, j, k));
  }
  // two gaps in a row read as one
  return out.filter((p, i) => !(p === null && out[i - 1] === null));
}

/** Items of a free-form list, the middle left out beyond `max` (the gap stands for two items or more). */
export function shownItems<T>(items: readonly T[], max: number): Shown<T>[] {
  const keep = Math.max(2, max - 1);
  if (items.length <= Math.max(3, keep + 2)) return [...items];
  return [...items.slice(0, keep), null, items[items.length - 1]!];
}

/**
 * The parameters of weight layer l (θ⁽ˡ⁾, into layer l+1) whose chains a document prints: all of
 * them in a full document or a layer of at most two; else the chosen parameter, the first weight
 * of the first neuron and the last neuron's bias (its last weight without biases), in layer order.
 */
export function representatives(ctx: Context, l: number): string[] {
  const { sizes, bias } = ctx.layers!;
  const from = sizes[l - 1]!;
  const to = sizes[l]!;
  const all: string[] = [];
  for (let j = 1; j <= to; j++) for (let k = bias ? 0 : 1; k <= from; k++) all.push(ids.theta(l, j, k));
  if (ctx.options.full || all.length <= 2) return all;
  const picked = new Set([ids.theta(l, 1, 1), ids.theta(l, to, bias ? 0 : from), ctx.options.param]);
  return all.filter((p) => picked.has(p));
}

/** How many parameters weight layer l has (core's count for the two layers it joins). */
export function layerParameterCount(ctx: Context, l: number): number {
  const { sizes, bias } = ctx.layers!;
  return layeredParameterCount(sizes.slice(l - 1, l + 1), bias);
}

/** Parameter ids grouped for the chain sections: per layer from the output back (layered), or all. */
export function parameterGroups(ctx: Context): { readonly title: string; readonly params: Shown<string>[] }[] {
  if (ctx.layers === null) {
    return [
      {
        title: "All parameters:",
        params: shownItems(parameterIds(ctx.graph), ctx.options.full ? Infinity : ctx.options.threshold * 4),
      },
    ];
  }
  const nt = ctx.printer.notation;
  const L = ctx.layers.sizes.length;
  const groups = [];
  for (let l = L - 1; l >= 1; l--) {
    // library prose: the notation's LaTeX between $ signs
    const biases = ctx.layers.bias ? ` and $${nt.biasVector(l)}$` : "";
    groups.push({
      title: `Parameters $${nt.weightMatrix(l)}$${biases}, into ${nt.layerWord(l + 1)}:`,
      params: shownLayerParams(ctx, l),
    });
  }
  return groups;
}
