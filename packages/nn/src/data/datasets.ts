/**
 * Built-in datasets: the logic gates (xor, and, or: 2 inputs, 1 output), three generated ones —
 * moons, circles (2 inputs, 1 output: class 0 or 1) and spirals (2 inputs, one output per arm,
 * one-hot) — drawn from a seeded generator, and Fisher's iris (4 inputs, 3 classes, one-hot).
 * Asked for the outputs of a network, the two-class ones are one-hot over two outputs (one unit
 * per class, for a softmax) or kept as 0/1 for one output (a sigmoid).
 */

import { type ActivationName, type CostName, type LayerSpec, show, unknownName } from "@chainrule/core";
import { optionsObject, wholeNumber } from "../check.js";
import { DataError, OptionError } from "../errors.js";
import { seedStream } from "../random.js";
import { type Dataset, dataset } from "./dataset.js";
import { IRIS_CLASSES, irisRows } from "./iris.js";

/** Names of the built-in datasets. */
export const DATASETS = ["xor", "and", "or", "moons", "circles", "spirals", "iris"] as const;
/** A built-in dataset's name. */
export type DatasetName = (typeof DATASETS)[number];

/** Options of the generated datasets (ignored by the fixed ones). */
export interface DatasetOptions {
  /** Seed (default 0): the examples are drawn from its data stream, `seedStream(seed, "data")`. */
  readonly seed?: number;
  /**
   * The outputs of the network the data is for: two-class data is one-hot over 2 outputs (class c
   * is output c + 1) or 0/1 for 1 output; data of K classes needs K outputs. Default: as the
   * dataset comes (the two-class ones 0/1, the others one-hot).
   */
  readonly outputs?: number;
  /** Number of examples (default 200 for moons and circles, 300 for spirals). */
  readonly size?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.1; spirals 0.2 in angle units). */
  readonly noise?: number;
  /** Arms of the spiral (default 3). */
  readonly arms?: number;
}

const GATES: { readonly [K in "xor" | "and" | "or"]: (a: number, b: number) => number } = {
  xor: (a, b) => a ^ b,
  and: (a, b) => a & b,
  or: (a, b) => a | b,
};

/** True when `name` is a built-in dataset. */
export function isDatasetName(name: string): name is DatasetName {
  return typeof name === "string" && (DATASETS as readonly string[]).includes(name);
}

/**
 * The output layer and cost that suit a classification task, one default shared by the command
 * line and the explorer: one 0/1 output (two classes), a sigmoid with binary cross-entropy; one
 * output per class, a softmax with cross-entropy.
 */
export function classifierOutput(outputs: number): {
  readonly activation: "sigmoid" | "softmax";
  readonly cost: CostName;
} {
  wholeNumber("The number of outputs", outputs, 1);
  return outputs === 1
    ? { activation: "sigmoid", cost: "binary-cross-entropy" }
    : { activation: "softmax", cost: "cross-entropy" };
}

/**
 * The default network for a classification dataset (the CLI's `train --dataset` without
 * --layers, the explorer's train tab): hidden layers of `activation` (default one of 8 tanh
 * neurons), then {@link classifierOutput}'s output layer and cost. Names are checked where the
 * spec is used (Network.create).
 */
export function defaultNetworkSpec(
  data: { readonly inputs: number; readonly outputs: number },
  hidden: readonly number[] = [8],
  activation: ActivationName = "tanh",
): LayerSpec {
  if (typeof data !== "object" || data === null)
    throw new OptionError(`The data is a dataset (with its inputs and outputs); got ${show(data, 40)}.`, data);
  wholeNumber("The number of inputs", data.inputs, 1);
  if (!Array.isArray(hidden))
    throw new OptionError(`The hidden layers are a list of sizes, e.g. [8, 8]; got ${show(hidden)}.`, hidden);
  const out = classifierOutput(data.outputs);
  return {
    sizes: [data.inputs, ...hidden, data.outputs],
    activation: [...hidden.map(() => activation), out.activation],
    cost: out.cost,
  };
}

/** A built-in dataset by name. The same options give the same data, bit for bit. */
export function builtinDataset(name: string, options: DatasetOptions = {}): Dataset {
  if (!isDatasetName(name)) throw unknownName("dataset", name, DATASETS);
  optionsObject("The dataset options", options);
  const outputs = options.outputs;
  if (outputs !== undefined) wholeNumber("The number of outputs", outputs, 1);
  const data = generate(name, options);
  return outputs === undefined ? data : fitOutputs(data, outputs);
}

/** How a dataset's targets read: "2 classes as one 0/1 target", "3 classes, one-hot". */
export function describeTargets(data: Dataset): string {
  if (data.classes !== undefined) return `${data.classes.length} classes, one-hot`;
  return data.outputs === 1 ? "2 classes as one 0/1 target" : `${data.outputs} targets`;
}

