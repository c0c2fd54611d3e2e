/**
 * Fuzzing core's public API: every exported function, called with mostly-valid arguments and some
 * hostile ones (wrong types, null nodes, unknown ids, Object's member names, huge text, sizes too
 * large), returns or throws a ChainruleError — one short line, quickly. No TypeError or
 * RangeError from inside.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as core from "../src/index.js";
import { deltaForm, type Graph, GraphBuilder, layered, parameterIds } from "../src/index.js";
import { describeArgs, fuzz, HUGE, hostile, mostly, typedOutcome } from "./hostile.js";

// a layered network, a softmax one with L2, and a free-form DAG with a tied weight
const L = layered({ sizes: [2, 2, 1] });
const S = layered({ sizes: [2, 3], activation: "softmax", cost: "cross-entropy", l2: 0.1 });
const D = (() => {
  const b = new GraphBuilder();
  const x = b.input("x");
  const w = b.param("w");
  const h = b.activate("h", "tanh", b.z("zh", [[w, x]]));
  const a = b.activate(
    "a",
    "sigmoid",
    b.z(
      "za",
      [
        [w, h],
        [b.param("v"), x],
      ],
      { bias: b.param("c", "bias") },
    ),
  );
  b.cost("binary-cross-entropy", [a], [b.target("y")]);
  return b.build();
})();
const graphs: readonly Graph[] = [L, S, D];
const copy = JSON.parse(JSON.stringify(L)) as Graph;

const graph = fc.constantFrom<unknown>(L, S, D, copy);
const params = graphs.flatMap((g) => parameterIds(g));
const param = fc.constantFrom(...params);
const zid = fc.constantFrom("z_2_1", "z_3_1", "zh", "za", "z_2_3");
const nodeId = fc.constantFrom(...graphs.flatMap((g) => Object.keys(g.nodes)));
const thetaOf = (g: Graph) => Float64Array.from(parameterIds(g), (_, i) => Math.sin(i + 1));
const theta = fc.constantFrom(...graphs.map(thetaOf));
const data = fc.constantFrom(
  { m: 2, x: new Float64Array([0.1, 0.2, 0.3, 0.4]), y: new Float64Array([1, 0]) },
  { m: 1, x: new Float64Array([0.5, -0.5]), y: new Float64Array([0, 1, 0]) },
  { m: 2, x: new Float64Array([0.1, 0.2]), y: new Float64Array([1, 0]) },
);
const exprs = [
  ...graphs.flatMap((g) =>
    deltaForm(g)
      .gradients.slice(0, 2)
      .flatMap((gr) => [gr.perExample, gr.batch]),
  ),
  core.num(2),
  core.sym({ kind: "z", node: "nope" }),
];
const expr = fc.constantFrom(...exprs);
const exprList = fc.array(mostly(expr), { maxLength: 3 });
const sym = fc.constantFrom(
  core.sym({ kind: "a", node: "a_2_1" }),
  core.sym({ kind: "z", node: "z_2_1" }),
  core.sym({ kind: "J" }),
);
const name = fc.constantFrom("sigmoid", "softmax", "mse", "cross-entropy", "sigmod", "exp", "log", "relu");
const fnName = fc.constantFrom(...Object.keys(core.FUNCTIONS));
const small = fc.integer({ min: -1, max: 4 });
const spec = fc.record(
  {
    sizes: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
    activation: fc.oneof(name, fc.array(name, { maxLength: 3 })),
    cost: name,
    bias: fc.boolean(),
    l2: fc.constantFrom(0, 0.1, -1),
  },
  { requiredKeys: ["sizes"] },
);
const graphData = fc.oneof(
  fc.constantFrom<unknown>(
    L,
    D,
    { nodes: { ...L.nodes }, layers: null },
    { nodes: { ...L.nodes }, layers: { sizes: [2, 3, 1], activations: ["sigmoid", "sigmoid"], bias: true } },
  ),
  fc.record({
    nodes: fc.dictionary(fc.string({ maxLength: 3 }), hostile, { maxKeys: 3 }),
    layers: mostly(fc.constant(null)),
  }),
  fc.constant({ nodes: { ...D.nodes, x: null }, layers: null }),
  fc.constant({ nodes: { ...D.nodes, zh: { kind: "z", id: "zh", terms: [null], bias: null } }, layers: null }),
  fc.constant({
    nodes: { ...D.nodes, J: { kind: "cost", id: "J", cost: "mse", outputs: "a", targets: ["y"], l2: 0 } },
    layers: null,
  }),
);
const fn = fc.constantFrom<unknown>(
  () => 1,
  (s: unknown) => s,
  () => core.delta("z_3_1"),
);
const rows = fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { maxLength: 3 }), { maxLength: 3 });
const record = fc.constantFrom<unknown>({ theta_1_1_1: 1 }, Object.fromEntries(parameterIds(L).map((p) => [p, 0.5])), {
  w: 1,
  v: 2,
  c: 3,
});
const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("constructor", "__proto__", HUGE));
const names = fc.constantFrom<unknown>(["sigmoid", "tanh"], ["a", "b", "c"], []);
const nodeKinds = fc.constantFrom<unknown>(["param"], ["z"], ["a", "input"]);
const symref = fc.oneof(
  fc.constantFrom<unknown>(
    { kind: "z", node: "z_2_1" },
    { kind: "J" },
    { kind: "m" },
    { kind: "theta" },
    { kind: "nope", node: "x" },
  ),
  fc.record({ kind: hostile, node: hostile }),
);
const syntax = fc.constantFrom<unknown>(core.JS_SYNTAX, core.TEXT_SYNTAX);
// layered specs far too large to build: counted from the sizes
const bigSpec = fc.record({
  sizes: fc.array(fc.constantFrom(1, 2, 100_000, 1e9, 2 ** 40), { minLength: 2, maxLength: 1000 }),
  bias: fc.boolean(),
});
const problem = fc.constantFrom<unknown>(
  { cost: (t: Float64Array) => t.reduce((a, b) => a + b * b, 0), theta: [1, 2], gradient: [2, 4] },
  { cost: () => 1, theta: new Float64Array(3), gradient: [0, 0, 0], names: ["a", "b", "c"], groups: ["g", "g", "h"] },
  { cost: () => "J", theta: [1], gradient: [1] },
  { cost: 3, theta: [1], gradient: [1] },
  { cost: () => 1, theta: [1, 2], gradient: [1] },
  { cost: () => 1, theta: { length: 2 ** 40 }, gradient: { length: 2 ** 40 } },
  { cost: () => 1, theta: [1], gradient: [1], names: 3, groups: "g" },
);
const checkOptions = fc.record(
  {
    rtol: mostly(fc.constantFrom(1e-6, 0)),
    atol: mostly(fc.constantFrom(1e-9, 0)),
    sample: mostly(fc.constantFrom(1, 2, 100)),
    seed: mostly(fc.constantFrom(0, 7)),
    step: mostly(fc.constantFrom(1e-5, 1e-3)),
    floor: mostly(fc.constantFrom(1e-10, 0)),
    onProgress: mostly(fc.constant(() => undefined)),
    form: mostly(fc.constantFrom("delta", "chain", "local")),
  },
  { requiredKeys: [] },
);
const limit = fc.constantFrom(0, 1, 2, 20_000);

/** The sizes of a layered network (a graph's layers, or a plain { sizes, bias }). */
const layerShape = fc.constantFrom<unknown>({ sizes: [2, 2, 1], bias: true }, { sizes: [2, 3], bias: false }, L.layers);

