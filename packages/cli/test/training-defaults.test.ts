/**
 * Training as a new user meets it: the default initialisation learns XOR and moons for every
 * seed, the default network of a dataset is nn's (the explorer's), one --seed gives the model the API gives for the same seed, two-class datasets fit a
 * softmax over two outputs, a shape that does not fit names both shapes and the flag, and the
 * summary line reports the epoch whose weights the model holds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinDataset, defaultNetworkSpec, Network, train } from "@chainrule/nn";
import { readModelFile } from "@chainrule/nn/node";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./capture.js";

const root = mkdtempSync(join(tmpdir(), "chainrule-training-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("defaults that learn", () => {
  it("XOR 2-4-1 sigmoid (lr 1, 5,000 epochs) and moons 2-8-1 tanh/sigmoid (lr 1, 2,000 epochs) learn for every seed 0–9 with the default initialisation", () => {
    const xor = builtinDataset("xor");
    for (let seed = 0; seed < 10; seed++) {
      const net = Network.create({ sizes: [2, 4, 1], activation: "sigmoid" }, { seed });
      train(net, xor, { epochs: 5000, learningRate: 1, seed, engine: "compiled" });
      expect(net.evaluate(xor).accuracy, `xor, seed ${seed}`).toBe(1);
    }
    for (let seed = 0; seed < 10; seed++) {
      const moons = builtinDataset("moons", { seed });
      const net = Network.create({ sizes: [2, 8, 1], activation: ["tanh", "sigmoid"] }, { seed });
      train(net, moons, { epochs: 2000, learningRate: 1, seed, engine: "compiled" });
      expect(net.evaluate(moons).accuracy, `moons, seed ${seed}`).toBeGreaterThanOrEqual(0.97);
    }
  });

  it("the post's small uniform start stalls XOR where the default learns, so the default is the one that matters", () => {
    const xor = builtinDataset("xor");
    const stalled = [0, 1, 2].filter((seed) => {
      const net = Network.create(
        { sizes: [2, 4, 1], activation: "sigmoid" },
        { seed, method: "uniform", epsilon: 0.12 },
      );
      train(net, xor, { epochs: 5000, learningRate: 1, seed, engine: "compiled" });
      return net.evaluate(xor).accuracy! < 1;
    });
    expect(stalled.length).toBeGreaterThan(0);
  });

  it("the command line learns XOR with no --init (and with no --layers at all)", async () => {
    const a = await cli(
      "train",
      "--dataset",
      "xor",
      "--layers",
      "2,4,1",
      "--epochs",
      "5000",
      "--lr",
      "1",
      "--seed",
      "3",
    );
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/accuracy 100\.0%$/m);
    const save = join(root, "default-xor.json");
    const b = await cli("train", "--dataset", "xor", "--epochs", "5000", "--lr", "1", "--save", save);
    expect(b.out).toMatch(/trained 2-8-1 for 5000 epochs: cost [\d.e-]+, accuracy 100\.0%/);
    // nn's default network for the task, the explorer's train tab's too
    expect(readModelFile(save).network.layerSpec()).toMatchObject(defaultNetworkSpec(builtinDataset("xor")));
  });

  it("--epsilon alone means the post's uniform start; with --init he it is refused", async () => {
    const save = join(root, "eps.json");
    expect(
      (
        await cli(
          "train",
          "--dataset",
          "xor",
          "--layers",
          "2,3,1",
          "--epochs",
          "1",
          "--lr",
          "0.000001",
          "--epsilon",
          "0.05",
          "--save",
          save,
        )
      ).code,
    ).toBe(0);
    const theta = readModelFile(save).network.parameters();
    // one tiny step from U(−0.05, 0.05): every parameter, biases included, is still inside the range and some bias is not 0
    expect(Math.max(...theta.map(Math.abs))).toBeLessThanOrEqual(0.05 + 1e-6);
    expect(theta.some((v, i) => i % 3 === 0 && v !== 0)).toBe(true);
    const r = await cli(
      "train",
      "--dataset",
      "xor",
      "--layers",
      "2,3,1",
      "--epochs",
      "1",
      "--lr",
      "1",
      "--init",
      "he",
      "--epsilon",
      "0.05",
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--epsilon is the range of the uniform initialisation/);
  });
});

describe("stalls are named", () => {
  it("a stalled run prints one warning line with the likely causes; a run that learns prints none", async () => {
    const flat = await cli(
      "train",
      "--dataset",
      "xor",
      "--layers",
      "2,4,1",
      "--epochs",
      "5000",
      "--lr",
      "1",
      "--epsilon",
      "0.12",
      "--json",
    );
    expect(flat.code).toBe(0);
    const warnings = flat.err.trim().split("\n");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^chainrule: warning: Training stalled at epoch \d+: .* Likely causes: initial weights too small .*learning rate/,
    );
    const summary = JSON.parse(flat.out.trim().split("\n").at(-1)!);
    expect(summary.stalledAt).toBeGreaterThan(0);
    expect(flat.out.split("\n").filter((l) => l.includes('"stalled":true'))).toHaveLength(1);
    const learns = await cli("train", "--dataset", "xor", "--layers", "2,4,1", "--epochs", "5000", "--lr", "1");
    expect(learns.err).toBe("");
  });
});

describe("one result per seed", () => {
  it("the CLI and the API given the same data, seed and settings give the same model, bit for bit", async () => {
    for (const seed of [0, 7, 123456]) {
      const save = join(root, `seed-${seed}.json`);
      const r = await cli(
        "train",
        "--dataset",
        "moons",
        "--layers",
        "2,5,1",
        "--activation",
        "tanh,sigmoid",
        "--epochs",
        "20",
        "--lr",
        "0.5",
        "--batch-size",
        "16",
        "--validation",
        "0.2",
        "--seed",
        String(seed),
        "--save",
        save,
      );
      expect(r.code).toBe(0);
      const data = builtinDataset("moons", { seed });
      const net = Network.create({ sizes: [2, 5, 1], activation: ["tanh", "sigmoid"] }, { seed });
      train(net, data, { epochs: 20, learningRate: 0.5, batchSize: 16, validationSplit: 0.2, seed });
      expect(Array.from(readModelFile(save).network.parameters())).toEqual(Array.from(net.parameters()));
    }
  });

  it("the seed's three streams are independent: another seed changes the data, the start and the shuffling", () => {
    const a = builtinDataset("moons", { seed: 1 });
    const b = builtinDataset("moons", { seed: 2 });
    expect(a.x).not.toEqual(b.x);
    // the initial weights do not repeat the data's draws
    const net = Network.create({ sizes: [2, 3, 1] }, { seed: 1, method: "uniform", epsilon: 1 });
    const first = net.parameters().slice(0, 3);
    expect(Array.from(first)).not.toEqual(Array.from(a.x.slice(0, 3)));
  });
});

describe("labels in any shape that fits the network", () => {
  it("a two-class dataset trains a 2-unit softmax (one-hot) and a 1-unit sigmoid (0/1)", async () => {
    for (const name of ["xor", "moons", "circles"]) {
      const soft = await cli(
        "train",
        "--dataset",
        name,
        "--layers",
        "2,8,2",
        "--activation",
        "tanh,softmax",
        "--cost",
        "cross-entropy",
        "--epochs",
        "300",
        "--lr",
        "1",
      );
      expect(soft.code, soft.err).toBe(0);
      expect(soft.out).toMatch(/trained 2-8-2 for 300 epochs: cost [\d.e-]+, accuracy (9\d|100)\.\d%/);
    }
    const oneHot = builtinDataset("xor", { outputs: 2 });
    expect(Array.from(oneHot.y)).toEqual([1, 0, 0, 1, 0, 1, 1, 0]);
    expect(oneHot.classes).toEqual(["0", "1"]);
    expect(Array.from(builtinDataset("xor", { outputs: 1 }).y)).toEqual([0, 1, 1, 0]);
  });

  it("a shape that does not fit names the data's shape, the network's, and the flag to change", async () => {
    const out = await cli("train", "--dataset", "moons", "--layers", "2,8,3", "--epochs", "1", "--lr", "1");
    expect(out.code).toBe(2);
    expect(out.err.trim()).toBe(
      "chainrule: --dataset moons has 2 classes as one 0/1 target; the 2-8-3 network gives 3 outputs: change the last size of --layers to 1 (sigmoid) or 2 (softmax, one per class) (see chainrule train --help)",
    );
    const inputs = await cli("train", "--dataset", "iris", "--layers", "2,8,3", "--epochs", "1", "--lr", "1");
    expect(inputs.err).toMatch(
      /--dataset iris has 4 inputs per example; the 2-8-3 network takes 2: change the first size of --layers to 4/,
    );
    const spirals = await cli("train", "--dataset", "spirals", "--layers", "2,8,2", "--epochs", "1", "--lr", "1");
    expect(spirals.err).toMatch(
      /--dataset spirals has 3 classes, one-hot; the 2-8-2 network gives 2 outputs: change the last size of --layers to 3 \(one per class\)/,
    );
    expect(() => builtinDataset("iris", { outputs: 2 })).toThrow(
      /iris has 3 classes, one-hot; a network with 2 outputs cannot learn it/,
    );
  });
});

describe("the summary line", () => {
  it("reports the figures of the last epoch line, or says which epoch's weights were restored", async () => {
    const plain = await cli("train", "--dataset", "moons", "--epochs", "40", "--lr", "1", "--validation", "0.25");
    const last = plain.out.split("\n").filter((l) => l.startsWith("epoch 40/40"))[0]!;
    const figures = (line: string) => [...line.matchAll(/\d+\.\d+%?/g)].map((m) => m[0]);
    const summary = plain.out.split("\n").find((l) => l.startsWith("trained"))!;
    expect(figures(summary)).toEqual(figures(last));
    const early = await cli(
      "train",
      "--dataset",
      "moons",
      "--layers",
      "2,16,1",
      "--epochs",
      "5000",
      "--lr",
      "3",
      "--optimizer",
      "adam",
      "--validation",
      "0.5",
      "--patience",
      "20",
    );
    expect(early.out).toMatch(
      /\(stopped early: early-stopping\); the weights of epoch \d+, the best, were restored: cost/,
    );
    // the epoch an early stop ended on is printed too
    const lines = early.out.trim().split("\n");
    const stoppedAt = /for (\d+) epochs/.exec(lines.at(-1)!)![1];
    expect(lines.at(-2)).toMatch(new RegExp(`^epoch ${stoppedAt}/5000 `));
  });
});
