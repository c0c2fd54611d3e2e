/**
 * Size guards: before a verb builds anything, its work is estimated from what it was asked — the
 * layer sizes, biases, examples, the form and format of a derivation, the parameter whose paths
 * are listed, how many partials a check takes, the size of a document — and a run above the limit
 * is refused at once, in one line that names the limit and `--max-work`, the one option that
 * raises it. Limits of core and nn that no option raises (the largest per-weight graph, the path
 * limit of chain forms, the largest network, program buffers, the longest text a run can print)
 * are checked here first, and named.
 *
 * Work is counted in steps of about a nanosecond on one core of a laptop (measured with the CLI
 * itself; the unit costs are below). The estimates are meant to be right within a factor of about
 * two: their job is telling seconds from hours, before the hours start.
 */
import {
  type LayerSpec,
  layeredInfo,
  layeredPathCounts,
  MAX_CHAIN_PATHS,
  MAX_GRAPH_PARAMETERS,
  TooLargeError,
} from "@chainrule/core";
import { MAX_PARAMETERS, MAX_PROGRAM_BUFFER } from "@chainrule/nn";
import { CHECKED_CHAIN_PATHS, checkedSampleSize, MAX_FULL_FACTORS } from "@chainrule/viz";
import { parseNumber } from "./args.js";
import type { OptionSpec, ValuesOf } from "./verb.js";

/** The default work limit: about ten seconds. */
export const DEFAULT_MAX_WORK = 1e10;

/** The most characters one run prints or writes as one text (a JavaScript string holds at most 2^29 − 24). */
export const MAX_OUTPUT_CHARS = 400_000_000;

/** The option every guarded verb takes. */
export const MAX_WORK_OPTION = {
  "max-work": {
    type: "string",
    value: "N",
    description: `refuse a run estimated at more than N steps of work (about a nanosecond each); default ${DEFAULT_MAX_WORK.toExponential().replace("e+", "e")}, about ten seconds (see docs/formats.md, "Sizes and limits")`,
  },
} as const satisfies Record<string, OptionSpec>;

/**
 * Measured unit costs, in steps (≈ ns). Each is the slowest of text, JSON and LaTeX where the
 * formats differ, rounded up.
 */
export const COST = {
  /** Building and validating the per-weight graph of a layered network, per parameter. */
  graph: 12_000,
  /** Deriving the δ form (forward steps, δ table, gradients) and printing it, per parameter. */
  deltaForm: 30_000,
  /** Writing and printing the straight-line code of J and every gradient, per parameter. */
  code: 60_000,
  /** Listing one chain factor (∂u/∂v of one path) and printing it, per factor, by format. */
  chainFactor: { text: 9_000, json: 15_000, latex: 5_000 },
  /** nn's matrix engine from the layer sizes (its program and buffers), per parameter. */
  engine: 100,
  /** One multiply-add of nn's matrix kernels. */
  mac: 2,
  /** core's interpreter: the forward values and δs of one parameter's share of one example. */
  interpreted: 500,
  /** core's interpreter: setting up a derivation over the graph (flow, symbols), per parameter. */
  interpreterSetup: 25_000,
  /** One chain factor of one example evaluated by core's interpreter (check's chain and local forms). */
  chainValue: 1_500,
  /** A parameter's name and group for a sampled check, per parameter. */
  names: 150,
  /** The derivation document (render): per parameter (δ form, forward pass, worked example's numbers). */
  document: 30_000,
  /** The derivation document: per factor printed (its LaTeX, Markdown and typeset HTML). */
  printedFactor: 250_000,
  /** core's straight-line code for J alone (a document's finite differences), per parameter. */
  costCode: 25_000,
  /** One evaluation of that code, per parameter and example. */
  costRun: 150,
} as const;

/** Characters printed per unit of output. */
const OUTPUT = {
  delta: { text: 70, json: 450, latex: 100 },
  chain: { text: 20, json: 750, latex: 75 },
  local: { text: 15, json: 1200, latex: 75 },
} as const;