/** Arguments of each exported function (each may be replaced by a hostile value). */
const SIGNATURES: { readonly [name: string]: readonly fc.Arbitrary<unknown>[] } = {
  activation: [name],
  add: [expr, expr, expr],
  apply: [fnName, expr, small],
  batch: [graph, rows, rows],
  batchValue: [graph, expr, theta, data],
  buildGraph: [graphData],
  chainForm: [graph, param, limit],
  checkExpr: [expr, text],
  checkShapes: [graph, theta, data],
  children: [expr],
  closest: [text, names],
  compile: [graph, fc.constantFrom({}, { gradients: false })],
  cost: [name],
  costForm: [graph],
  costValue: [graph, theta, data],
  count: [graph],
  dagSize: [exprList],
  delta: [zid],
  deltaDefinition: [graph, zid, fn],
  deltaForm: [graph],
  deltasNeededBy: [graph, exprList],
  differentiate: [graph, expr, param],
  div: [expr, expr],
  editGraph: [graph, fn],
  emitModule: [graph, fc.constantFrom({}, { gradients: false }, { title: "chainrule compile" })],
  emitNumpyModule: [
    graph,
    fc.constantFrom<unknown>(
      {},
      { title: "chainrule compile" },
      { title: 3 },
      { sizes: [5, 7, 1] },
      { sizes: [0] },
      null,
    ),
  ],
  liftedCost: [graph],
  lowerFunctions: [expr],
  emitSource: [graph, fc.boolean()],
  escapeText: [text],
  evaluateWith: [expr, fn],
  exact: [fc.bigInt()],
  exprToJson: [expr],
  flowOf: [graph],
  fnOp: [fnName, small, fc.double()],
  forwardForm: [graph],
  gradientValues: [graph, theta, data, fc.constantFrom("delta", "chain", "local")],
  graphIndex: [graph],
  hessianValues: [graph, theta, data, fc.constantFrom(undefined, ["w"], ["theta_1_1_1"])],
  inputIds: [graph],
  isActivation: [name],
  isCost: [name],
  isExpr: [expr],
  kindOf: [hostile],
  layered: [spec],
  lookup: [fc.constantFrom(core.COST_TABLE), name, text],
  lseOp: [fc.array(fc.double(), { maxLength: 3 })],
  matrixForm: [graph],
  matrixGradientValues: [graph, theta, data],
  mul: [expr, expr, expr],
  nameOf: [text, small],
  namesOf: [graph],
  neg: [expr],
  nodeArgument: [graph, nodeId, nodeKinds, text],
  nodeOf: [graph, nodeId],
  nodeSym: [fc.constantFrom(...Object.values(L.nodes))],
  normaliseSpec: [spec],
  num: [fc.double()],
  oneOf: [names, name, text],
  paramArgument: [graph, param],
  paramId: [graph, small, small, small],
  paramValues: [graph, record],
  parameterIds: [graph],
  partial: [sym, sym],
  pathContributions: [graph, param, theta, data, limit],
  pathCounts: [graph],
  paths: [graph, nodeId],
  penaltyPartial: [graph, param],
  perExample: [graph, exprList, theta, data],
  postorder: [exprList, fn],
  pow: [expr, fc.constantFrom(-1, 0.5, 2, 3)],
  powOp: [fc.double(), fc.double()],
  predict: [graph, theta, data],
  quote: [text, small],
  requireLayers: [graph],
  secondDerivative: [graph, param, param],
  show: [hostile, small],
  sigmoid: [fc.double()],
  softmaxPartial: [sym, sym, fc.boolean()],
  softplus: [fc.double()],
  sub: [expr, expr],
  successors: [graph],
  sumOverBatch: [graph, exprList, theta, data],
  sym: [symref],
  targetIds: [graph],
  textProgram: [graph, fc.array(param, { maxLength: 2 }), fc.constantFrom("chain", "local", "delta")],
  unknownName: [text, hostile, names],
  // classes: constructed, then their methods called
  Emitter: [syntax, fn, fn, exprList, text],
  ExampleEnv: [graph, theta, data, small],
  Random: [small],
  hasMatrixForm: [graph],
  matrixFormProblem: [name, name],
  perGraph: [fn],
  erf: [fc.double()],
  // the seeded generator
  checkSeed: [small],
  isRandomState: [fc.constantFrom([1, 2, 3, 4], [0, 0, 0, 0], [1, 2], null)],
  seedStream: [small, fc.constantFrom("data", "init", "train", "other")],
  splitmix32: [small],
  // counts from the sizes alone, at any size
  layeredCount: [fc.oneof(spec, bigSpec)],
  layeredPathCounts: [fc.oneof(spec, bigSpec)],
  layeredInfo: [spec],
  layeredParamId: [layerShape, small, small, small],
  layeredParamIndex: [layerShape, small, small, small],
  layeredParamExists: [layerShape, small, small, small],
  layeredParamRanges: [layerShape, small],
  layeredParamAddress: [layerShape, small],
  layeredParameterCount: [fc.constantFrom<unknown>([2, 2, 1], [100_000, 100_000, 10]), fc.boolean()],
  paramAddressOf: [param],
  layeredSpec: [spec],
  checkOutputActivation: [name, name, text, hostile],
  batchProblem: [data, fc.constantFrom({}, { inputs: 2, outputs: 1 }, { float64: true }), text],
  // gradient checking: problems, graphs and options of the wrong types or sizes
  checkGradient: [problem, checkOptions],
  gradCheck: [graph, theta, data, checkOptions],
  compareWithDifferences: [graph, theta, data, theta, checkOptions],
  parameterGroups: [graph],
  checkSampleSize: [small],
  checkSampleSeed: [small],
  sampleParameters: [
    fc.constantFrom(0, 5, 12, 1_000_000, 2 ** 31 - 1),
    fc.constantFrom(undefined, 1, 3, 20),
    small,
    fc.constantFrom(
      undefined,
      ["a", "b", "a", "c", "b"],
      Array.from({ length: 12 }, (_, i) => String(i % 3)),
    ),
  ],
};

