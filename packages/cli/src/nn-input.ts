/**
 * What the nn verbs (grad, train, predict) share: the network from --model or from --layers and
 * friends, the data from --data or --dataset, all parsed and checked before any work starts.
 */
import { Network, builtinDataset, isDatasetName, readCsvFile, readModelFile, DATASETS, type Dataset, type Model } from "@chainrule/nn";
import { unknownName } from "@chainrule/core";
import { NETWORK_OPTIONS, layerSpec } from "./args.js";
import { UsageError } from "./errors.js";
import type { OptionSpec, Values } from "./verb.js";

/** Options that name a model file and data. */
export const MODEL_OPTIONS = {
  model: { type: "string", value: "m.json", description: "model file (layers, activations, cost, weights, biases)" },
  data: { type: "string", value: "d.csv", description: "CSV data: header x1,…,xn,y1,…,yk or x1,…,xn,label" },
  dataset: { type: "string", value: "name", description: `built-in dataset: ${DATASETS.join(", ")}` },
} as const satisfies Record<string, OptionSpec>;

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
  return readCsvFile(source.path, network.graph(), opts);
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