/** What a verb is about to do. */
export interface Estimate {
  /** Steps of work (about a nanosecond each). */
  readonly work: number;
  /** What the work is, in words: "building a graph of 1,011,010 parameters, then …". */
  readonly what: string;
  /** Characters printed or written as one text, when the run prints one. */
  readonly output?: number;
  /** Another way to a smaller run: "--sample n checks fewer partials". */
  readonly hint?: string;
  /** A way to a run within a given limit, when there is one: "--sample 300 fits it". */
  readonly fit?: (limit: number) => string | null;
}

/** 1011010 → "1,011,010". */
export function grouped(n: number | bigint): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** 2.17e10 → "2.2e10"; small numbers as they are. */
export function sci(x: number): string {
  if (!Number.isFinite(x)) return "more than 1e308";
  if (x < 1e6) return grouped(Math.ceil(x));
  return x.toPrecision(2).replace("e+", "e");
}

/** x rounded up to two significant digits (a --max-work that lets the run proceed). */
function roundUp(x: number): number {
  if (!Number.isFinite(x)) return x;
  const p = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.ceil(x / p) * p;
}

/** --max-work N (decimal notation, ≥ 1). */
export function maxWork(values: ValuesOf<typeof MAX_WORK_OPTION>): number {
  return parseNumber(values["max-work"], "--max-work", DEFAULT_MAX_WORK, 1);
}

/**
 * Refuses a run whose estimate is over a limit: a limit no option raises first (`hard`, each a
 * message or null), then the longest text, then the work limit of --max-work. `subject` names
 * the run: "compile of a 1000-1000-10 network".
 */
export function guard(
  subject: string,
  estimate: Estimate,
  values: ValuesOf<typeof MAX_WORK_OPTION>,
  hard: readonly (string | null)[] = [],
): void {
  const limit = maxWork(values);
  for (const h of hard) if (h !== null) throw new TooLargeError("too-large", `${subject}: ${h}`);
  const output = estimate.output ?? 0;
  if (output > MAX_OUTPUT_CHARS) {
    throw new TooLargeError(
      "too-large",
      `${subject}: it would print about ${sci(output)} characters; one run prints at most ${grouped(MAX_OUTPUT_CHARS)} (the longest text JavaScript holds is about 512 MB), which no option raises${estimate.hint !== undefined ? `; ${estimate.hint}` : ""}.`,
      output,
    );
  }
  if (estimate.work > limit) {
    throw new TooLargeError(
      "too-large",
      `${subject} is about ${sci(estimate.work)} steps of work (${estimate.what}), more than the limit of ${sci(limit)}; --max-work ${sci(roundUp(estimate.work))} raises the limit${hint(estimate, limit)}.`,
      estimate.work,
    );
  }
}

/** ", or --sample 300 fits the limit" / ", or use a smaller network" / "". */
function hint(e: Estimate, limit: number): string {
  const fit = e.fit?.(limit) ?? null;
  return fit !== null ? `, or ${fit}` : e.hint !== undefined ? `, or ${e.hint}` : "";
}

/** The layer arithmetic an estimate needs, from the spec alone (core's layered counts). */
export interface Layers {
  readonly sizes: readonly number[];
  readonly bias: boolean;
  /** "a 1000-1000-10 network". */
  readonly name: string;
  readonly parameters: number;
  /** Multiply-adds of one example's forward pass: Σ n_l · n_{l+1}. */
  readonly macs: number;
  /** Chain factors over all parameters (a float: astronomically many is Infinity). */
  readonly factors: number;
  /** Per parameter layer l = 1…L−1: parameters, and each one's paths and path length. */
  readonly perLayer: readonly { readonly parameters: number; readonly paths: number; readonly length: number }[];
}

/** "a 2-3-1 network"; a deep one by its first and last layers: "a 1000-layer network (2-2-2-…-2-1)". */
export function networkName(sizes: readonly number[]): string {
  if (sizes.length <= 8) return `a ${sizes.join("-")} network`;
  return `a ${sizes.length}-layer network (${sizes.slice(0, 3).join("-")}-…-${sizes.slice(-2).join("-")})`;
}