/** Exports not fuzzed here: error classes and the exhaustiveness guard (a bug trap, not an input check). */
const NOT_FUZZED = new Set([
  "ChainruleError",
  "GraphError",
  "UnknownNameError",
  "ArgumentError",
  "TooLargeError",
  "assertNever",
  "GraphBuilder",
]);

const functions = Object.entries(core).filter(([k, v]) => typeof v === "function" && !NOT_FUZZED.has(k)) as [
  string,
  (...a: unknown[]) => unknown,
][];

describe("core's public API under hostile arguments", () => {
  it("has a signature for every exported function", () => {
    expect(functions.map(([k]) => k).filter((k) => !Object.hasOwn(SIGNATURES, k))).toEqual([]);
  });

  it("returns, or throws a typed one-line error, for every function", () => {
    const failures: string[] = [];
    for (const [k, f] of functions) {
      const args = fc.tuple(...SIGNATURES[k]!.map(mostly));
      try {
        fuzz(
          args,
          (a) => {
            typedOutcome(
              () => {
                if (k === "Emitter") {
                  const em = new (f as unknown as new (...x: unknown[]) => core.Emitter)(...a);
                  for (const e of exprs.slice(0, 2)) em.code(e);
                  return em;
                }
                if (k === "Random") return new (f as unknown as new (...x: unknown[]) => core.Random)(...a).normal();
                if (k === "ExampleEnv")
                  return new (f as unknown as new (...x: unknown[]) => core.ExampleEnv)(...a).value(exprs[0]!);
                return f(...a);
              },
              `${k}(${describeArgs(a)})`,
            );
          },
          { numRuns: 60 },
        );
      } catch (e) {
        failures.push(`${k}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("GraphBuilder: any sequence of calls with hostile arguments gives graphs or typed errors", () => {
    const step = fc.oneof(
      fc.tuple(fc.constant("input"), mostly(fc.constantFrom("x", "x2")), mostly(fc.constant(undefined))),
      fc.tuple(fc.constant("target"), mostly(fc.constant("y"))),
      fc.tuple(fc.constant("param"), mostly(fc.constantFrom("w", "b")), mostly(fc.constantFrom("weight", "bias"))),
      fc.tuple(fc.constant("z"), mostly(fc.constant("z")), mostly(fc.constant([["w", "x"]])), mostly(fc.constant({}))),
      fc.tuple(
        fc.constant("activate"),
        mostly(fc.constant("a")),
        mostly(fc.constantFrom("sigmoid", "softmax")),
        mostly(fc.constant("z")),
      ),
      fc.tuple(fc.constant("softmax"), mostly(fc.constant(["s1", "s2"])), mostly(fc.constant(["z", "z"]))),
      fc.tuple(
        fc.constant("cost"),
        mostly(fc.constant("mse")),
        mostly(fc.constant(["a"])),
        mostly(fc.constant(["y"])),
        mostly(fc.constant({ l2: 0.1 })),
      ),
      fc.tuple(fc.constant("build")),
    );
    fuzz(
      fc.array(step, { maxLength: 8 }),
      (steps) => {
        const b = new GraphBuilder();
        for (const [method, ...a] of steps) {
          typedOutcome(
            () => (b as unknown as Record<string, (...x: unknown[]) => unknown>)[method]!(...a),
            `builder.${method}(${describeArgs(a)})`,
          );
        }
      },
      { numRuns: 200 },
    );
  });
});
