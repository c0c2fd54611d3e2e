/**
 * Fuzzing nn's public API: every exported function and the methods of its classes, called with
 * mostly-valid arguments and some hostile ones, return or throw a ChainruleError — one short
 * line, quickly; files it reads may be binary, huge-lined, missing or folders.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deltaForm, num, sym, TooLargeError } from "@chainrule/core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { describeArgs, fuzz, HUGE, mostly, typedOutcome } from "../../core/test/hostile.js";
import * as nnMain from "../src/index.js";
import {
  builtinDataset,
  createOptimizer,
  Engine,
  GraphModel,
  HistoryLog,
  MatrixProgram,
  Network,
  Random,
} from "../src/index.js";
import * as nnNode from "../src/node.js";

/** Both entries: the main one and `@chainrule/nn/node`. */
const nn = { ...nnMain, ...nnNode };
const dir = mkdtempSync(join(tmpdir(), "chainrule-fuzz-nn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const paths = [
  file("good.csv", "x1,x2,y1\n0,1,1\n1,0,1\n"),
  file("labels.csv", "\ufeffx1,x2,label\r1,2,0\r3,4,1\r"),
  file(
    "binary.csv",
    Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256),
  ),
  file("long.csv", "7".repeat(300_000)),
  file("cell.csv", `x1,x2,y1\n${"1".repeat(5000)},2,3\n`),
  file("model.json", nn.formatModel({ network: Network.create({ sizes: [2, 2, 1] }) })),
  file("nan.json", '{"layers": [2, 1], "weights": [[[NaN, 1]]]}'),
  join(dir, "missing.csv"),
  (() => {
    const d = join(dir, "folder.csv");
    mkdirSync(d);
    return d;
  })(),
];

