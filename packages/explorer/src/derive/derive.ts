/**
 * Everything the derivation views show for one state, computed by core and printed by viz: the
 * counts, the diagram with the chosen parameter's paths, one view of the derivation document as
 * KaTeX HTML and LaTeX, and the worked example's numbers. Runs in the worker (and in node tests);
 * graphs and documents are cached, so moving between views or parameters redoes only what changed.
 */
import {
  type Batch,
  count,
  type Graph,
  graphIndex,
  inputIds,
  layered,
  type ParamValues,
  parameterIds,
  pathCounts,
  targetIds,
} from "@chainrule/core";
import {
  type Block,
  type DerivationDocument,
  derivation,
  exampleValues,
  LatexPrinter,
  layout,
  NOTATION_TABLE,
  networkSvg,
  networkTikz,
  renderMath,
} from "@chainrule/viz";
import type { Derived, DiagramData, ParamNaming, ValueTable } from "../protocol.js";
import {
  type ExplorerState,
  NOTATION_NAMES,
  type NotationChoice,
  paramNodeId,
  structureKey,
  type Weights,
} from "../state.js";
import { LIMITS } from "../validate.js";
import { blocksHtml, blocksLatex, preambleComment, type Section, splitSections, viewBlocks } from "./blocks.js";

/** Paths listed and drawn per parameter before the rest are counted (viz's default). */
const MAX_PATHS = 4;

/** A small cache: the last few entries, oldest dropped first. */
class Recent<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const v = make();
    this.map.set(key, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
    return v;
  }
}

const graphs = new Recent<Graph>(3);
const documents = new Recent<readonly Section[]>(6);

/** The core graph of the state's network (cached by structure). */
export function graphOf(state: ExplorerState): Graph {
  const n = state.network;
  return graphs.get(structureKey(n), () =>
    layered({ sizes: n.sizes, activation: [...n.activations], cost: n.cost, bias: n.bias }),
  );
}

/** The worked example's numbers: the typed ones when they fit the network, else drawn from the seed. */
export function numbersOf(graph: Graph, weights: Weights): { theta: ParamValues; data: Batch; note: string | null } {
  if (weights.mode === "typed") {
    const fits =
      weights.theta.length === parameterIds(graph).length &&
      weights.x.length === inputIds(graph).length &&
      weights.y.length === targetIds(graph).length;
    if (fits)
      return {
        theta: Float64Array.from(weights.theta),
        data: { m: 1, x: Float64Array.from(weights.x), y: Float64Array.from(weights.y) },
        note: null,
      };
    return {
      ...exampleValues(graph, 1),
      note: "The typed numbers do not fit this network, so these come from seed 1; type over them.",
    };
  }
  return { ...exampleValues(graph, weights.seed), note: null };
}

function documentKey(state: ExplorerState, withNumbers: boolean): string {
  const base = `${structureKey(state.network)}|${state.notation}|${paramNodeId(state.param)}`;
  return withNumbers ? `${base}|${JSON.stringify(state.weights)}` : base;
}

/** The derivation document's sections; with the worked example only for the view that shows it. */
function sectionsOf(graph: Graph, state: ExplorerState, withNumbers: boolean): readonly Section[] {
  return documents.get(documentKey(state, withNumbers), () => {
    const options = { notation: state.notation, param: paramNodeId(state.param), maxPaths: MAX_PATHS, diagram: false };
    const doc: DerivationDocument = withNumbers
      ? derivation(graph, { ...options, values: numbersOf(graph, state.weights) })
      : derivation(graph, options);
    return splitSections(doc);
  });
}

/** viz's diagram with the parameter's paths, and its edges and paths as data. */
export function diagramOf(graph: Graph, state: ExplorerState): DiagramData {
  const options = { param: paramNodeId(state.param), maxPaths: MAX_PATHS, notation: state.notation };
  const l = layout(graph, options);
  return {
    svg: networkSvg(graph, { ...options, title: `The ${state.network.sizes.join("-")} network` }),
    tikz: `${preambleComment()}\n${networkTikz(graph, options)}\n`,
    edges: l.edges.map((e) => ({ from: e.from, to: e.to, params: [...e.params] })),
    paths: l.highlights.map((h) => ({ colour: h.colour.hex, hops: h.hops.map(([a, b]) => [a, b] as const) })),
    elided: l.units.some((u) => u.kind === "gap"),
  };
}