/** The layer arithmetic of a spec (checked as building its graph would check it). */
export function layersOf(spec: LayerSpec): Layers {
  const info = layeredInfo(spec);
  const perLayer = layeredPathCounts(spec).map((c) => ({
    parameters: c.weights + c.biases,
    paths: Number(c.pathsEach),
    // every path from a layer's parameter has the same length
    length: Number(c.factorsEach / c.pathsEach),
  }));
  let macs = 0;
  for (let l = 1; l < info.sizes.length; l++) macs += info.sizes[l - 1]! * info.sizes[l]!;
  return {
    sizes: info.sizes,
    bias: info.bias,
    name: networkName(info.sizes),
    parameters: perLayer.reduce((t, c) => t + c.parameters, 0),
    macs,
    factors: perLayer.reduce((t, c) => t + c.parameters * c.paths * c.length, 0),
    perLayer,
  };
}

/** A per-weight graph beyond core's limit, as a refusal (or null). */
export function graphLimit(n: Layers): string | null {
  if (n.parameters <= MAX_GRAPH_PARAMETERS) return null;
  return `its per-weight graph would have ${grouped(n.parameters)} parameters; core builds graphs of at most ${grouped(MAX_GRAPH_PARAMETERS)} (MAX_GRAPH_PARAMETERS), which no option raises. Use fewer or narrower layers (count answers at any size).`;
}

/** A network beyond nn's limit, as a refusal (or null). */
export function networkLimit(n: Layers): string | null {
  if (n.parameters <= MAX_PARAMETERS) return null;
  return `it has ${grouped(n.parameters)} parameters; nn's networks are limited to ${grouped(MAX_PARAMETERS)} (MAX_PARAMETERS: 8 bytes per parameter in each parameter-sized array), which no option raises. Use fewer or narrower layers.`;
}

/** nn's program buffers for m examples (z, a and δ of every layer) beyond their limit, as a refusal (or null). */
export function bufferLimit(n: Layers, m: number): string | null {
  const entries = 3 * m * n.sizes.slice(1).reduce((t, s) => t + s, 0);
  if (entries <= MAX_PROGRAM_BUFFER) return null;
  return `${grouped(m)} examples at once need ${grouped(entries)} numbers of buffers; nn's programs hold at most ${grouped(MAX_PROGRAM_BUFFER)} (MAX_PROGRAM_BUFFER, 1 GB), which no option raises. Use fewer examples.`;
}

/** `graph of 1,011,010 parameters` in an estimate's words. */
const graphWords = (n: Layers) => `building the graph of its ${grouped(n.parameters)} parameters`;

/** `compile`: the graph, then straight-line code for every parameter. */
export function compileEstimate(n: Layers, gradients: boolean): Estimate {
  const code = gradients ? COST.code : COST.code / 2;
  return {
    work: n.parameters * (COST.graph + code),
    what: `${graphWords(n)}, then ${gradients ? "the code of J and every ∂J/∂θ" : "the code of J"}; nn trains such networks with layer kernels`,
    output: n.parameters * 100,
  };
}

/**
 * `derive`: the graph, the δ form (always: the text and JSON programs start from the forward
 * steps and the δ table), and for the chain and local forms every listed chain factor of the
 * chosen parameters (LaTeX lists at most `latexPaths` paths per parameter).
 */
