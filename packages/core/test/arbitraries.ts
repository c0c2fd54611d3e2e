/**
 * fast-check arbitraries shared by the test suites: random DAGs of z and a nodes (skip
 * connections, tied parameters, every activation and cost), random layered networks, and numbers
 * to evaluate them at.
 */
import fc from "fast-check";
import {
  ACTIVATION_TABLE,
  type Batch,
  ELEMENTWISE_ACTIVATIONS,
  type Graph,
  GraphBuilder,
  inputIds,
  layered,
  type NodeHandle,
  OUTPUT_PAIRS,
  parameterIds,
  perExample,
  sym,
  targetIds,
} from "../src/index.js";

/** A graph with parameter values and a batch to evaluate it on. */
export interface GraphCase {
  readonly graph: Graph;
  readonly theta: Float64Array;
  readonly data: Batch;
  readonly description: string;
}

/** Hidden activations: every element-wise one in core's registry. */
const ELEMENTWISE = ELEMENTWISE_ACTIVATIONS;

/** Output layer choices, from the registries: which activation with which cost. */
const OUTPUTS = OUTPUT_PAIRS;

/** The recipe of a random DAG (a plain value fast-check can shrink). */
interface DagRecipe {
  inputs: number;
  hidden: { reads: number[]; act: number; tie: number[]; bias: boolean }[];
  outputs: { reads: number[]; tie: number[]; bias: boolean }[];
  out: number;
  l2: number;
  /** Names for the nodes in creation order (missing ones get plain names like x1, w2, h3). */
  names: string[];
}

/** Names that collide with words of JavaScript, of the generated code or of plain objects. */
const HAZARDS = [
  "x",
  "y",
  "e",
  "v",
  "t1",
  "t_1",
  "b1",
  "part0",
  "lse_o1_max",
  "theta",
  "grad",
  "m",
  "lambda",
  "Math",
  "exp",
  "__proto__",
  "constructor",
  "valueOf",
  "a b",
  "δ",
  "\\input{x}",
  "<script>",
];
const PLAIN = /^(x|y|w|c|d|h|g|o|p)\d+$/;

/** Random DAG recipes with at most `hidden` hidden units and `outputs` outputs. */
const recipeWith = (hidden: number, outputs: number): fc.Arbitrary<DagRecipe> =>
  fc.record({
    inputs: fc.integer({ min: 1, max: 3 }),
    hidden: fc.array(
      fc.record({
        reads: fc.uniqueArray(fc.nat({ max: 7 }), { minLength: 1, maxLength: 3 }),
        act: fc.nat({ max: ELEMENTWISE.length - 1 }),
        tie: fc.array(fc.nat({ max: 9 }), { maxLength: 3 }),
        bias: fc.boolean(),
      }),
      { minLength: 0, maxLength: hidden },
    ),
    outputs: fc.array(
      fc.record({
        reads: fc.uniqueArray(fc.nat({ max: 7 }), { minLength: 1, maxLength: 3 }),
        tie: fc.array(fc.nat({ max: 9 }), { maxLength: 3 }),
        bias: fc.boolean(),
      }),
      { minLength: 1, maxLength: outputs },
    ),
    out: fc.nat({ max: OUTPUTS.length - 1 }),
    l2: fc.constantFrom(0, 0, 0.1),
    names: fc
      .uniqueArray(fc.oneof(fc.constantFrom(...HAZARDS), fc.string({ minLength: 1, maxLength: 4 })), { maxLength: 12 })
      .map((ns) => ns.filter((n) => !PLAIN.test(n) && n !== "J")),
  });

/** Builds the DAG a recipe describes: every z reads earlier nodes (skip connections happen). */
export function buildDag(r: DagRecipe): Graph {
  const b = new GraphBuilder();
  let made = 0;
  // the next node's name: the recipe's, or a plain one
  const nm = (plain: string) => r.names[made++] ?? plain;
  const sources: NodeHandle<"input" | "a">[] = [];
  for (let k = 1; k <= r.inputs; k++) sources.push(b.input(nm(`x${k}`)));
  const params: NodeHandle<"param">[] = [];
  let pc = 0;
  // A weight: a fresh parameter, or (when `tie` says so) one already in use.
  const weight = (tie: number[], i: number): NodeHandle<"param"> => {
    const t = tie[i];
    if (t !== undefined && params.length > 0 && t % 3 === 0) return params[t % params.length]!;
    const p = b.param(nm(`w${++pc}`));
    params.push(p);
    return p;
  };
  r.hidden.forEach((h, i) => {
    const reads = [...new Set(h.reads.map((s) => s % sources.length))];
    const z = b.z(
      nm(`h${i + 1}`),
      reads.map((s, t) => [weight(h.tie, t), sources[s]!] as const),
      h.bias ? { bias: b.param(nm(`c${i + 1}`), "bias") } : {},
    );
    sources.push(b.activate(nm(`g${i + 1}`), ELEMENTWISE[h.act]!, z));
  });
  const { act, cost } = OUTPUTS[r.out]!;
  const zs = r.outputs.map((o, i) => {
    const reads = [...new Set(o.reads.map((s) => s % sources.length))];
    return b.z(
      nm(`o${i + 1}`),
      reads.map((s, t) => [weight(o.tie, t), sources[s]!] as const),
      o.bias ? { bias: b.param(nm(`d${i + 1}`), "bias") } : {},
    );
  });
  // a softmax needs two or more z nodes: a one-output recipe gets a second output reading the first source
  if (act === "softmax" && zs.length === 1) zs.push(b.z(nm("o2"), [[weight([], 0), sources[0]!]]));
  const outs =
    act === "softmax"
      ? b.softmax(
          zs.map((_, i) => nm(`p${i + 1}`)),
          zs,
        )
      : zs.map((z, i) => b.activate(nm(`p${i + 1}`), act, z));
  const ys = outs.map((_, i) => b.target(nm(`y${i + 1}`)));
  b.cost(cost, outs, ys, { l2: r.l2 });
  return b.build();
}

