/**
 * What the nn verbs (grad, train, predict) share: the network from --model or from --layers and
 * friends, the data from --data or --dataset, all parsed and checked before any work starts.
 */

import { unknownName } from "@chainrule/core";
import {
  builtinDataset,
  DATASETS,
  type Dataset,
  describeTargets,
  fitOutputs,
  isDatasetName,
  type Model,
  type Network,
} from "@chainrule/nn";
import { readCsvShape, readModelFile } from "@chainrule/nn/node";
import { layerSpec, NETWORK_OPTIONS, parseSeed } from "./args.js";
import { UsageError } from "./errors.js";
import { type OptionSpec, optionNames, type ValuesOf } from "./verb.js";

/** Options that name a model file and data. */
export const MODEL_OPTIONS = {
  model: { type: "string", value: "m.json", description: "model file (layers, activations, cost, weights, biases)" },
  data: { type: "string", value: "d.csv", description: "CSV data: header x1,…,xn,y1,…,yk or x1,…,xn,label" },
  dataset: { type: "string", value: "name", description: `built-in dataset: ${DATASETS.join(", ")}` },
} as const satisfies Record<string, OptionSpec>;

/** The --seed option of grad and predict: the seed `train --seed` generated a built-in dataset from. */
export const DATA_SEED_OPTION = {
  seed: {
    type: "string",
    value: "S",
    description: "the --seed a built-in --dataset was trained with (moons, circles and spirals are generated from it)",
    default: "0",
  },
} as const satisfies Record<string, OptionSpec>;

/**
 * The seed of grad and predict's built-in --dataset: the --seed train generated it with. With
 * --data the seed would change nothing, so it is refused.
 */
export function dataSeed(values: ValuesOf<typeof DATA_SEED_OPTION>, source: ReturnType<typeof dataSource>): number {
  if (values.seed !== undefined && source.kind === "file") {
    throw new UsageError("--seed generates a built-in --dataset; a --data file is read as it is (leave out --seed)");
  }
  return parseSeed(values);
}

/** Which data source the options name; exactly one is required. */
export function dataSource(
  values: ValuesOf<typeof MODEL_OPTIONS>,
): { kind: "file"; path: string } | { kind: "dataset"; name: string } {
  const file = values.data;
  const name = values.dataset;
  if (file !== undefined && name !== undefined) throw new UsageError("give --data or --dataset, not both");
  if (file !== undefined) return { kind: "file", path: file };
  if (name !== undefined) {
    if (!isDatasetName(name)) throw unknownName("dataset", name, DATASETS);
    return { kind: "dataset", name };
  }
  throw new UsageError("--data d.csv or --dataset name is required");
}

/**
 * The built-in dataset or the CSV file, shaped for the network (labels use the model's classes; a
 * two-class dataset is one-hot for two outputs). `from` names where the network came from, for
 * the message when the data does not fit it.
 */
export function loadData(
  source: ReturnType<typeof dataSource>,
  network: Network,
  classes: readonly string[] | undefined,
  seed: number,
  targetsOptional = false,
  from = "--layers",
): Dataset & { readonly targets?: string } {
  if (source.kind === "dataset") return builtinFor(source.name, network, seed, from);
  const opts = classes !== undefined ? { classes, targetsOptional } : { targetsOptional };
  // the widths come from the layer sizes: a large network's graph is not built to read its data
  const { sizes } = network.spec;
  return readCsvShape(source.path, sizes[0]!, sizes[sizes.length - 1]!, opts);
}

/** A built-in dataset for the network, or one line naming both shapes and the flag to change. */
function builtinFor(name: string, network: Network, seed: number, from: string): Dataset {
  const data = builtinDataset(name, { seed });
  const { sizes } = network.spec;
  const nIn = sizes[0]!;
  const nOut = sizes[sizes.length - 1]!;
  const fix = (which: string, to: string) =>
    from === "--layers"
      ? `change the ${which} size of --layers to ${to}`
      : `use a model made for this data (${from} is not)`;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  if (data.inputs !== nIn) {
    throw new UsageError(
      `--dataset ${name} has ${count(data.inputs, "input")} per example; the ${sizes.join("-")} network takes ${nIn}: ${fix("first", String(data.inputs))}`,
    );
  }
  const fits = data.outputs === nOut || (data.outputs === 1 && data.classes === undefined && nOut === 2);
  if (!fits) {
    const want = data.outputs === 1 ? "1 (sigmoid) or 2 (softmax, one per class)" : `${data.outputs} (one per class)`;
    throw new UsageError(
      `--dataset ${name} has ${describeTargets(data)}; the ${sizes.join("-")} network gives ${count(nOut, "output")}: ${fix("last", want)}`,
    );
  }
  return fitOutputs(data, nOut);
}

/** True when the network options (--layers etc.) are present. */
export function hasNetworkOptions(values: ValuesOf<typeof NETWORK_OPTIONS>): boolean {
  return optionNames(NETWORK_OPTIONS).some((k) => values[k] !== undefined);
}

/** The model from --model and the path it was read from (network options are then not allowed). */
export function loadModel(values: ValuesOf<typeof MODEL_OPTIONS & typeof NETWORK_OPTIONS>): {
  model: Model;
  path: string;
} {
  const path = values.model;
  if (path === undefined) throw new UsageError("--model m.json is required");
  if (hasNetworkOptions(values))
    throw new UsageError("give --model or --layers (with --activation, --cost, --no-bias, --l2), not both");
  return { model: readModelFile(path), path };
}

/** The --model option of the verbs that otherwise take a network's layers (derive, paths, check). */
export const MODEL_SPEC_OPTION = {
  model: {
    type: "string",
    value: "m.json",
    description:
      "a model file: its layers, activations, cost and λ (and, for numbers, its weights) instead of --layers",
  },
} as const satisfies Record<string, OptionSpec>;

/**
 * The network of --model (its layer spec and parameters) or of --layers and friends (parameters
 * null: the verb draws its own); both at once is a UsageError.
 */
export function specOrModel(values: ValuesOf<typeof MODEL_SPEC_OPTION & typeof NETWORK_OPTIONS>): {
  spec: ReturnType<typeof layerSpec>;
  theta: Float64Array | null;
} {
  if (values.model === undefined) return { spec: layerSpec(values), theta: null };
  if (hasNetworkOptions(values))
    throw new UsageError("give --model or --layers (with --activation, --cost, --no-bias, --l2), not both");
  const net = readModelFile(values.model).network;
  return { spec: net.layerSpec(), theta: net.parameters() };
}

/** The layer spec from --layers etc., or null when --layers is absent. */
export function freshSpec(values: ValuesOf<typeof NETWORK_OPTIONS>): ReturnType<typeof layerSpec> | null {
  if (values.layers === undefined) {
    if (hasNetworkOptions(values))
      throw new UsageError("--activation, --cost, --no-bias and --l2 describe a new network and need --layers");
    return null;
  }
  return layerSpec(values);
}