/**
 * How each notation writes the controls' parameter, from viz's notation table: W^[l]_jk and
 * b^[l]_j in Ng's, with l in the notation's own numbering.
 */
function namingOf(name: NotationChoice): ParamNaming {
  const n = NOTATION_TABLE[name];
  // a symbolic l shifted back by the offset prints as the notation's own layer l
  const l = { symbol: "l", offset: -n.weightOffset };
  const weight = n.weight(l, "j", "k");
  const letter = weight.startsWith("\\theta") ? "θ" : weight.charAt(0);
  return {
    weight: renderMath(weight, false),
    bias: renderMath(n.bias(l, "j"), false),
    letter,
    shift: n.weightOffset + n.inputLayer - 1,
  };
}

/** Every notation's naming (the same for every network: made once). */
const NAMING = Object.fromEntries(NOTATION_NAMES.map((n) => [n, namingOf(n)])) as {
  readonly [K in NotationChoice]: ParamNaming;
};

/** Ids, KaTeX labels and values of some nodes. */
function table(printer: LatexPrinter, ids: readonly string[], values: ArrayLike<number>): ValueTable {
  return { ids, labels: ids.map((id) => renderMath(printer.node(id), false)), values: Array.from(values) };
}

/** A derivation whose view comes in parts. */
export interface DerivedParts {
  /** Everything, with the view's first part as its HTML. */
  readonly derived: Derived;
  /** The view's remaining blocks, for {@link blocksHtml} (empty when the first part is all). */
  readonly rest: readonly Block[];
}

/** The view's blocks cut after its first equation group: the part worth showing first. */
function firstPart(blocks: readonly Block[]): [readonly Block[], readonly Block[]] {
  const i = blocks.findIndex((b) => b.kind === "equations");
  return i < 0 || i === blocks.length - 1 ? [blocks, []] : [blocks.slice(0, i + 1), blocks.slice(i + 1)];
}

/** Everything the page shows for a state, with `state.view` rendered whole. */
export function derive(state: ExplorerState): Derived {
  const { derived, rest } = deriveParts(state);
  return rest.length === 0 ? derived : { ...derived, html: `${derived.html}\n${blocksHtml(rest)}` };
}

/** Everything the page shows for a state, the view's HTML in two parts. */
export function deriveParts(state: ExplorerState): DerivedParts {
  const graph = graphOf(state);
  const param = paramNodeId(state.param);
  const c = count(graph);
  const printer = new LatexPrinter(graph, { notation: state.notation });
  const blocks = viewBlocks(sectionsOf(graph, state, state.view === "worked"), state.view);
  const small = c.parameters <= LIMITS.typedParameters;
  const numbers = small || state.view === "worked" ? numbersOf(graph, state.weights) : null;
  const [first, later] = firstPart(blocks);
  const derived: Derived = {
    view: state.view,
    parameters: String(c.parameters),
    paths: String(c.paths),
    factors: String(c.chainFactors),
    deltas: graphIndex(graph).zs.length,
    param: {
      id: param,
      label: renderMath(printer.node(param), false),
      paths: String(pathCounts(graph).paths.get(param) ?? 0n),
    },
    diagram: diagramOf(graph, state),
    html: blocksHtml(first),
    latex: blocksLatex(blocks),
    values:
      numbers !== null && small
        ? {
            theta: table(printer, parameterIds(graph), numbers.theta),
            x: table(printer, inputIds(graph), numbers.data.x),
            y: table(printer, targetIds(graph), numbers.data.y),
          }
        : null,
    note: numbers?.note ?? null,
    naming: NAMING,
  };
  return { derived, rest: later };
}
