/** The nn verbs of the command line: grad, train, predict — results, output modes and bad input. */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gradientValues } from "@chainrule/core";
import { builtinDataset, formatCsv, formatModel, Network, parseModel, train } from "@chainrule/nn";
import { readCsvFile, readModelFile } from "@chainrule/nn/node";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { cli as chainrule } from "./capture.js";

const dir = mkdtempSync(join(tmpdir(), "chainrule-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const POST_MODEL = file(
  "post.json",
  `{ "layers": [2, 2, 2], "activations": ["sigmoid", "sigmoid"], "cost": "mse",
  "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
  "biases": [[0.35, 0.35], [0.60, 0.60]] }`,
);
const POST_DATA = file("post.csv", "x1,x2,y1,y2\n0.05,0.10,0.01,0.99\n");

describe("chainrule grad", () => {
  it("prints J and the gradient in the model's own shape, equal to core's symbolic gradient", async () => {
    const r = await chainrule("grad", "--model", POST_MODEL, "--data", POST_DATA);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { cost: number; weights: number[][][]; biases: number[][] };
    const { network } = readModelFile(POST_MODEL);
    const data = readCsvFile(POST_DATA, network.graph());
    const g = gradientValues(network.graph(), network.parameters(), data);
    // the shape of the model file: the same reshaping as the weights themselves
    expect(out.weights).toEqual(network.weights(g));
    expect(out.biases).toEqual(network.biases(g));
    // the post's first example: J = ½ Σ (y − a)² ≈ 0.298371109
    expect(out.cost).toBeCloseTo(0.298371109, 8);
  });

  it("--format text lists J and one ∂J/∂θ⁽ˡ⁾_jk per line, the same numbers as the JSON", async () => {
    const r = await chainrule("grad", "--model", POST_MODEL, "--data", POST_DATA, "--format", "text");
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(13);
    const json = JSON.parse((await chainrule("grad", "--model", POST_MODEL, "--data", POST_DATA)).out) as {
      cost: number;
      weights: number[][][];
      biases: number[][];
    };
    expect(lines[0]).toBe(`J = ${json.cost}`);
    expect(lines).toContain(`dJ/dtheta_1_2_0 = ${json.biases[0]![1]}`);
    expect(lines).toContain(`dJ/dtheta_2_1_2 = ${json.weights[1]![0]![1]}`);
  });

  it("agrees with core for random models and data, with and without biases", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 1000 }),
        fc.boolean(),
        fc.constantFrom("matrix", "compiled"),
        async (seed, bias, engine) => {
          const net = Network.create({ sizes: [3, 4, 2], activation: ["tanh", "sigmoid"], bias }, { seed, epsilon: 1 });
          const data = builtinDataset("moons", { seed, size: 5 });
          const x = data.x;
          const batch = {
            m: 5,
            x: Float64Array.from({ length: 15 }, (_, i) => x[i % x.length]!),
            y: Float64Array.from({ length: 10 }, (_, i) => ((i * 7 + seed) % 3 === 0 ? 1 : 0)),
          };
          const m = file(`g${seed}.json`, formatModel({ network: net }));
          const d = file(`g${seed}.csv`, formatCsv(batch, 3, 2));
          const r = await chainrule("grad", "--model", m, "--data", d, "--engine", engine);
          const out = JSON.parse(r.out) as { weights: unknown; biases?: unknown };
          const g = gradientValues(net.graph(), net.parameters(), batch);
          const close = (a: unknown, b: unknown): boolean =>
            Array.isArray(a) && Array.isArray(b)
              ? a.length === b.length && a.every((v, i) => close(v, b[i]))
              : Math.abs((a as number) - (b as number)) <= 1e-9 * Math.max(1e-9, Math.abs(b as number));
          expect(close(out.weights, net.weights(g))).toBe(true);
          expect(out.biases === undefined).toBe(!bias);
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe("chainrule train", () => {
  it("trains XOR to 100% from a seed, saves a model that loads and predicts, and is reproducible", async () => {
    const a = join(dir, "xor-a.json");
    const b = join(dir, "xor-b.json");
    const args = [
      "train",
      "--dataset",
      "xor",
      "--layers",
      "2,3,1",
      "--epochs",
      "2000",
      "--lr",
      "5",
      "--epsilon",
      "1",
      "--seed",
      "3",
    ];
    const r = await chainrule(...args, "--save", a);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/trained 2-3-1 for 2000 epochs: cost [\d.e-]+, accuracy 100.0%; saved/);
    // piped output is a few lines, not one per epoch
    expect(r.out.trim().split("\n").length).toBeLessThanOrEqual(12);
    await chainrule(...args, "--save", b);
    expect(readFileSync(b, "utf8")).toBe(readFileSync(a, "utf8"));
    const model = readModelFile(a);
    expect(model.training?.epochs).toBe(2000);
    expect(model.training?.history).toHaveLength(2000);
    const p = await chainrule("predict", "--model", a, "--dataset", "xor");
    expect(p.code).toBe(0);
    const lines = p.out.trim().split("\n");
    expect(lines[0]).toBe("a1,class");
    expect(lines.slice(1).map((l) => l.split(",")[1])).toEqual(["0", "1", "1", "0"]);
    expect(p.err).toMatch(/accuracy 100.00% on 4 examples/);
  });

  it("--json prints one JSON line per epoch and a summary", async () => {
    const r = await chainrule(
      "train",
      "--dataset",
      "iris",
      "--layers",
      "4,5,3",
      "--activation",
      "tanh,softmax",
      "--epochs",
      "7",
      "--lr",
      "0.01",
      "--optimizer",
      "adam",
      "--batch-size",
      "16",
      "--validation",
      "0.2",
      "--json",
    );
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(8);
    expect(lines.slice(0, 7).map((l) => l.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const l of lines.slice(0, 7))
      expect(Object.keys(l)).toEqual(["epoch", "cost", "accuracy", "validationCost", "validationAccuracy"]);
    expect(lines[7]).toMatchObject({ done: true, epochs: 7, stopReason: "epochs" });
  });

  it("continues a saved run: epochs, history and optimizer state carry over", async () => {
    const first = join(dir, "resume-1.json");
    const second = join(dir, "resume-2.json");
    const whole = join(dir, "resume-all.json");
    const base = ["--lr", "0.05", "--optimizer", "momentum", "--batch-size", "10", "--seed", "9"];
    await chainrule("train", "--dataset", "moons", "--layers", "2,4,1", "--epochs", "3", ...base, "--save", first);
    const r = await chainrule(
      "train",
      "--model",
      first,
      "--dataset",
      "moons",
      "--epochs",
      "2",
      ...base,
      "--save",
      second,
    );
    expect(r.out).toMatch(/^epoch 4\/5/);
    await chainrule("train", "--dataset", "moons", "--layers", "2,4,1", "--epochs", "5", ...base, "--save", whole);
    const [s, w] = [readModelFile(second), readModelFile(whole)];
    expect(s.network.parameters()).toEqual(w.network.parameters());
    expect(s.training?.history).toEqual(w.training?.history);
  });

  it("a resumed run keeps its saved optimizer and momentum without repeating them", async () => {
    const first = join(dir, "mu-1.json");
    const second = join(dir, "mu-2.json");
    const whole = join(dir, "mu-all.json");
    const base = ["--dataset", "moons", "--lr", "0.05", "--batch-size", "10", "--seed", "4"];
    const fresh = ["--layers", "2,4,1", "--optimizer", "momentum", "--momentum", "0.5"];
    expect((await chainrule("train", ...base, ...fresh, "--epochs", "3", "--save", first)).code).toBe(0);
    // neither --optimizer nor --momentum: the saved run's momentum 0.5, not the default 0.9
    const r = await chainrule("train", "--model", first, ...base, "--epochs", "2", "--save", second);
    expect(r.code).toBe(0);
    await chainrule("train", ...base, ...fresh, "--epochs", "5", "--save", whole);
    const [s, w] = [readModelFile(second), readModelFile(whole)];
    expect(s.training?.optimizer?.settings).toEqual({ momentum: 0.5 });
    expect(s.network.parameters()).toEqual(w.network.parameters());
    expect(s.training?.history).toEqual(w.training?.history);
    // the same value given again continues the same way
    const again = join(dir, "mu-again.json");
    expect(
      (
        await chainrule(
          "train",
          "--model",
          first,
          ...base,
          "--epochs",
          "2",
          "--optimizer",
          "momentum",
          "--momentum",
          "0.5",
          "--save",
          again,
        )
      ).code,
    ).toBe(0);
    expect(readModelFile(again).network.parameters()).toEqual(w.network.parameters());
  });

  it("--freeze biases trains the weights only, as train() with frozen biases does, and saves the set", async () => {
    const out = join(dir, "post-frozen.json");
    const r = await chainrule(
      "train",
      "--model",
      POST_MODEL,
      "--data",
      POST_DATA,
      "--epochs",
      "10000",
      "--lr",
      "0.5",
      "--freeze",
      "biases",
      "--save",
      out,
    );
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(out, "utf8")) as { biases: number[][]; frozen: unknown };
    expect(saved.biases).toEqual([
      [0.35, 0.35],
      [0.6, 0.6],
    ]);
    expect(saved.frozen).toBe("biases");
    const net = parseModel(readFileSync(POST_MODEL, "utf8")).network;
    net.setFrozen("biases");
    train(
      net,
      { m: 1, x: Float64Array.of(0.05, 0.1), y: Float64Array.of(0.01, 0.99) },
      { epochs: 10000, learningRate: 0.5 },
    );
    const back = readModelFile(out).network;
    expect(back.parameters()).toEqual(net.parameters());
    expect(back.frozen()).toBe("biases");
  });

  it("--freeze l,j,k;… freezes those; a saved set is kept by --model unless --freeze replaces it (none: every parameter trains)", async () => {
    const first = join(dir, "freeze-1.json");
    const base = ["--data", POST_DATA, "--epochs", "5", "--lr", "0.5"];
    expect(
      (await chainrule("train", "--model", POST_MODEL, ...base, "--freeze", "1,1,1; 2,2,0", "--save", first)).code,
    ).toBe(0);
    const start = parseModel(readFileSync(POST_MODEL, "utf8")).network;
    const a = readModelFile(first).network;
    expect(a.frozen()).toEqual([
      [1, 1, 1],
      [2, 2, 0],
    ]);
    expect(a.weight(1, 1, 1)).toBe(start.weight(1, 1, 1));
    expect(a.weight(2, 2, 0)).toBe(start.weight(2, 2, 0));
    expect(a.weight(1, 1, 2)).not.toBe(start.weight(1, 1, 2));
    // trained again without --freeze: the saved set holds
    const kept = join(dir, "freeze-2.json");
    expect((await chainrule("train", "--model", first, ...base, "--save", kept)).code).toBe(0);
    const b = readModelFile(kept).network;
    expect(b.frozen()).toEqual([
      [1, 1, 1],
      [2, 2, 0],
    ]);
    expect(b.weight(1, 1, 1)).toBe(start.weight(1, 1, 1));
    // --freeze replaces it; none clears it
    const replaced = join(dir, "freeze-3.json");
    expect((await chainrule("train", "--model", first, ...base, "--freeze", "2,1,1", "--save", replaced)).code).toBe(0);
    const c = readModelFile(replaced).network;
    expect(c.frozen()).toEqual([[2, 1, 1]]);
    expect(c.weight(1, 1, 1)).not.toBe(a.weight(1, 1, 1));
    expect(c.weight(2, 1, 1)).toBe(a.weight(2, 1, 1));
    const cleared = join(dir, "freeze-4.json");
    expect((await chainrule("train", "--model", first, ...base, "--freeze", "none", "--save", cleared)).code).toBe(0);
    expect(readModelFile(cleared).network.frozen()).toBeNull();
    expect("frozen" in (JSON.parse(readFileSync(cleared, "utf8")) as object)).toBe(false);
  });

  it("--help explains --freeze and what a saved set does", async () => {
    const help = (await chainrule("train", "--help")).out;
    expect(help).toContain("--freeze <biases|l,j,k;…|none>");
    expect(help).toMatch(
      /A --model keeps the set it was saved with unless --freeze is given \(none: train every parameter\)/,
    );
    expect(help).toContain("--freeze biases");
  });

  it("a diverging run reports the divergence in one line and leaves the save file untouched", async () => {
    const out = file("keep.json", "previous model\n");
    const r = await chainrule(
      "train",
      "--dataset",
      "moons",
      "--layers",
      "2,3,1",
      "--activation",
      "relu,identity",
      "--epochs",
      "100",
      "--lr",
      "1e200",
      "--save",
      out,
    );
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/^chainrule: Training diverged in epoch \d+, step \d+: .* Lower the learning rate/);
    expect(readFileSync(out, "utf8")).toBe("previous model\n");
  });
});

describe("--dataset NAME --seed S: the same examples in train, grad and predict", () => {
  it("predict and grad on the trained model report train's final cost", async () => {
    const model = join(dir, "moons-5.json");
    const t = await chainrule(
      "train",
      "--dataset",
      "moons",
      "--layers",
      "2,4,1",
      "--epochs",
      "30",
      "--lr",
      "0.5",
      "--seed",
      "5",
      "--json",
      "--save",
      model,
    );
    expect(t.code).toBe(0);
    const trained = (JSON.parse(t.out.trim().split("\n").at(-1)!) as { cost: number }).cost;
    const p = await chainrule("predict", "--model", model, "--dataset", "moons", "--seed", "5", "--format", "json");
    expect(p.code).toBe(0);
    expect((JSON.parse(p.out) as { cost: number }).cost).toBe(trained);
    const g = await chainrule("grad", "--model", model, "--dataset", "moons", "--seed", "5");
    expect(g.code).toBe(0);
    const J = (JSON.parse(g.out) as { cost: number }).cost;
    expect(Math.abs(J - trained)).toBeLessThanOrEqual(1e-12 * trained);
    // another seed is other examples
    const other = await chainrule("predict", "--model", model, "--dataset", "moons", "--format", "json");
    expect((JSON.parse(other.out) as { cost: number }).cost).not.toBe(trained);
  });
});

describe("chainrule predict", () => {
  it("prints outputs that equal the network's predictions, for inputs without targets", async () => {
    const { network } = parseModel(readFileSync(POST_MODEL, "utf8"));
    const inputs = file("inputs.csv", "x1,x2\n0.05,0.10\n1,-2\n0.5,0.5\n");
    const r = await chainrule("predict", "--model", POST_MODEL, "--data", inputs);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split("\n");
    expect(rows[0]).toBe("a1,a2");
    const want = network.predict(Float64Array.of(0.05, 0.1, 1, -2, 0.5, 0.5), 3);
    expect(rows.slice(1).flatMap((l) => l.split(",").map(Number))).toEqual(Array.from(want));
    const j = JSON.parse(
      (await chainrule("predict", "--model", POST_MODEL, "--data", POST_DATA, "--format", "json")).out,
    ) as { cost: number; predictions: unknown[] };
    expect(j.predictions).toHaveLength(1);
    expect(j.cost).toBeCloseTo(0.298371109, 8);
  });
});

describe("bad input: one line on stderr, non-zero exit, nothing written", () => {
  const bad = file("bad.json", `{"layers": [2, 2, 2], "weights": [[[1, 2], [3, 4]] [[1, 2], [3, 4]]]}`);
  const shape = file("shape.json", `{"layers": [2, 2, 2], "weights": [[[1, 2], [3, 4]], [[1, 2, 3], [3, 4]]]}`);
  const wide = file("wide.json", `{"layers": [3, 2], "weights": [[[1, 2, 3], [3, 4, 5]]]}`);
  const cell = file("cell.csv", "x1,x2,y1,y2\n1,2,0,1\n3,abc,1,0\n");
  const header = file("header.csv", "a,b,c\n1,2,3\n");
  const missing = join(dir, "does-not-exist.json");
  // identity output, weights of 1e200: a = 2e200, (y − a)² overflows
  const overflow = file(
    "overflow.json",
    `{"layers": [2, 1], "activations": "identity", "weights": [[[1e200, 1e200]]], "biases": [[0]]}`,
  );
  const one = file("one.csv", "x1,x2,y1\n1,1,0\n");
  // J is finite (the output is 1e-300 · 1e300 = 1) while ∂J/∂θ⁽²⁾_11 = (a − y) · 1e300 overflows
  const gradOverflow = file(
    "grad-overflow.json",
    `{"layers": [1, 1, 1], "activations": "identity", "weights": [[[1e300]], [[1e-300]]], "biases": [[0], [0]]}`,
  );
  const far = file("far.csv", "x1,y1\n1,-1e10\n");
  // a model saved mid-run with momentum 0.5
  const mid = file(
    "mid-run.json",
    formatModel({
      network: parseModel(readFileSync(POST_MODEL, "utf8")).network,
      training: {
        epochs: 3,
        optimizer: {
          name: "momentum",
          settings: { momentum: 0.5 },
          t: 0,
          vectors: { v: Array.from({ length: 12 }, () => 0.01) },
        },
        random: [1, 2, 3, 4],
      },
    }),
  );
  const cases: [string[], RegExp][] = [
    [["grad", "--model", bad, "--data", POST_DATA], /bad.json: not valid JSON \(line 1, column \d+/],
    [["grad", "--model", shape, "--data", POST_DATA], /weights\[1\]\[0\] must have 2 numbers/],
    [["grad", "--model", POST_MODEL, "--data", cell], /cell.csv line 3, column 2: "abc" in column x2 is not a number/],
    [["grad", "--model", POST_MODEL, "--data", header], /header.csv line 1, column 1: The header is "a,b,c"/],
    [
      ["grad", "--model", wide, "--data", POST_DATA],
      /the data has 2 columns of inputs \(x1…x2\), the model expects 3. A network with 3 inputs and 2 outputs reads "x1,x2,x3,y1,y2" or "x1,x2,x3,label"/,
    ],
    [
      ["grad", "--model", missing, "--data", POST_DATA],
      /Cannot read the model file .*does-not-exist.json: no such file or folder/,
    ],
    [
      ["grad", "--model", POST_MODEL, "--data", join(dir, "nope.csv")],
      /Cannot read the data file .*nope.csv: no such file/,
    ],
    [["grad", "--model", POST_MODEL], /--data d.csv or --dataset name is required/],
    [["grad", "--model", POST_MODEL, "--dataset", "mnist"], /Unknown dataset "mnist"/],
    [
      ["grad", "--model", POST_MODEL, "--data", POST_DATA, "--engine", "gpu"],
      /--engine: Unknown engine "gpu". Known: auto, matrix, compiled/,
    ],
    [
      ["grad", "--model", overflow, "--data", one],
      /^chainrule: The cost J of .*overflow.json on .*one.csv is Infinity: it overflowed. Check the model's weights for very large values/,
    ],
    [
      ["grad", "--model", overflow, "--data", one, "--format", "text", "--engine", "matrix"],
      /^chainrule: The cost J of .*overflow.json on .*one.csv is Infinity: it overflowed/,
    ],
    [
      ["grad", "--model", gradOverflow, "--data", far],
      /^chainrule: dJ\/dtheta_2_1_1 of .*grad-overflow.json on .*far.csv is Infinity \(J = 50000000010000000000\): it overflowed/,
    ],
    [
      ["grad", "--model", gradOverflow, "--data", far, "--engine", "matrix"],
      /^chainrule: dJ\/dtheta_2_1_1 of .*grad-overflow.json .* is Infinity .*: it overflowed/,
    ],
    [["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "0", "--lr", "1"], /--epochs 0 is out of range/],
    [["train", "--model", POST_MODEL, "--data", POST_DATA, "--lr", "1"], /--epochs N is required/],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "fast"],
      /--lr "fast" is not a number/,
    ],
    [["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "0"], /--lr 0 is out of range/],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--batch-size", "0"],
      /--batch-size 0 is out of range/,
    ],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--optimizer", "rmsprop"],
      /Unknown optimizer "rmsprop". Known: sgd, momentum, adam/,
    ],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--seed=-1"],
      /--seed -1 is out of range/,
    ],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--validation", "1.5"],
      /--validation 1.5 is out of range/,
    ],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--epsilon", "2"],
      /--init and --epsilon set up a new network; a --model file brings its own weights/,
    ],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--init", "zeros"],
      /Unknown initialisation "zeros"/,
    ],
    [
      ["train", "--model", POST_MODEL, "--layers", "2,2,2", "--data", POST_DATA, "--epochs", "5", "--lr", "1"],
      /give --model or --layers/,
    ],
    [
      [
        "train",
        "--dataset",
        "xor",
        "--layers",
        "2,2,1",
        "--epochs",
        "5",
        "--lr",
        "1",
        "--init",
        "glorot",
        "--epsilon",
        "0.5",
      ],
      /--epsilon is the range of the uniform initialisation; --init glorot sets its own scale/,
    ],
    [
      [
        "train",
        "--dataset",
        "xor",
        "--layers",
        "2,2,1",
        "--epochs",
        "5",
        "--lr",
        "1",
        "--init",
        "he",
        "--epsilon",
        "0.12",
      ],
      /--epsilon is the range of the uniform initialisation; --init he sets its own scale/,
    ],
    [
      ["train", "--dataset", "xor", "--layers", "2,2,1", "--epochs", "5", "--lr", "1", "--momentum", "0.5"],
      /--momentum is the coefficient of --optimizer momentum; the optimizer here is sgd/,
    ],
    [
      [
        "train",
        "--dataset",
        "xor",
        "--layers",
        "2,2,1",
        "--epochs",
        "5",
        "--lr",
        "1",
        "--optimizer",
        "adam",
        "--momentum",
        "0.9",
      ],
      /--momentum is the coefficient of --optimizer momentum; the optimizer here is adam/,
    ],
    [
      ["train", "--model", mid, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--momentum", "0.9"],
      /mid-run\.json: The saved momentum run has momentum 0\.5; a resumed run keeps its optimizer's settings, so momentum 0\.9 cannot apply/,
    ],
    [
      ["train", "--model", mid, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--optimizer", "adam"],
      /mid-run\.json: The saved run was trained with momentum, not adam: a resumed run keeps its update rule/,
    ],
    [
      ["train", "--model", mid, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--optimizer", "sgd"],
      /mid-run\.json: The saved run was trained with momentum, not sgd: a resumed run keeps its update rule/,
    ],
    [
      ["train", "--dataset", "xor", "--layers", "2,2,3", "--epochs", "5", "--lr", "1"],
      /--dataset xor has 2 classes as one 0\/1 target; the 2-2-3 network gives 3 outputs: change the last size of --layers to 1 \(sigmoid\) or 2 \(softmax, one per class\)/,
    ],
    [
      [
        "train",
        "--model",
        POST_MODEL,
        "--data",
        POST_DATA,
        "--epochs",
        "5",
        "--lr",
        "1",
        "--save",
        join(dir, "no", "such", "out.json"),
      ],
      /the folder .*no\/such does not exist. Create it first/,
    ],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--freeze", "weights"],
      /--freeze "weights": give l,j,k \(layer, to-neuron, from-neuron; k = 0 is the bias\), e.g. 1,1,1, or "biases" or "none"; several as "1,1,1;2,1,0"/,
    ],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--freeze", "1,1"],
      /--freeze "1,1": give l,j,k/,
    ],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--freeze", "1,1,1;"],
      /--freeze "": give l,j,k/,
    ],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--freeze", "3,1,1"],
      /--freeze "3,1,1": There is no parameter theta_3_1_1 \(l=3, j=1, k=1\) in a 2-2-2 network: layer l must be 1…2/,
    ],
    [
      ["train", "--model", POST_MODEL, "--data", POST_DATA, "--epochs", "5", "--lr", "1", "--freeze", "1,1,0;1,3,1"],
      /--freeze "1,1,0;1,3,1": There is no parameter theta_1_3_1 .*for l = 1, j must be 1…2 and k 0…2 \(k = 0 is the bias\)/,
    ],
    [
      [
        "train",
        "--dataset",
        "xor",
        "--layers",
        "2,2,1",
        "--no-bias",
        "--epochs",
        "5",
        "--lr",
        "1",
        "--freeze",
        "biases",
      ],
      /--freeze "biases": A 2-2-1 network without biases has no biases to freeze/,
    ],
    [
      ["predict", "--model", POST_MODEL, "--data", cell, "--format", "xml"],
      /--format: Unknown format "xml". Known: csv, json/,
    ],
    [
      ["predict", "--model", POST_MODEL, "--data", POST_DATA, "--seed", "3"],
      /--seed generates a built-in --dataset; a --data file is read as it is/,
    ],
    [
      ["grad", "--model", POST_MODEL, "--data", POST_DATA, "--seed", "3"],
      /--seed generates a built-in --dataset; a --data file is read as it is/,
    ],
    [["grad", "--model", POST_MODEL, "--dataset", "xor", "--seed", "x"], /--seed "x" is not a whole number/],
  ];
  for (const [argv, msg] of cases) {
    it(argv.filter((a) => !a.startsWith("/")).join(" "), async () => {
      const r = await chainrule(...argv);
      expect(r.code).not.toBe(0);
      expect(r.out).toBe("");
      const lines = r.err.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^chainrule: /);
      expect(lines[0]).toMatch(msg);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }

  it("a save path in a missing folder is rejected before any training", async () => {
    const r = await chainrule(
      "train",
      "--dataset",
      "xor",
      "--layers",
      "2,2,1",
      "--epochs",
      "100000000",
      "--lr",
      "1",
      "--save",
      join(dir, "missing", "x.json"),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toBe("");
  });

  it("a bad data file leaves an existing --save file untouched", async () => {
    const out = file("untouched.json", "old\n");
    const r = await chainrule(
      "train",
      "--model",
      POST_MODEL,
      "--data",
      cell,
      "--epochs",
      "5",
      "--lr",
      "1",
      "--save",
      out,
    );
    expect(r.code).not.toBe(0);
    expect(readFileSync(out, "utf8")).toBe("old\n");
  });
});