export function deriveEstimate(
  n: Layers,
  form: "chain" | "local" | "delta",
  format: "text" | "json" | "latex",
  layer: number | null,
  latexPaths: number,
): { estimate: Estimate; hard: string | null } {
  const chosen = n.perLayer.map((c, i) => ({ ...c, layer: i + 1 })).filter((c) => layer === null || c.layer === layer);
  let work = n.parameters * (COST.graph + COST.deltaForm);
  let output = (layer === null ? n.parameters : 1) * OUTPUT.delta[format] + n.parameters * OUTPUT.delta.text;
  let hard: string | null = null;
  let listed = 0;
  if (form !== "delta") {
    for (const c of chosen) {
      const paths = format === "latex" ? Math.min(c.paths, latexPaths) : c.paths;
      listed += (layer === null ? c.parameters : 1) * paths * c.length;
      if (format !== "latex" && c.paths > MAX_CHAIN_PATHS && hard === null) {
        hard = `∂J/∂θ⁽${c.layer}⁾ has ${grouped(c.paths)} paths per partial; core lists the chains of at most ${grouped(MAX_CHAIN_PATHS)} (MAX_CHAIN_PATHS), which no option raises. Use --form delta, --format latex (it lists ${latexPaths} paths per partial), or count the paths.`;
      }
    }
    work += listed * COST.chainFactor[format];
    output += listed * OUTPUT[form][format];
  }
  const what =
    form === "delta"
      ? `${graphWords(n)}, then deriving the δ form and printing it as ${format}`
      : `${graphWords(n)}, then listing ${sci(listed)} chain factors as ${format}`;
  // the listing is what to cut when it is most of the work; else the network
  const hint =
    listed * COST.chainFactor[format] > work / 2
      ? `use --form delta${layer === null ? ", or --param l,j,k for one partial" : ""}`
      : "use a smaller network";
  return { estimate: { work, what, output, hint }, hard };
}

/** `paths`: the graph, the interpreter over the batch, and each path of one parameter valued per example. */
export function pathsEstimate(n: Layers, layer: number, m: number): { estimate: Estimate; hard: string | null } {
  const c = n.perLayer[Math.min(Math.max(layer, 1), n.perLayer.length) - 1]!;
  const hard =
    c.paths > MAX_CHAIN_PATHS
      ? `∂J/∂θ of layer ${layer} has ${grouped(c.paths)} paths; core lists at most ${grouped(MAX_CHAIN_PATHS)} per partial (MAX_CHAIN_PATHS), which no option raises. Count them (chainrule count) or derive the δ form.`
      : null;
  return {
    estimate: {
      work:
        n.parameters * (COST.graph + COST.interpreterSetup + m * COST.interpreted) +
        c.paths * c.length * (m + 1) * COST.chainValue,
      what: `${graphWords(n)}, then valuing ${grouped(c.paths)} paths and the network on ${grouped(m)} examples`,
      output: c.paths * (c.length * 12 + 40),
      hint: "use fewer --examples or a smaller network",
    },
    hard,
  };
}

/** How `check` gets its numbers: nn's engine from the layer sizes (δ form), or the graph and core's interpreter. */
export type CheckRoute = "engine" | "graph";

/**
 * `check`: each checked partial takes four evaluations of J (two steps h and 2h, each ±), plus J
 * and the gradient once. On the engine route (the δ form) nothing per-weight is built but the
 * parameter names; otherwise the graph is built and the chosen form evaluated by core's
 * interpreter.
 */
export function checkEstimate(
  n: Layers,
  route: CheckRoute,
  form: "delta" | "chain" | "local",
  m: number,
  checked: number,
): { estimate: Estimate; hard: (string | null)[] } {
  const forward = n.macs * m * COST.mac;
  let work = n.parameters * COST.names + (4 * checked + 1) * forward;
  let what = `${grouped(4 * checked)} evaluations of J on ${grouped(m)} examples, ${sci(n.macs * m)} multiply-adds each`;
  if (route === "engine") work += 3 * forward;
  else {
    const gradient = form === "delta" ? n.parameters * m * COST.interpreted : n.factors * m * COST.chainValue;
    work += n.parameters * (COST.graph + COST.interpreterSetup) + gradient;
    what = `${graphWords(n)}, the ${form} form on ${grouped(m)} examples and ${what}`;
  }
  const fixed = work - 4 * checked * forward;
  const fit = (limit: number) => {
    const n = Math.floor((limit - fixed) / (4 * forward));
    return n >= 1 && n < checked ? `--sample ${n} checks fewer partials within the limit` : null;
  };
  return {
    estimate: { work, what, hint: `use fewer --examples or a smaller network`, fit },
    hard: [networkLimit(n), route === "graph" ? graphLimit(n) : null, bufferLimit(n, m)],
  };
}