/**
 * The two-class dataset one-hot over two outputs, or unchanged when it already has `outputs`
 * targets; any other pairing is a DataError naming both shapes.
 */
export function fitOutputs(data: Dataset, outputs: number): Dataset {
  if (typeof data !== "object" || data === null || typeof data.outputs !== "number" || typeof data.m !== "number") {
    throw new OptionError(`fitOutputs takes a dataset (builtinDataset, dataset), got ${show(data, 40)}.`, data);
  }
  wholeNumber("The number of outputs", outputs, 1);
  if (data.outputs === outputs) return data;
  if (data.outputs === 1 && data.classes === undefined && outputs === 2) {
    const y = new Float64Array(data.m * 2);
    for (let e = 0; e < data.m; e++) y[e * 2 + data.y[e]!] = 1;
    return dataset(data.name, { m: data.m, x: data.x, y }, data.inputs, 2, ["0", "1"]);
  }
  const fits =
    data.outputs === 1 ? "1 output (sigmoid) or 2 (softmax, one per class)" : `${data.outputs} outputs (one per class)`;
  throw new DataError(
    data.name,
    `${data.name} has ${describeTargets(data)}; a network with ${outputs} outputs cannot learn it. Give it ${fits}.`,
    null,
    outputs,
  );
}

/** The examples of a built-in dataset, in the shape it comes in. */
function generate(name: DatasetName, options: DatasetOptions): Dataset {
  const rng = seedStream(options.seed ?? 0, "data");
  const size = (fallback: number): number => {
    const n = options.size ?? fallback;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 2 || n > 1_000_000)
      throw new OptionError(`A dataset size must be a whole number from 2 to 1000000, got ${show(n)}.`, n);
    return n;
  };
  const noise = options.noise ?? 0.1;
  if (typeof noise !== "number" || !Number.isFinite(noise) || noise < 0)
    throw new OptionError(`Noise must be a finite number ≥ 0, got ${show(noise)}.`, noise);
  switch (name) {
    case "xor":
    case "and":
    case "or": {
      const f = GATES[name];
      const rows = [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ] as const;
      return dataset(
        name,
        { m: 4, x: Float64Array.from(rows.flat()), y: Float64Array.from(rows.map(([a, b]) => f(a, b))) },
        2,
        1,
      );
    }
    case "moons": {
      // two interleaved half circles: class 0 on top, class 1 below, shifted right
      const m = size(200);
      const x = new Float64Array(2 * m);
      const y = new Float64Array(m);
      for (let e = 0; e < m; e++) {
        const c = e % 2;
        const t = Math.PI * rng.float();
        x[2 * e] = (c === 0 ? Math.cos(t) : 1 - Math.cos(t)) + noise * rng.normal();
        x[2 * e + 1] = (c === 0 ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * rng.normal();
        y[e] = c;
      }
      return dataset(name, { m, x, y }, 2, 1);
    }
    case "circles": {
      // class 1 on a circle of radius ½ inside class 0's circle of radius 1
      const m = size(200);
      const x = new Float64Array(2 * m);
      const y = new Float64Array(m);
      for (let e = 0; e < m; e++) {
        const c = e % 2;
        const r = c === 0 ? 1 : 0.5;
        const t = 2 * Math.PI * rng.float();
        x[2 * e] = r * Math.cos(t) + noise * rng.normal();
        x[2 * e + 1] = r * Math.sin(t) + noise * rng.normal();
        y[e] = c;
      }
      return dataset(name, { m, x, y }, 2, 1);
    }
    case "spirals": {
      // arm k: radius r ∈ [0, 1], angle 4r + 2πk/K (+ noise), one-hot over K arms
      const K = options.arms ?? 3;
      if (typeof K !== "number" || !Number.isInteger(K) || K < 2 || K > 10)
        throw new OptionError(`A spiral has 2 to 10 arms, got ${show(K)}.`, K);
      const m = size(300);
      const x = new Float64Array(2 * m);
      const y = new Float64Array(m * K);
      for (let e = 0; e < m; e++) {
        const k = e % K;
        const r = rng.float();
        const t = 4 * r + (2 * Math.PI * k) / K + (options.noise ?? 0.2) * rng.normal();
        x[2 * e] = r * Math.sin(t);
        x[2 * e + 1] = r * Math.cos(t);
        y[e * K + k] = 1;
      }
      return dataset(
        name,
        { m, x, y },
        2,
        K,
        Array.from({ length: K }, (_, k) => `arm ${k + 1}`),
      );
    }
    case "iris": {
      const rows = irisRows();
      const x = Float64Array.from(rows.flatMap((r) => r.features));
      const y = new Float64Array(rows.length * 3);
      rows.forEach((r, e) => {
        y[e * 3 + r.species] = 1;
      });
      return dataset(name, { m: rows.length, x, y }, 4, 3, IRIS_CLASSES);
    }
  }
}