/**
 * Target rows for cross-entropy: one-hot rows, one-hot rows scaled so they sum to 0, 0.5 or 2, and
 * rows of any sign pattern — J = −(1/m) Σ y log a is defined for all of them, and the gradient
 * must be right for all of them, not only for rows that sum to 1.
 */
export function crossEntropyTargets(n: number): fc.Arbitrary<number[]> {
  const oneHot = fc.nat({ max: n - 1 }).map((c) => Array.from({ length: n }, (_, j) => (j === c ? 1 : 0)));
  return fc.oneof(
    oneHot,
    fc.tuple(oneHot, fc.constantFrom(0, 0.5, 2)).map(([row, s]) => row.map((v) => v * s)),
    fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
  );
}

/** Random values for a graph: θ in [−1.5, 1.5], x in [−2, 2], targets that suit the cost. */
export function valuesFor(graph: Graph, m: number): fc.Arbitrary<{ theta: Float64Array; data: Batch }> {
  const np = parameterIds(graph).length;
  const nIn = inputIds(graph).length;
  const nOut = targetIds(graph).length;
  const costNode = Object.values(graph.nodes).find((n) => n.kind === "cost")!;
  const cost = costNode.kind === "cost" ? costNode.cost : "mse";
  const real = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
  // Parameters and inputs away from 0, so that sums rarely sit exactly on a relu kink.
  const away = (hi: number) =>
    fc.tuple(fc.double({ min: 0.05, max: hi, noNaN: true }), fc.boolean()).map(([v, s]) => (s ? v : -v));
  const target =
    cost === "cross-entropy" ? crossEntropyTargets(nOut) : fc.array(real(0, 1), { minLength: nOut, maxLength: nOut });
  return fc
    .record({
      theta: fc.array(away(1.5), { minLength: np, maxLength: np }),
      xs: fc.array(fc.array(away(2), { minLength: nIn, maxLength: nIn }), { minLength: m, maxLength: m }),
      ys: fc.array(target, { minLength: m, maxLength: m }),
    })
    .map(({ theta, xs, ys }) => ({
      theta: Float64Array.from(theta),
      data: { m, x: Float64Array.from(xs.flat()), y: Float64Array.from(ys.flat()) },
    }));
}

/**
 * True when some input of a kinked activation (relu, leaky-relu: the registry's `kinked`) is within
 * `eps` of its kink for some example: finite differences across a kink measure neither one-sided
 * derivative, so such points are skipped.
 */
export function nearKink(graph: Graph, theta: Float64Array, data: Batch, eps = 1e-3): boolean {
  const zs = Object.values(graph.nodes).flatMap((n) =>
    n.kind === "a" && ACTIVATION_TABLE[n.activation].kinked ? [sym({ kind: "z", node: n.z })] : [],
  );
  if (zs.length === 0) return false;
  return perExample(graph, zs, theta, data).some((v) => v.some((z) => Math.abs(z) < eps));
}

/** Random DAGs with values: skip connections, tied parameters, every activation and cost. */
export const dagCaseWith = (hidden: number, outputs: number): fc.Arbitrary<GraphCase> =>
  fc.tuple(recipeWith(hidden, outputs), fc.integer({ min: 1, max: 3 })).chain(([r, m]) => {
    const graph = buildDag(r);
    return valuesFor(graph, m).map(({ theta, data }) => ({ graph, theta, data, description: JSON.stringify(r) }));
  });

/** Random DAGs with up to four hidden units and three outputs. */
export const dagCase = dagCaseWith(4, 3);

/** Random layered networks of at most `layers` layers of at most `width` neurons, with values. */
export const layeredCaseWith = (width: number, layers: number): fc.Arbitrary<GraphCase> =>
  fc
    .record({
      sizes: fc.array(fc.integer({ min: 1, max: width }), { minLength: 2, maxLength: layers }),
      act: fc.constantFrom(...ELEMENTWISE),
      out: fc.nat({ max: OUTPUTS.length - 1 }),
      bias: fc.boolean(),
      l2: fc.constantFrom(0, 0.05),
      m: fc.integer({ min: 1, max: 3 }),
    })
    .chain(({ sizes, act, out, bias, l2, m }) => {
      const { act: outAct, cost } = OUTPUTS[out]!;
      // a softmax output needs two or more units
      if (outAct === "softmax") sizes[sizes.length - 1] = Math.max(2, sizes[sizes.length - 1]!);
      const acts = [...Array.from({ length: sizes.length - 2 }, () => act), outAct];
      const graph = layered({ sizes, activation: acts, bias, cost, l2 });
      return valuesFor(graph, m).map(({ theta, data }) => ({
        graph,
        theta,
        data,
        description: `${sizes.join("-")} ${acts.join(",")} ${cost} bias=${bias} l2=${l2}`,
      }));
    });

/** Random small layered networks (up to 4 layers of 3) with values. */
export const layeredCase = layeredCaseWith(3, 4);