/**
 * `render`: the graph and the derivation document. Wide layers print their first two neurons, ⋯
 * and the last (viz's threshold), and each partial lists at most `maxPaths` paths; every printed
 * factor is typeset three times (LaTeX, Markdown, HTML). With --full nothing is elided. Before it
 * is made, the document checks its worked example (viz's "Checked" section): the chain and local
 * forms on every path (up to viz's CHECKED_CHAIN_PATHS), and finite differences of J, compiled,
 * on viz's sample of the partials.
 */
export function renderEstimate(
  n: Layers,
  full: boolean,
  examples: number,
  threshold = 4,
  maxPaths = 4,
): { estimate: Estimate; hard: string | null } {
  const shown = (k: number) => (full || k <= Math.max(3, threshold) ? k : 3);
  let printed = 0;
  n.perLayer.forEach((c, i) => {
    const from = n.sizes[i]!;
    const to = n.sizes[i + 1]!;
    const params = shown(to) * (shown(from) + (n.bias ? 1 : 0));
    // the chain and the local sections, and a few factors per shown neuron elsewhere
    printed += 2 * params * Math.min(c.paths, full ? Infinity : maxPaths) * c.length + 20 * shown(to);
  });
  const hard =
    full && n.factors > MAX_FULL_FACTORS
      ? `printing everything would list ${sci(n.factors)} chain factors; viz prints at most ${grouped(MAX_FULL_FACTORS)} (MAX_FULL_FACTORS), which no option raises. Leave out --full: wide layers and long path lists are then elided.`
      : null;
  return {
    estimate: {
      work:
        n.parameters * (COST.graph + COST.document + examples * COST.interpreted) +
        printed * COST.printedFactor +
        checkedWork(n, examples),
      what: `${graphWords(n)}, then a document of about ${sci(printed)} printed factors`,
      output: printed * 2500,
      hint: full ? "leave out --full" : "use fewer layers",
    },
    hard: hard ?? graphLimit(n),
  };
}

/** The work of a document's "Checked" section (viz's `checkNumbers`) on a worked example of m examples. */
function checkedWork(n: Layers, m: number): number {
  const paths = n.perLayer.reduce((t, c) => t + c.parameters * c.paths, 0);
  const forms = paths <= CHECKED_CHAIN_PATHS ? 2 * n.factors * m * COST.chainValue : 0;
  const differences =
    n.parameters * COST.costCode +
    (4 * Math.min(checkedSampleSize(n.parameters), n.parameters) + 1) * n.parameters * m * COST.costRun;
  return forms + n.parameters * m * COST.interpreted + differences;
}

/**
 * The nn verbs (grad, predict, train): a network's engine (from its per-weight graph), then
 * `passes` runs over m examples (1 for a forward pass, 3 for J and ∂J/∂θ) — for train, one epoch.
 */
export function networkEstimate(
  n: Layers,
  m: number,
  passes: number,
  doing: string,
  wholeBatch: boolean,
  output = 0,
): { estimate: Estimate; hard: (string | null)[] } {
  return {
    estimate: {
      // nn's engine is built from the layer sizes (Engine.forLayers): no per-weight graph
      work: n.parameters * COST.engine + passes * n.macs * m * COST.mac,
      what: `nn's engine for ${grouped(n.parameters)} parameters, then ${doing} on ${grouped(m)} examples`,
      output,
    },
    // a whole batch runs at once (grad, predict); training runs batches and slices of its own
    hard: [networkLimit(n), wholeBatch ? bufferLimit(n, m) : null],
  };
}

/**
 * The guard of `train`, for its command: refuses before training when building the network's
 * engine and one epoch over `examples` examples is over the work limit (--max-work) or a limit of
 * core or nn. Epochs beyond the first are not counted: they show progress and can be stopped.
 */
export function guardTrain(spec: LayerSpec, examples: number, values: ValuesOf<typeof MAX_WORK_OPTION>): void {
  const n = layersOf(spec);
  const { estimate, hard } = networkEstimate(n, examples, 3, "one epoch of J and ∂J/∂θ", false);
  guard(`train of ${n.name}`, estimate, values, hard);
}