const net = Network.create({ sizes: [2, 3, 1] });
const soft = Network.create({ sizes: [2, 2], activation: "softmax", cost: "cross-entropy" });
const xor = builtinDataset("xor");
const network = fc.constantFrom(net, soft);
const graph = fc.constantFrom(net.graph(), soft.graph());
const batch = fc.constantFrom<unknown>(
  xor,
  { m: 1, x: new Float64Array([1, 2]), y: new Float64Array([1, 0]) },
  { m: 2, x: new Float64Array(4), y: new Float64Array(2) },
);
const theta = fc.constantFrom(net.parameters(), soft.parameters(), new Float64Array(3));
const onnxOptions = fc.record(
  {
    precision: mostly(fc.constantFrom<unknown>("float32", "float64", "float16")),
    training: mostly(fc.constantFrom<unknown>(true, false, "yes")),
  },
  { requiredKeys: [] },
);
/** An exported model, cut short, a text file, random bytes, and not bytes at all. */
const onnxBytes = fc.oneof(
  fc.constantFrom<unknown>(
    nn.exportOnnx(net),
    nn.exportOnnx(soft, { training: true }),
    nn.exportOnnx(net).subarray(0, 40),
    new TextEncoder().encode('{"layers": [2, 1]}'),
    new Uint8Array(0),
    "m.onnx",
  ),
  fc.uint8Array({ maxLength: 64 }),
);
const small = fc.integer({ min: -1, max: 5 });
const name = fc.constantFrom("xor", "iris", "moons", "sgd", "adam", "momentum", "uniform", "he", "glorot", "irsi");
const spec = fc.record(
  {
    sizes: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
    activation: fc.constantFrom("sigmoid", "relu", "softmax"),
    cost: fc.constantFrom("mse", "cross-entropy"),
    bias: fc.boolean(),
  },
  { requiredKeys: ["sizes"] },
);
const initOptions = fc.record(
  {
    method: mostly(fc.constantFrom("uniform", "he", "auto")),
    activations: mostly(fc.constantFrom(["relu"], ["tanh", "relu"], ["sigmoid", 3])),
    epsilon: mostly(fc.constantFrom(0.1, 1)),
    seed: mostly(fc.constantFrom(0, 7)),
  },
  { requiredKeys: [] },
);
const optSpec = fc.oneof(
  name,
  fc.record(
    {
      name: mostly(fc.constantFrom("sgd", "momentum", "adam")),
      momentum: mostly(fc.constantFrom(0.5, 1, 2)),
      beta1: mostly(fc.constantFrom(0.9, 1)),
    },
    { requiredKeys: ["name"] },
  ),
);
const savedState = fc.constantFrom<unknown>(
  undefined,
  { name: "momentum", settings: { momentum: 0.9 }, t: 0, vectors: { v: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] } },
  { name: "adam", settings: { beta1: 7 }, t: 1, vectors: {} },
  { name: "sgd", settings: null, vectors: null },
);
const trainOptions = fc.record(
  {
    epochs: fc.constantFrom<unknown>(1, 2, 0, -1, 1.5, NaN, "3"),
    learningRate: fc.constantFrom<unknown>(0.5, 0, -1, Infinity, "1"),
    batchSize: mostly(fc.constantFrom(1, 2, 3)),
    optimizer: mostly(optSpec),
    seed: mostly(fc.constantFrom(0, 1)),
    shuffle: mostly(fc.boolean()),
    validationSplit: mostly(fc.constantFrom(0.25, 0.5, 1)),
    validation: mostly(batch),
    earlyStopping: mostly(
      fc.record({
        patience: mostly(fc.constantFrom(1, 2)),
        monitor: mostly(fc.constantFrom("cost", "validationCost")),
        minDelta: mostly(fc.constant(0)),
      }),
    ),
    onEpoch: mostly(
      fc.constantFrom(
        () => undefined,
        () => "stop" as const,
      ),
    ),
    engine: mostly(fc.constantFrom("auto", "matrix", "compiled")),
    resume: mostly(
      fc.record(
        { epochs: mostly(fc.constantFrom(0, 3)), random: mostly(fc.constantFrom([1, 2, 3, 4], [0, 0, 0, 0])) },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ["epochs", "learningRate"] },
);
const texts = fc.oneof(
  fc.constantFrom(
    "x1,x2,y1\n1,2,3\n",
    "x1,x2,x3,y1\n1,2,3,4\n",
    "x1,x2,label\n1,2,cat\n",
    '"unclosed,2\n',
    "\r\r\r\r",
    HUGE,
    nn.formatModel({ network: net }),
    '{"layers": [2, 1e309, 1]}',
    '{"layers": [2, 1], "weights": [[[1, 2]]], "training": {"epochs": 1, "optimizer": {"name": "momentum", "settings": {"momentum": 7}, "vectors": {"v": [0, 0]}}}}',
  ),
  fc.string({ maxLength: 40 }),
);
const path = fc.constantFrom(...paths);
const expr = fc.constantFrom(
  ...deltaForm(net.graph())
    .gradients.slice(0, 2)
    .map((g) => g.perExample),
  num(1),
  sym({ kind: "m" }),
);
const f64 = fc.constantFrom(new Float64Array(16), new Float64Array(3), new Float64Array(0));
const idx = fc.constantFrom(0, 1, 2, 4);
const rows = fc.constantFrom<unknown>(
  [
    [0, 1],
    [1, 0],
  ],
  [[0, 1, 2]],
  [0, 1, 2, 3],
  new Float32Array(4),
  [],
  [[0, 1], [1]],
  [[0, NaN]],
  { x: [[0, 1]], y: [[1]] },
  { x: [[0, 1]], y: [1], m: 2 },
  xor,
);
const graphText = nn.formatModel({ network: GraphModel.create(net.graph()) });

/** Arguments of each exported function (each may be replaced by a hostile value). */
const SIGNATURES: { readonly [name: string]: readonly fc.Arbitrary<unknown>[] } = {
  classifierOutput: [small],
  checkEngineKind: [name],
  checkKernelChoice: [name],
  checkDtype: [name],
  defaultNetworkSpec: [
    fc.constantFrom(nn.builtinDataset("xor"), { inputs: 2, outputs: 3 }),
    fc.constantFrom(undefined, [4], []),
    fc.constantFrom(undefined, "relu", "sigmod"),
  ],
  isRandomState: [fc.constantFrom([1, 2, 3, 4], [0, 0, 0, 0], [1, 2], null)],
  resumeOf: [
    fc.constantFrom(
      undefined,
      { epochs: 1 },
      { epochs: 2, optimizer: { name: "sgd", settings: {}, t: 1, vectors: {} }, random: [1, 2, 3, 4] },
    ),
  ],
  resumedOptimizer: [
    fc.constantFrom(undefined, "sgd", "adam", { name: "momentum", momentum: 0.5 }),
    fc.constantFrom(undefined, { name: "momentum", settings: { momentum: 0.9 }, t: 1, vectors: {} }),
  ],
  builtinDataset: [
    name,
    fc.record(
      {
        seed: mostly(small),
        size: mostly(fc.constantFrom(2, 10, 1)),
        noise: mostly(fc.constant(0.1)),
        arms: mostly(fc.constantFrom(2, 11)),
        outputs: mostly(fc.constantFrom(1, 2, 3, 0)),
      },
      { requiredKeys: [] },
    ),
  ],
  describeTargets: [
    fc.constantFrom(nn.builtinDataset("xor"), nn.builtinDataset("iris"), nn.builtinDataset("moons", { outputs: 2 })),
  ],
  seedStream: [small, fc.constantFrom("data", "init", "train", "other")],
  fitOutputs: [fc.constantFrom(nn.builtinDataset("xor"), nn.builtinDataset("iris")), fc.constantFrom(1, 2, 3, 0)],
  checkInitMethod: [name],
  checkOptimizerName: [name],
  checkSeed: [small],
  isDatasetName: [name],
  compileBatchCost: [graph],
  compileCost: [graph],
  compileMap: [expr, small, fc.constantFrom("set", "multiply")],
  compileScalar: [expr],
  confusionMatrix: [f64, f64, small, small],
  correctCount: [f64, f64, small, small],
  isClassification: [f64, small, small],
  predictedClass: [f64, small, small],
  createOptimizer: [optSpec, fc.constantFrom(13, 8, 0), savedState, fc.constantFrom(null, new Uint8Array(13), [1])],
  dataset: [name, batch, small, small, fc.constantFrom(undefined, ["a", "b"])],
  pick: [batch, small, small, fc.constantFrom([0, 1], [9], new Uint32Array(2)), small, small],
  splitValidation: [batch, small, small, fc.constantFrom(0.5, 1, 0), fc.constant(new Random(1))],
  formatCsv: [batch, small, small],
  formatModel: [fc.record({ network: mostly(network) })],
  numberText: [fc.double()],
  gemmNN: [idx, idx, idx, f64, idx, idx, f64, idx, idx, f64, idx, idx, fc.boolean()],
  gemmNT: [idx, idx, idx, f64, idx, idx, f64, idx, idx, f64, idx, idx, fc.boolean()],
  gemmTN: [idx, idx, idx, f64, idx, idx, f64, idx, idx, f64, idx, idx, fc.boolean()],
  gemmStrided: [idx, idx, idx, f64, idx, idx, idx, f64, idx, idx, idx, f64, idx, idx, idx, fc.boolean()],
  hasMatrixForm: [graph],
  initialParameters: [fc.constantFrom([2, 2], [2, 3, 1], [0]), fc.boolean(), initOptions],
  parseCsv: [
    texts,
    graph,
    fc.constantFrom("d.csv"),
    fc.record(
      { targetsOptional: mostly(fc.boolean()), maxLineLength: mostly(fc.constantFrom(10, 1000)) },
      { requiredKeys: [] },
    ),
  ],
  parseCsvShape: [texts, small, small, fc.constantFrom("d.csv"), fc.constantFrom({}, { maxCellLength: 3 })],
  parseCsvChunks: [
    fc.oneof(
      texts.map((t) => [t.slice(0, 5), t.slice(5)]),
      fc.constantFrom<unknown>("x1,y1\n1,2\n", [1, "x"], new Set(["x1,y1\n", "1,2"])),
    ),
    small,
    small,
    fc.constantFrom("d.csv"),
    fc.constantFrom({}, { maxCellLength: 3 }),
  ],
  parseModel: [texts, fc.constantFrom("m.json")],
  readCsvFile: [path, graph, fc.constant({})],
  readCsvShape: [path, small, small, fc.constant({})],
  readModelFile: [path],
  readText: [
    fc.oneof(path, fc.constantFrom<unknown>(0, 1, 2, -1, null, new URL("file:///nonexistent"))),
    fc.constantFrom<unknown>("file", "data file", 3),
  ],
  wasmSimdSupported: [],
  setCacheSizes: [fc.constantFrom({ l1: 48 * 1024, l2: 1024 * 1024 }, { l1: 10, l2: 1e6 })],
  splitCsvLine: [fc.constantFrom('a,"b,c",d', '"x', "1,2,3", HUGE), fc.constantFrom(1024, 2, 0)],
  train: [network, batch, trainOptions],
  graphParameters: [graph, initOptions],
  parseGraphModel: [fc.oneof(texts, fc.constant(graphText)), fc.constantFrom("g.json")],
  readGraphModelFile: [path],
  writeJson: [
    fc.constantFrom<unknown>({ a: [1, 2] }, [NaN], { f: () => 1 }, [[[[1]]]]),
    fc.constantFrom("", "  ", "x"),
  ],
  templateSpec: [spec],
  onnxModel: [network, onnxOptions],
  exportOnnx: [network, onnxOptions],
  importOnnx: [
    onnxBytes,
    fc.constantFrom<unknown>("m.onnx", HUGE, 3),
    fc.constantFrom<unknown>({}, { cost: "mse" }, { cost: "hinge" }),
  ],
  encodeOnnx: [fc.constantFrom<unknown>(nn.onnxModel(net), { irVersion: "x" }, { graph: { node: 3 } }, [])],
  decodeOnnx: [onnxBytes, fc.constantFrom<unknown>("m.onnx", HUGE)],
  readOnnxBytes: [path],
  readOnnxFile: [path, fc.constant({})],
};

/** Exports not fuzzed here: error classes, classes (fuzzed below, method by method), and file writing (its own suite). */
const NOT_FUZZED = new Set([
  "DataError",
  "DivergenceError",
  "FileError",
  "ModelFileError",
  "NonFiniteError",
  "OptionError",
  "Engine",
  "HistoryLog",
  "MatrixProgram",
  "Network",
  "Random",
  "GraphModel",
  "GraphEngine",
  "ShapeError",
  "checkWritable",
  "writeFileAtomic",
  "writeModelFile",
  "writeOnnxFile",
  "OnnxError",
  "checkFolderWritable",
  "checkOutput",
  "checkOutputs",
  "cleanStaleTemps",
  "resolveOutput",
  "writeFilesAtomic",
]);
const functions = Object.entries(nn).filter(([k, v]) => typeof v === "function" && !NOT_FUZZED.has(k)) as [
  string,
  (...a: unknown[]) => unknown,
][];

/** Runs `property` for each entry, collecting every failure (so one run lists them all). */
function each<T>(entries: readonly T[], label: (t: T) => string, property: (t: T) => void): void {
  const failures: string[] = [];
  for (const t of entries) {
    try {
      property(t);
    } catch (e) {
      failures.push(`${label(t)}: ${(e as Error).message}`);
    }
  }
  expect(failures).toEqual([]);
}

describe("nn's public API under hostile arguments", () => {
  it("has a signature for every exported function", () => {
    expect(functions.map(([k]) => k).filter((k) => !Object.hasOwn(SIGNATURES, k))).toEqual([]);
  });

  it("returns, or throws a typed one-line error, for every function", () => {
    const restore = nn.setCacheSizes({ l1: 48 * 1024, l2: 1024 * 1024 });
    try {
      each(
        functions,
        ([k]) => k,
        ([k, f]) => {
          fuzz(
            fc.tuple(...SIGNATURES[k]!.map(mostly)),
            (a) => void typedOutcome(() => f(...a), `${k}(${describeArgs(a)})`),
            { numRuns: 40 },
          );
        },
      );
    } finally {
      nn.setCacheSizes(restore);
    }
  });

  type Method = readonly [string, readonly fc.Arbitrary<unknown>[]];
  const networkMethods: readonly Method[] = [
    ["parameters", [f64]],
    ["setParameters", [theta]],
    ["weight", [small, small, small]],
    ["setWeight", [small, small, small, fc.double()]],
    ["setFrozen", [fc.constantFrom("biases", [[1, 1, 0]], [[1, 1]], null, [])]],
    ["frozen", []],
    ["frozenMask", []],
    ["weights", [theta]],
    ["biases", [theta]],
    ["predict", [f64, small]],
    ["cost", [batch]],
    ["gradient", [batch, fc.constantFrom({}, { kind: "matrix" }, { kind: "nope" })]],
    ["evaluate", [batch]],
    ["engine", [fc.constantFrom({}, { kind: "compiled" })]],
    ["clone", []],
    ["checked", [batch]],
    ["layerSpec", []],
    ["graph", []],
  ];
  it("Network: create, fromParameters and every method", () => {
    fuzz(
      fc.tuple(mostly(spec), mostly(initOptions)),
      (a) =>
        void typedOutcome(
          () => Network.create(...(a as Parameters<typeof Network.create>)),
          `Network.create(${describeArgs(a)})`,
        ),
      { numRuns: 100 },
    );
    // too large: core's TooLargeError, before any array is allocated
    for (const sizes of [
      [2, 100_000, 100_000, 1],
      [2, 10_000, 10_000, 1],
      [1e9, 1e9],
    ]) {
      expect(
        typedOutcome(() => Network.create({ sizes }), `Network.create(${sizes.join("-")})`, TooLargeError)?.message,
      ).toMatch(/limited to 50000000/);
      expect(
        typedOutcome(
          () => Network.fromParameters({ sizes }, [1]),
          `Network.fromParameters(${sizes.join("-")})`,
          TooLargeError,
        ),
      ).not.toBeNull();
    }
    fuzz(
      fc.tuple(mostly(spec), mostly(theta)),
      (a) =>
        void typedOutcome(
          () => Network.fromParameters(...(a as Parameters<typeof Network.fromParameters>)),
          `Network.fromParameters(${describeArgs(a)})`,
        ),
      { numRuns: 100 },
    );
    each(
      networkMethods,
      ([m]) => m,
      ([m, args]) => {
        fuzz(
          fc.tuple(network, fc.tuple(...args.map(mostly))),
          ([n, a]) => {
            const copy = n.clone();
            typedOutcome(
              () => (copy as unknown as Record<string, (...x: unknown[]) => unknown>)[m]!(...a),
              `network.${m}(${describeArgs(a)})`,
            );
          },
          { numRuns: 40 },
        );
      },
    );
  });

  const graphModel = fc.constantFrom(GraphModel.create(net.graph()), GraphModel.create(soft.graph(), { seed: 2 }));
  const graphMethods: readonly Method[] = [
    ["parameters", [f64]],
    ["setParameters", [theta]],
    ["parameterValues", []],
    ["setParameterValues", [fc.constantFrom({ w: 1 }, {}, { __proto__: 1 })]],
    ["parameter", [fc.constantFrom("theta_1_1_1", "nope", 3)]],
    ["setParameter", [fc.constantFrom("theta_1_1_1", "x"), fc.double()]],
    ["setFrozen", [fc.constantFrom("biases", ["theta_1_1_1"], ["nope"], null, [], [[1, 1, 0]])]],
    ["frozen", []],
    ["frozenMask", []],
    ["predict", [rows, small]],
    ["cost", [rows]],
    ["gradient", [rows]],
    ["evaluate", [rows]],
    ["engine", [fc.constantFrom({}, { kind: "matrix" }, { kind: "compiled" })]],
    ["clone", []],
    ["checked", [rows]],
    ["graph", []],
  ];
  it("GraphModel: create, fromParameters and every method", () => {
    fuzz(
      fc.tuple(mostly(graph), mostly(initOptions)),
      (a) =>
        void typedOutcome(
          () => GraphModel.create(...(a as Parameters<typeof GraphModel.create>)),
          `GraphModel.create(${describeArgs(a)})`,
        ),
      { numRuns: 60 },
    );
    fuzz(
      fc.tuple(mostly(graph), mostly(fc.oneof(theta, fc.constantFrom({ theta_1_1_1: 1 }, [1, 2])))),
      (a) =>
        void typedOutcome(
          () => GraphModel.fromParameters(...(a as Parameters<typeof GraphModel.fromParameters>)),
          `GraphModel.fromParameters(${describeArgs(a)})`,
        ),
      { numRuns: 60 },
    );
    each(
      graphMethods,
      ([m]) => m,
      ([m, args]) => {
        fuzz(
          fc.tuple(graphModel, fc.tuple(...args.map(mostly))),
          ([g, a]) => {
            typedOutcome(
              () => (g.clone() as unknown as Record<string, (...x: unknown[]) => unknown>)[m]!(...a),
              `graphModel.${m}(${describeArgs(a)})`,
            );
          },
          { numRuns: 40 },
        );
      },
    );
    fuzz(
      fc.tuple(graphModel, mostly(rows), mostly(trainOptions)),
      ([g, d, o]) =>
        void typedOutcome(
          () => nn.train(g.clone(), d as never, o as never),
          `train(graphModel, ${describeArgs([d, o])})`,
        ),
      { numRuns: 60 },
    );
  });

  it("Random, Engine, MatrixProgram, HistoryLog and an optimizer's step", () => {
    fuzz(mostly(small), (s) => void typedOutcome(() => new Random(s as number), `new Random(${describeArgs([s])})`), {
      numRuns: 40,
    });
    fuzz(
      mostly(fc.constantFrom([1, 2, 3, 4], [0, 0, 0, 0], [1, 2])),
      (s) => void typedOutcome(() => Random.fromState(s as never), `Random.fromState(${describeArgs([s])})`),
      { numRuns: 40 },
    );
    const random: readonly Method[] = [
      ["uniform", [fc.double(), fc.double()]],
      ["int", [small]],
      ["shuffle", [fc.constantFrom([1, 2, 3], new Uint32Array(4)), small]],
      ["normal", []],
      ["state", []],
    ];
    each(
      random,
      ([m]) => m,
      ([m, args]) => {
        fuzz(
          fc.tuple(...args.map(mostly)),
          (a) =>
            void typedOutcome(
              () => (new Random(3) as unknown as Record<string, (...x: unknown[]) => unknown>)[m]!(...a),
              `random.${m}(${describeArgs(a)})`,
            ),
          { numRuns: 40 },
        );
      },
    );
    fuzz(
      fc.tuple(
        mostly(graph),
        mostly(
          fc.record(
            { kind: mostly(fc.constantFrom("auto", "matrix", "compiled")), capacity: mostly(fc.constantFrom(1, 4)) },
            { requiredKeys: [] },
          ),
        ),
      ),
      (a) => {
        typedOutcome(
          () => Engine.create(...(a as Parameters<typeof Engine.create>)),
          `Engine.create(${describeArgs(a)})`,
        );
      },
      { numRuns: 60 },
    );
    fuzz(
      fc.tuple(
        mostly(spec),
        mostly(
          fc.record(
            { kind: mostly(fc.constantFrom("auto", "matrix", "compiled")), capacity: mostly(fc.constantFrom(1, 4)) },
            { requiredKeys: [] },
          ),
        ),
      ),
      (a) => {
        typedOutcome(
          () => Engine.forLayers(...(a as Parameters<typeof Engine.forLayers>)),
          `Engine.forLayers(${describeArgs(a)})`,
        );
      },
      { numRuns: 60 },
    );
    const engine = Engine.create(net.graph(), { kind: "matrix" });
    const compiled = Engine.create(net.graph(), { kind: "compiled" });
    const engineMethods: readonly Method[] = [
      ["gradient", [theta, batch, f64]],
      ["cost", [theta, batch]],
      ["loss", [theta, batch, small]],
      ["batchTerm", [theta, small]],
      ["forward", [theta, f64, small]],
    ];
    each(
      engineMethods,
      ([m]) => m,
      ([m, args]) => {
        for (const e of [engine, compiled]) {
          fuzz(
            fc.tuple(...args.map(mostly)),
            (a) =>
              void typedOutcome(
                () => (e as unknown as Record<string, (...x: unknown[]) => unknown>)[m]!(...a),
                `engine.${m}(${describeArgs(a)})`,
              ),
            { numRuns: 40 },
          );
        }
      },
    );
    const programOptions = fc.constantFrom(
      {},
      { backward: false },
      { sizes: [5, 7, 1] },
      { sizes: [2, 3, 2] },
      { sizes: [2, 3] },
      { sizes: [1e6, 1e6, 1] },
      { sizes: "2,3,1" },
    );
    fuzz(
      fc.tuple(mostly(graph), mostly(fc.constantFrom(1, 4)), mostly(programOptions)),
      (a) => {
        typedOutcome(
          () => new MatrixProgram(...(a as ConstructorParameters<typeof MatrixProgram>)),
          `new MatrixProgram(${describeArgs(a)})`,
        );
      },
      { numRuns: 40 },
    );
    const program = new MatrixProgram(net.graph(), 4);
    each(
      [...engineMethods, ["evaluate", [theta, batch]] as Method],
      ([m]) => m,
      ([m, args]) => {
        fuzz(
          fc.tuple(...args.map(mostly)),
          (a) =>
            void typedOutcome(
              () => (program as unknown as Record<string, (...x: unknown[]) => unknown>)[m]!(...a),
              `program.${m}(${describeArgs(a)})`,
            ),
          { numRuns: 40 },
        );
      },
    );
    fuzz(
      fc.tuple(
        mostly(fc.constant(1)),
        mostly(fc.constant({ accuracy: true, validation: false, validationAccuracy: false })),
        mostly(small),
      ),
      ([first, has, i]) => {
        typedOutcome(
          () => {
            const log = new HistoryLog(first as number, has as never);
            log.push(0.5, 1, NaN, NaN);
            return log.record(i as number);
          },
          `HistoryLog(${describeArgs([first, has, i])})`,
        );
      },
      { numRuns: 60 },
    );
    const step = createOptimizer("adam", 13);
    fuzz(
      fc.tuple(mostly(theta), mostly(theta), mostly(theta), mostly(fc.constantFrom(0.1, 1))),
      (a) => {
        typedOutcome(() => step.step(...(a as Parameters<typeof step.step>)), `optimizer.step(${describeArgs(a)})`);
      },
      { numRuns: 60 },
    );
  });
});
