/** Model files: the documented example, exact round trips, helpful errors, atomic writes. */

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  builtinDataset,
  FileError,
  formatModel,
  ModelFileError,
  Network,
  NonFiniteError,
  parseModel,
  train,
  writeJson,
} from "../src/index.js";
import { readModelFile, writeFileAtomic, writeModelFile } from "../src/node.js";

const dir = mkdtempSync(join(tmpdir(), "chainrule-nn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXAMPLE = `{ "layers": [2, 2, 2], "activations": ["sigmoid", "sigmoid"], "cost": "mse",
  "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
  "biases": [[0.35, 0.35], [0.60, 0.60]] }`;

const anyDouble = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, 0, Number.MIN_VALUE, -Number.MAX_VALUE, 0.1 + 0.2, 1e-320),
);

describe("model files", () => {
  it("reads the documented example: weights[l−1][j−1][k−1] = θ⁽ˡ⁾_jk, biases[l−1][j−1] = θ⁽ˡ⁾_j0", () => {
    const { network } = parseModel(EXAMPLE, "example.json");
    expect(network.spec.sizes).toEqual([2, 2, 2]);
    expect(network.weight(1, 1, 1)).toBe(0.15);
    expect(network.weight(1, 1, 2)).toBe(0.2);
    expect(network.weight(1, 2, 1)).toBe(0.25);
    expect(network.weight(2, 2, 2)).toBe(0.55);
    expect(network.weight(1, 2, 0)).toBe(0.35);
    expect(network.weight(2, 1, 0)).toBe(0.6);
    const noBias = parseModel(`{"layers": [2, 1], "weights": [[[1, 2]]]}`).network;
    expect(noBias.spec.bias).toBe(false);
    expect(noBias.spec.activations).toEqual(["sigmoid"]);
  });

  it("save → load gives every weight bit for bit (−0, subnormals and extremes included) and the same predictions", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        fc.array(anyDouble, { minLength: 60, maxLength: 60 }),
        (sizes, bias, vals) => {
          const net = Network.create({ sizes, bias, activation: "tanh" });
          const theta = Float64Array.from({ length: net.parameterCount }, (_, i) => vals[i % vals.length]!);
          net.setParameters(theta);
          const back = parseModel(formatModel({ network: net })).network;
          const got = back.parameters();
          for (let i = 0; i < theta.length; i++) expect(Object.is(got[i], theta[i])).toBe(true);
          expect(back.spec).toEqual(net.spec);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a trained model saved to disk loads back with identical weights, predictions and training state", () => {
    const data = builtinDataset("iris");
    const net = Network.create(
      { sizes: [4, 5, 3], activation: ["tanh", "softmax"], cost: "cross-entropy", l2: 0.01 },
      { seed: 4, method: "glorot" },
    );
    const r = train(net, data, { epochs: 5, learningRate: 0.05, optimizer: "adam", batchSize: 16, seed: 4 });
    const path = join(dir, "iris.json");
    writeModelFile(path, {
      network: net,
      classes: data.classes!,
      training: { epochs: 5, optimizer: r.resume.optimizer, random: r.resume.random, history: r.history },
    });
    const back = readModelFile(path);
    expect(back.network.parameters()).toEqual(net.parameters());
    expect(back.network.predict(data.x, data.m)).toEqual(net.predict(data.x, data.m));
    expect(back.classes).toEqual(["setosa", "versicolor", "virginica"]);
    expect(back.training?.history).toEqual(r.history);
    expect(back.training?.optimizer).toEqual(r.resume.optimizer);
    expect(back.training?.random).toEqual(r.resume.random);
    expect(readFileSync(path, "utf8")).toMatch(/^\{\n {2}"format": "chainrule-model",\n {2}"version": 1,/);
  });

  it("says what is wrong with a bad model file, naming the field", () => {
    const bad: [string, RegExp][] = [
      [`{"layers": [2, 2, 2], "weights": [[[1, 2], [3, 4]], [[1, 2]]]`, /m.json: not valid JSON \(line 1, column \d+/],
      [`[1, 2]`, /a model file is a JSON object/],
      [`{"layers": [2], "weights": []}`, /"layers" must list at least two whole numbers/],
      [
        `{"layers": [2, 2, 2], "weights": [[[1, 2], [3, 4]]]}`,
        /"weights" has 1 matrices; a network with 3 layers needs 2/,
      ],
      [`{"layers": [2, 2, 2], "weights": [[[1, 2], [3, 4]], [[1, 2]]]}`, /weights\[1\] must have 2 rows/],
      [
        `{"layers": [2, 2, 2], "weights": [[[1, 2], [3, 4, 5]], [[1, 2], [3, 4]]]}`,
        /weights\[0\]\[1\] must have 2 numbers \(θ⁽1⁾_2k for k = 1…2\); got 3/,
      ],
      [
        `{"layers": [2, 2, 2], "weights": [[[1, "a"], [3, 4]], [[1, 2], [3, 4]]]}`,
        /weights\[0\]\[0\]\[1\] must be a finite number, got "a"/,
      ],
      [`{"layers": [2, 2], "weights": [[[1, 2], [3, 4]]], "biases": [[1]]}`, /biases\[0\] must have 2 numbers/],
      [
        `{"layers": [2, 2], "activations": ["sigmod"], "weights": [[[1, 2], [3, 4]]]}`,
        /Unknown activation "sigmod". Did you mean "sigmoid"\?/,
      ],
      [
        `{"layers": [2, 2], "weights": [[[1, 2], [3, 4]]], "version": 9}`,
        /"version" is 9; this chainrule reads versions 1…1/,
      ],
      [`{"layers": [2, 2], "weights": [[[1, 2], [3, 4]]], "cost": "cross-entropy"}`, /m.json: .*softmax/],
      [
        `{"layers": [2, 1], "weights": [[[1, 2]]], "training": {"epochs": 1, "optimizer": {"name": "momentum", "settings": {"momentum": "0.5"}}}}`,
        /training.optimizer.settings.momentum must be a finite number, got "0.5"/,
      ],
      [
        `{"layers": [2, 1], "weights": [[[1, 2]]], "training": {"epochs": 1, "optimizer": {"name": "adam", "t": -1}}}`,
        /training.optimizer.t \(steps taken\) must be a whole number ≥ 0/,
      ],
    ];
    for (const [text, msg] of bad) {
      expect(() => parseModel(text, "m.json"), text).toThrow(ModelFileError);
      expect(() => parseModel(text, "m.json"), text).toThrow(msg);
    }
  });

  it("reports a missing file as a FileError", () => {
    expect(() => readModelFile(join(dir, "nope.json"))).toThrow(FileError);
    expect(() => readModelFile(join(dir, "nope.json"))).toThrow(
      /Cannot read the model file .*nope.json: no such file or folder/,
    );
  });
});

describe("writeJson", () => {
  it("names a value JSON cannot hold in a NonFiniteError", () => {
    expect(() => writeJson({ cost: 1, weights: [[[0.5, Number.POSITIVE_INFINITY]]] })).toThrow(NonFiniteError);
    expect(() => writeJson({ cost: 1, weights: [[[0.5, Number.POSITIVE_INFINITY]]] })).toThrow(
      /^weights\[0\]\[0\]\[1\] is Infinity, and JSON holds finite numbers only.$/,
    );
    expect(() => writeJson({ cost: Number.NaN })).toThrow(/^cost is NaN/);
    expect(() => writeJson(Number.NEGATIVE_INFINITY)).toThrow(/^The value is -Infinity/);
  });
});

describe("writeFileAtomic", () => {
  it("replaces the file's content completely and leaves no temporary file", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const path = join(dir, "atomic.txt");
        writeFileAtomic(path, a);
        writeFileAtomic(path, b);
        expect(readFileSync(path, "utf8")).toBe(b);
        expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it("fails with a FileError for a missing folder or a folder as target, leaving the target untouched", () => {
    expect(() => writeFileAtomic(join(dir, "missing", "x.json"), "{}")).toThrow(
      /the folder .*missing does not exist. Create it first/,
    );
    expect(() => writeFileAtomic(dir, "{}")).toThrow(FileError);
    const path = join(dir, "keep.json");
    writeFileSync(path, "old");
    expect(() =>
      writeModelFile(path, {
        network: Network.create({ sizes: [1, 1] }),
        training: { epochs: 0, history: [{ epoch: 1, cost: Number.NaN }] },
      }),
    ).toThrow(/^training.history\[0\].cost is NaN, and JSON holds finite numbers only.$/);
    expect(readFileSync(path, "utf8")).toBe("old");
  });
});
