/**
 * What the nn verbs (grad, train, predict) share: the network from --model or from --layers and
 * friends, the data from --data or --dataset, all parsed and checked before any work starts.
 */
import { Network, Random, builtinDataset, isDatasetName, readCsvShape, readModelFile, DATASETS, type Dataset, type Model } from "@chainrule/nn";
import { unknownName } from "@chainrule/core";
import { NETWORK_OPTIONS, layerSpec, parseInteger } from "./args.js";
import { UsageError } from "./errors.js";
import type { OptionSpec, Values } from "./verb.js";

/** Options that name a model file and data. */
export const MODEL_OPTIONS = {
  model: { type: "string", value: "m.json", description: "model file (layers, activations, cost, weights, biases)" },
  data: { type: "string", value: "d.csv", description: "CSV data: header x1,…,xn,y1,…,yk or x1,…,xn,label" },
  dataset: { type: "string", value: "name", description: `built-in dataset: ${DATASETS.join(", ")}` },
} as const satisfies Record<string, OptionSpec>;

/** The --seed option of grad and predict: the seed `train --seed` generated a built-in dataset from. */
export const DATA_SEED_OPTION = {
  seed: { type: "string", value: "S", description: "the --seed a built-in --dataset was trained with (moons, circles and spirals are generated from it)", default: "0" },
} as const satisfies Record<string, OptionSpec>;

/** --seed: a whole number 0…2³²−1 (default 0). */
export function parseSeed(values: Values): number {
  return parseInteger(values["seed"] as string | undefined, "--seed", 0, 0, 2 ** 32 - 1);
}

/**
 * The seeds of the independent streams one --seed drives: the root generator Random(seed)'s first
 * three words, for data generation, initialisation and training (shuffling, the validation split).
 * Every verb derives the dataset seed here, so `--dataset NAME --seed S` is the same examples in
 * train, grad and predict.
 */
export function seedStreams(seed: number): { readonly data: number; readonly init: number; readonly train: number } {
  const root = new Random(seed);
  const data = root.uint32();
  const init = root.uint32();
  return { data, init, train: root.uint32() };
}

/**
 * The dataset seed of grad and predict from their --seed, derived as train derives it. With
 * --data the seed would change nothing, so it is refused.
 */
export function dataSeed(values: Values, source: ReturnType<typeof dataSource>): number {
  if (values["seed"] !== undefined && source.kind === "file") {
    throw new UsageError("--seed generates a built-in --dataset; a --data file is read as it is (leave out --seed)");
  }
  return seedStreams(parseSeed(values)).data;
}

/** Which data source the options name; exactly one is required. */
export function dataSource(values: Values): { kind: "file"; path: string } | { kind: "dataset"; name: string } {
  const file = values["data"] as string | undefined;
  const name = values["dataset"] as string | undefined;
  if (file !== undefined && name !== undefined) throw new UsageError("give --data or --dataset, not both");
  if (file !== undefined) return { kind: "file", path: file };
  if (name !== undefined) {
    if (!isDatasetName(name)) throw unknownName("dataset", name, DATASETS);
    return { kind: "dataset", name };
  }
  throw new UsageError("--data d.csv or --dataset name is required");
}

/** The built-in dataset or the CSV file, shaped for the network (labels use the model's classes). */
export function loadData(source: ReturnType<typeof dataSource>, network: Network, classes: readonly string[] | undefined, seed: number, targetsOptional = false): Dataset & { readonly targets?: string } {
  if (source.kind === "dataset") return builtinDataset(source.name, { seed });
  const opts = classes !== undefined ? { classes, targetsOptional } : { targetsOptional };
  // the widths come from the layer sizes: a large network's graph is not built to read its data
  const { sizes } = network.spec;
  return readCsvShape(source.path, sizes[0]!, sizes[sizes.length - 1]!, opts);
}

/** True when the network options (--layers etc.) are present. */
export function hasNetworkOptions(values: Values): boolean {
  return Object.keys(NETWORK_OPTIONS).some((k) => values[k] !== undefined);
}

/** The model from --model (network options are then not allowed). */
export function loadModel(values: Values): Model {
  const path = values["model"] as string | undefined;
  if (path === undefined) throw new UsageError("--model m.json is required");
  if (hasNetworkOptions(values)) throw new UsageError("give --model or --layers (with --activation, --cost, --no-bias, --l2), not both");
  return readModelFile(path);
}

/** The layer spec from --layers etc., or null when --layers is absent. */
export function freshSpec(values: Values): ReturnType<typeof layerSpec> | null {
  if (values["layers"] === undefined) {
    if (hasNetworkOptions(values)) throw new UsageError("--activation, --cost, --no-bias and --l2 describe a new network and need --layers");
    return null;
  }
  return layerSpec(values);
}
