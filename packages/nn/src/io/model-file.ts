/**
 * The model file: a network's layers, activations, cost and parameters as JSON, in the post's
 * notation — weights[l−1][j−1][k−1] = θ⁽ˡ⁾_jk, biases[l−1][j−1] = θ⁽ˡ⁾_j0 (no `biases`: no
 * bias), `frozen` ("biases" or [[l, j, k], …]: parameters training leaves as they are) — plus, in
 * saved models, the format name and version, class names and the training state
 * (optimizer, generator, epochs, history) to resume from. Loading a saved model gives back every
 * weight bit for bit.
 *
 * A graph model (any DAG: skip connections, tied parameters, several outputs) is saved in the
 * graph form: `graph` holds core's graph data as it is (`{ nodes: { id: node, … }, layers? }`,
 * what `buildGraph` validates), `parameters` the values by parameter id, `frozen` "biases" or a
 * list of ids; format, version, classes and training are as in the layered form.
 *
 * Everything here works on text, in a browser as in node; reading and writing files
 * (`readModelFile`, `writeModelFile`) is in `@chainrule/nn/node`.
 */
import {
  buildGraph,
  type Graph,
  type GraphData,
  kindOf,
  type LayerSpec,
  nameOf,
  normaliseSpec,
  show,
} from "@chainrule/core";
import { numberText } from "../data/csv.js";
import { ModelFileError, NonFiniteError, OptionError } from "../errors.js";
import { type GraphFrozenSpec, GraphModel } from "../graph-model.js";
import { type FrozenSpec, Network, type ParameterAddress } from "../network.js";
import { isRandomState, type RandomState } from "../random.js";
import { checkOptimizerName, createOptimizer, type OptimizerState } from "../train/optimizers.js";
import type { EpochRecord } from "../train/records.js";
import type { ResumeState } from "../train/trainer.js";
import { jsonSyntaxProblem } from "./json-syntax.js";

/** The format name saved models carry. */
export const MODEL_FORMAT = "chainrule-model";
/** The format version this library writes (and the newest it reads). */
export const MODEL_VERSION = 1;

/** Where a saved training run stands. */
export interface TrainingState {
  /** Epochs trained so far. */
  readonly epochs: number;
  readonly optimizer?: OptimizerState;
  /** The generator's state after the last epoch. */
  readonly random?: RandomState;
  readonly history?: readonly EpochRecord[];
  /** The settings of the run, for reference. */
  readonly settings?: Readonly<Record<string, number | string>>;
}

/**
 * Where a saved run continues from: the optimizer state, generator state and epochs of a model's
 * training record, or undefined when the record holds no state to continue (a run started from
 * it is a new run from the model's weights).
 */
export function resumeOf(training: TrainingState | undefined): Required<ResumeState> | undefined {
  return training?.optimizer !== undefined && training.random !== undefined
    ? { optimizer: training.optimizer, random: training.random, epochs: training.epochs }
    : undefined;
}

/** A model: the network (a layered Network, or a GraphModel), plus what a saved model may carry. */
export interface Model<N extends Network | GraphModel = Network> {
  readonly network: N;
  /** Class names in output order (labelled data). */
  readonly classes?: readonly string[];
  readonly training?: TrainingState;
}

/** A model read from text, with where it came from. */
export interface ModelFile<N extends Network | GraphModel = Network> extends Model<N> {
  readonly source: string;
}

type Obj = { readonly [key: string]: unknown };

// ---------------------------------------------------------------------------------------------
// Writing: readable (one matrix row per line) and exact — every number is the shortest text that
// reads back as the same 64-bit double, including −0, which JSON.stringify would write as 0.

/** A value the writer accepts. */
export type JsonValue =
  | number
  | string
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

const flat = (v: JsonValue): boolean => typeof v !== "object" || v === null;

/**
 * JSON text of a value; arrays of plain values stay on one line, nested arrays and objects indent.
 * A NaN or ±Infinity is a {@link NonFiniteError} that names where it is (e.g. `weights[0][1][2]`).
 */
export function writeJson(value: JsonValue, indent = ""): string {
  if (typeof indent !== "string" || !/^[ \t]*$/.test(indent))
    throw new OptionError(`The indent is spaces or tabs, got ${show(indent)}.`, indent);
  return write(value, indent, "", 0);
}

/** A value written on one line (a graph node), wherever it sits. */
class Inline {
  constructor(readonly value: JsonValue) {}
}

/** Deeper than this, a value is not a model's (or it contains itself). */
const MAX_DEPTH = 64;

function write(value: JsonValue | Inline, indent: string, path: string, depth: number): string {
  if (value instanceof Inline) return inline(value.value, path, depth);
  const where = path === "" ? "The value" : path;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new NonFiniteError(where, value);
    return numberText(value);
  }
  if (typeof value === "string" || typeof value === "boolean" || value === null) return JSON.stringify(value);
  if (typeof value !== "object")
    throw new OptionError(`${where} is ${kindOf(value)}, which JSON has no form for.`, value);
  if (depth >= MAX_DEPTH)
    throw new OptionError(
      `${where} is nested more than ${MAX_DEPTH} levels deep (or contains itself); JSON of a model is a few levels deep.`,
      value,
    );
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const arr = value as readonly JsonValue[];
    if (arr.length === 0) return "[]";
    if (arr.every(flat)) return `[${Array.from(arr, (v, i) => write(v, "", `${path}[${i}]`, depth + 1)).join(", ")}]`;
    return `[\n${Array.from(arr, (v, i) => inner + write(v, inner, `${path}[${i}]`, depth + 1)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as { readonly [key: string]: JsonValue | undefined }).filter(
    (e): e is [string, JsonValue] => e[1] !== undefined,
  );
  if (entries.length === 0) return "{}";
  const at = (k: string) => (path === "" ? k : `${path}.${k}`);
  if (entries.every(([, v]) => flat(v)) && entries.length <= 6) {
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${write(v, "", at(k), depth + 1)}`).join(", ")} }`;
  }
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${write(v, inner, at(k), depth + 1)}`).join(",\n")}\n${indent}}`;
}

/** JSON of a value on one line, numbers exact as in {@link writeJson}. */
function inline(value: JsonValue, path: string, depth: number): string {
  if (typeof value !== "object" || value === null) return write(value, "", path, depth);
  if (depth >= MAX_DEPTH) return write(value, "", path, depth);
  if (Array.isArray(value))
    return `[${Array.from(value as readonly JsonValue[], (v, i) => inline(v, `${path}[${i}]`, depth + 1)).join(", ")}]`;
  const entries = Object.entries(value as { readonly [key: string]: JsonValue | undefined }).filter(
    (e): e is [string, JsonValue] => e[1] !== undefined,
  );
  return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v, `${path}.${k}`, depth + 1)}`).join(", ")} }`;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** A model file's JSON object, its name for messages, and the failure that names it. */
interface Doc {
  readonly o: Obj;
  readonly source: string;
  readonly fail: (msg: string, value?: unknown) => never;
}

/**
 * Parses a model file's text: a layered network (`layers`, `weights`). A graph model's file (a
 * `graph` field) is read with {@link parseGraphModel}. Every problem is a ModelFileError that
 * names the field.
 */
export function parseModel(text: string, source = "model"): ModelFile {
  const { o, source: name, fail } = readDoc(text, source);
  if (o.graph !== undefined) {
    fail(
      `this file holds a graph model (a "graph" field, not "layers"); read it with parseGraphModel or readGraphModelFile. The command line trains layered models.`,
    );
  }
  return layeredModel(o, name, fail);
}

/**
 * Parses a graph model's file: `graph` (core's graph data), `parameters` by id, and optional
 * `frozen`, `classes` and `training` as in the layered form. Every problem is a ModelFileError
 * that names the field.
 */
export function parseGraphModel(text: string, source = "model"): ModelFile<GraphModel> {
  const { o, source: name, fail } = readDoc(text, source);
  if (o.graph === undefined) {
    fail(
      `this file holds no "graph"${o.layers !== undefined ? " (it is a layered network: read it with parseModel or readModelFile)" : ""}; a graph model's file is {"graph": {"nodes": {…}}, "parameters": {…}}.`,
    );
  }
  for (const k of ["layers", "activations", "weights", "biases", "cost", "l2"]) {
    if (o[k] !== undefined)
      fail(
        `"${k}" belongs to the layered form; a graph model's file has "graph" and "parameters" (the graph's cost node holds the cost and λ).`,
      );
  }
  const g = o.graph;
  if (
    typeof g !== "object" ||
    g === null ||
    Array.isArray(g) ||
    typeof (g as Obj).nodes !== "object" ||
    (g as Obj).nodes === null ||
    Array.isArray((g as Obj).nodes)
  ) {
    fail(`"graph" is core's graph data, {"nodes": {"<id>": {"kind": …, "id": "<id>", …}, …}}; got ${show(g)}.`, g);
  }
  const data = g as Obj;
  const extra = Object.keys(data).find((k) => k !== "nodes" && k !== "layers");
  if (extra !== undefined) fail(`"graph" has the fields "nodes" and optionally "layers"; got ${show(extra)}.`, extra);
  let graph: Graph;
  try {
    graph = buildGraph({
      nodes: data.nodes as GraphData["nodes"],
      layers: (data.layers ?? null) as GraphData["layers"],
    });
  } catch (e) {
    return fail(`"graph": ${(e as Error).message}`);
  }
  const values = o.parameters;
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    fail(`"parameters" is an object of the parameters' values by id, e.g. {"w1": 0.5}; got ${show(values)}.`, values);
  }
  for (const [id, v] of Object.entries(values as Obj)) finite(v, `parameters[${show(id, 40)}]`, fail);
  let model: GraphModel;
  try {
    model = GraphModel.fromParameters(graph, values as Record<string, number>);
  } catch (e) {
    return fail(`"parameters": ${(e as Error).message}`);
  }
  if (o.frozen !== undefined) {
    const f = o.frozen;
    if (f !== "biases" && !(Array.isArray(f) && f.every((id) => typeof id === "string")))
      fail(`"frozen" must be "biases" or a list of parameter ids, e.g. ["w1", "c1"]; got ${show(f)}.`, f);
    try {
      model.setFrozen(f as GraphFrozenSpec);
    } catch (e) {
      fail(`"frozen": ${(e as Error).message}`, f);
    }
  }
  return { ...extras(o, model.outputCount, model.parameterCount, fail), network: model, source: name };
}

/** The JSON object of a model file's text, after the checks every form shares. */
function readDoc(text: string, source: string): Doc {
  // the name messages give the file: as it is, or quoted short when it is long or not plain text
  source = typeof source === "string" && source.length > 0 ? nameOf(source) : "model";
  if (typeof text !== "string")
    throw new ModelFileError(source, `a model file's text is a string; got ${kindOf(text)}.`, text);
  // a UTF-8 byte-order mark, as editors on some systems write it, is not part of the JSON
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(
      source,
      `not valid JSON (${jsonProblem(e, text)}). Fix the syntax, e.g. a missing comma or bracket.`,
    );
  }
  const fail = (msg: string, value?: unknown): never => {
    throw new ModelFileError(source, msg, value);
  };
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    fail(`a model file is a JSON object with "layers" and "weights", e.g. {"layers": [2, 2, 2], "weights": […]}.`);
  const o = doc as Obj;
  if (o.format !== undefined && o.format !== MODEL_FORMAT)
    fail(`"format" is ${show(o.format)}; this reads "${MODEL_FORMAT}" files.`);
  if (
    o.version !== undefined &&
    (typeof o.version !== "number" || !Number.isInteger(o.version) || o.version < 1 || o.version > MODEL_VERSION)
  ) {
    fail(
      `"version" is ${show(o.version)}; this chainrule reads versions 1…${MODEL_VERSION}${typeof o.version === "number" && o.version > MODEL_VERSION ? ". A newer chainrule wrote it: upgrade" : ""}.`,
    );
  }
  return { o, source, fail };
}

/** A layered network's model file. */
function layeredModel(o: Obj, source: string, fail: (msg: string, value?: unknown) => never): ModelFile {
  const layers = o.layers;
  if (!Array.isArray(layers) || layers.length < 2 || !layers.every((n) => Number.isInteger(n) && n >= 1)) {
    const bad = Array.isArray(layers) ? layers.findIndex((n) => !Number.isInteger(n) || n < 1) : -1;
    const entry: unknown = bad >= 0 ? (layers as unknown[])[bad] : undefined;
    const which =
      bad >= 0
        ? `; layers[${bad}] is ${show(entry)}${entry === Infinity || entry === -Infinity ? " (a number too large for a 64-bit float)" : ""}`
        : "";
    fail(
      `"layers" must list at least two whole numbers ≥ 1 (neurons per layer, input first), e.g. [2, 2, 2]; got ${show(layers)}${which}.`,
    );
  }
  const sizes = layers as number[];
  const L = sizes.length;
  const acts = o.activations ?? "sigmoid";
  if (!(typeof acts === "string" || (Array.isArray(acts) && acts.every((a) => typeof a === "string")))) {
    fail(
      `"activations" must be a name or a list of ${L - 1} names (one per non-input layer), e.g. ["sigmoid", "sigmoid"].`,
    );
  }
  const spec: LayerSpec = {
    sizes,
    activation: acts as string | string[],
    cost: (o.cost as string | undefined) ?? "mse",
    bias: o.biases !== undefined,
    l2: (o.l2 as number | undefined) ?? 0,
  };
  if (typeof spec.cost !== "string") fail(`"cost" must be a name such as "mse"; got ${show(spec.cost)}.`);
  if (typeof spec.l2 !== "number") fail(`"l2" must be a number ≥ 0; got ${show(spec.l2)}.`);
  try {
    normaliseSpec(spec);
  } catch (e) {
    fail((e as Error).message);
  }
  const weights = o.weights;
  if (!Array.isArray(weights)) fail(`"weights" is missing: give weights[l−1][j−1][k−1] = θ⁽ˡ⁾_jk for l = 1…${L - 1}.`);
  const W = weights as unknown[];
  if (W.length !== L - 1)
    fail(`"weights" has ${W.length} matrices; a network with ${L} layers needs ${L - 1} (one per pair of layers).`);
  const biases = o.biases;
  if (biases !== undefined && (!Array.isArray(biases) || biases.length !== L - 1)) {
    fail(
      `"biases" must hold ${L - 1} lists (biases[l−1][j−1] is the bias into neuron j of layer l+1), or be left out for no biases.`,
    );
  }
  const theta: number[] = [];
  for (let l = 1; l < L; l++) {
    const from = sizes[l - 1]!;
    const to = sizes[l]!;
    const rows = W[l - 1];
    if (!Array.isArray(rows) || rows.length !== to) {
      fail(
        `weights[${l - 1}] must have ${to} rows (neurons of layer ${l + 1}), each with ${from} numbers (neurons of layer ${l}); got ${Array.isArray(rows) ? `${rows.length} rows` : show(rows)}.`,
      );
    }
    const bl = biases === undefined ? null : (biases as unknown[])[l - 1];
    if (bl !== null && (!Array.isArray(bl) || bl.length !== to)) {
      fail(
        `biases[${l - 1}] must have ${to} numbers (one per neuron of layer ${l + 1}); got ${Array.isArray(bl) ? bl.length : show(bl)}.`,
      );
    }
    for (let j = 1; j <= to; j++) {
      const row = (rows as unknown[])[j - 1];
      if (!Array.isArray(row) || row.length !== from) {
        fail(
          `weights[${l - 1}][${j - 1}] must have ${from} numbers (θ⁽${l}⁾_${j}k for k = 1…${from}); got ${Array.isArray(row) ? row.length : show(row)}.`,
        );
      }
      if (bl !== null) theta.push(finite((bl as unknown[])[j - 1], `biases[${l - 1}][${j - 1}]`, fail));
      for (let k = 1; k <= from; k++)
        theta.push(finite((row as unknown[])[k - 1], `weights[${l - 1}][${j - 1}][${k - 1}]`, fail));
    }
  }
  let network: Network;
  try {
    network = Network.fromParameters(spec, theta);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (o.frozen !== undefined) {
    const frozen = frozenField(o.frozen, fail);
    try {
      network.setFrozen(frozen);
    } catch (e) {
      fail(`"frozen": ${(e as Error).message}`, o.frozen);
    }
  }
  return { ...extras(o, sizes[L - 1]!, network.parameterCount, fail), network, source };
}

/** The fields every form shares after the network: class names and the training state. */
function extras(
  o: Obj,
  nOut: number,
  n: number,
  fail: (msg: string, value?: unknown) => never,
): { classes?: readonly string[]; training?: TrainingState } {
  const classes = o.classes;
  if (classes !== undefined) {
    const want = nOut === 1 ? 2 : nOut;
    if (!Array.isArray(classes) || classes.length !== want || !classes.every((c) => typeof c === "string")) {
      fail(`"classes" must list ${want} names (${nOut === 1 ? "for outputs 0 and 1" : "one per output"}).`);
    }
  }
  const training = o.training === undefined ? undefined : trainingState(o.training, n, fail);
  const out: { classes?: readonly string[]; training?: TrainingState } = {};
  if (classes !== undefined) out.classes = classes as string[];
  if (training !== undefined) out.training = training;
  return out;
}

function finite(v: unknown, where: string, fail: (m: string, v?: unknown) => never): number {
  if (typeof v !== "number" || !Number.isFinite(v))
    fail(
      `${where} must be a finite number, got ${show(v)}${v === Infinity || v === -Infinity ? " (a number too large for a 64-bit float)" : ""}.`,
      v,
    );
  return v as number;
}

/** The `frozen` field's shape: "biases" or a list of [l, j, k] of whole numbers (the network checks that they exist). */
function frozenField(f: unknown, fail: (m: string, v?: unknown) => never): FrozenSpec {
  if (f === "biases") return f;
  if (!Array.isArray(f)) {
    return fail(
      `"frozen" must be "biases" or a list of parameter addresses [l, j, k] (k = 0 is the bias), e.g. [[1, 1, 0], [2, 1, 0]]; got ${show(f)}.`,
      f,
    );
  }
  for (let i = 0; i < f.length; i++) {
    const a: unknown = f[i];
    if (!Array.isArray(a) || a.length !== 3 || !a.every((n) => Number.isInteger(n))) {
      fail(
        `frozen[${i}] must be an address [l, j, k] of three whole numbers (layer, to-neuron, from-neuron; k = 0 is the bias), e.g. [1, 1, 0]; got ${show(a)}.`,
        a,
      );
    }
  }
  return f as ParameterAddress[];
}

function trainingState(t: unknown, n: number, fail: (m: string, v?: unknown) => never): TrainingState {
  if (typeof t !== "object" || t === null || Array.isArray(t))
    return fail(`"training" must be an object; got ${show(t)}.`);
  const o = t as Obj;
  const epochs = o.epochs;
  if (!Number.isInteger(epochs) || (epochs as number) < 0)
    fail(`training.epochs must be a whole number ≥ 0; got ${show(epochs)}.`);
  const out: { -readonly [K in keyof TrainingState]: TrainingState[K] } = { epochs: epochs as number };
  const opt = o.optimizer as Obj | undefined;
  if (opt !== undefined) {
    if (typeof opt !== "object" || opt === null || Array.isArray(opt) || typeof opt.name !== "string")
      fail(`training.optimizer needs a "name"; got ${show(opt)}.`);
    const vectors = opt.vectors ?? {};
    if (typeof vectors !== "object" || vectors === null || Array.isArray(vectors))
      fail(`training.optimizer.vectors must be an object of lists, e.g. {"v": […]}; got ${show(vectors)}.`);
    for (const [k, v] of Object.entries(vectors as Obj)) {
      if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
        fail(
          `training.optimizer.vectors.${show(k, 40).slice(1, -1)} must hold ${n} finite numbers (one per parameter).`,
        );
      }
    }
    // a resumed run continues with these settings: each must be a number
    const settings = opt.settings ?? {};
    if (typeof settings !== "object" || settings === null || Array.isArray(settings))
      fail(`training.optimizer.settings must be an object of numbers, e.g. {"momentum": 0.9}.`);
    for (const [k, v] of Object.entries(settings as Obj)) {
      if (typeof v !== "number" || !Number.isFinite(v))
        fail(`training.optimizer.settings.${show(k, 40).slice(1, -1)} must be a finite number, got ${show(v)}.`, v);
    }
    const t = opt.t ?? 0;
    if (!Number.isInteger(t) || (t as number) < 0)
      fail(`training.optimizer.t (steps taken) must be a whole number ≥ 0, got ${show(t)}.`, t);
    let name: OptimizerState["name"];
    try {
      name = checkOptimizerName(opt.name as string);
    } catch (e) {
      return fail(`training.optimizer.name: ${(e as Error).message}`, opt.name);
    }
    const state: OptimizerState = {
      name,
      settings: settings as Record<string, number>,
      t: t as number,
      vectors: vectors as Record<string, number[]>,
    };
    // the optimizer the run would resume with checks the settings' ranges (μ, β₁, β₂ in [0, 1),
    // ε > 0) and the state vectors it needs: a bad one is this file's error, found on loading
    try {
      createOptimizer(name, n, state);
    } catch (e) {
      return fail(
        `training.optimizer: ${(e as Error).message} Fix the setting in the file, or remove its "training" field to start a new run from its weights.`,
        opt,
      );
    }
    out.optimizer = state;
  }
  const r = o.random;
  if (r !== undefined) {
    // the generator's own check of a state it can resume from
    if (!isRandomState(r)) fail(`training.random must be four unsigned 32-bit integers, not all zero; got ${show(r)}.`);
    out.random = r as RandomState;
  }
  const history = o.history;
  if (history !== undefined) {
    if (!Array.isArray(history)) fail(`training.history must be a list of epoch records; got ${show(history)}.`);
    (history as unknown[]).forEach((h, i) => {
      // numbers, plus `stalled: true` on the epoch where training was found stalled
      const flat =
        typeof h === "object" &&
        h !== null &&
        !Array.isArray(h) &&
        Object.values(h).every(
          (v) => v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean",
        );
      if (!flat || !Number.isInteger((h as Obj).epoch) || typeof (h as Obj).cost !== "number") {
        fail(`training.history[${i}] must be an epoch record such as {"epoch": 1, "cost": 0.25}; got ${show(h)}.`, h);
      }
    });
    out.history = history as EpochRecord[];
  }
  const settings = o.settings;
  if (settings !== undefined) {
    const flat =
      typeof settings === "object" &&
      settings !== null &&
      !Array.isArray(settings) &&
      Object.values(settings).every((v) => typeof v === "number" || typeof v === "string");
    if (!flat)
      fail(
        `training.settings must be an object of numbers and names, e.g. {"learningRate": 0.5}; got ${show(settings)}.`,
        settings,
      );
    out.settings = settings as Record<string, number | string>;
  }
  return out;
}

/**
 * Where a JSON text stops being JSON, as "line L, column C: what is wrong" — from a scan of the
 * text (JSON.parse names no position for some problems, and quotes the text raw).
 */
function jsonProblem(e: unknown, text: string): string {
  const p = jsonSyntaxProblem(text);
  if (p !== null) return `line ${p.line}, column ${p.column}: ${p.problem}`;
  const msg = e instanceof Error ? e.message : String(e);
  return `line 1, column 1: ${show(msg.split("\n")[0] ?? "", 120).slice(1, -1)}`;
}

/** The model file text of a model (format name and version included): the graph form for a GraphModel. */
export function formatModel(model: Model<Network | GraphModel>): string {
  if (
    typeof model !== "object" ||
    model === null ||
    !(model.network instanceof Network || model.network instanceof GraphModel)
  ) {
    throw new OptionError(
      `A model is { network, classes?, training? } with a Network or a GraphModel; got ${show(model, 40)}.`,
      model,
    );
  }
  if (model.network instanceof GraphModel) return formatDoc(graphDoc(model.network), model);
  const net = model.network;
  const { sizes, activations, cost, l2 } = net.spec;
  const doc: { [key: string]: JsonValue | undefined } = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    layers: [...sizes],
    activations: [...activations],
    cost,
    l2: l2 !== 0 ? l2 : undefined,
    weights: net.weights(),
    biases: net.biases() ?? undefined,
    frozen: (net.frozen() as JsonValue | null) ?? undefined,
  };
  return formatDoc(doc, model);
}

/** The graph form's fields: core's graph data (one node per line) and the parameters by id. */
function graphDoc(model: GraphModel): { [key: string]: JsonValue | Inline | undefined } {
  const g = model.graph();
  // every node, in the graph's own order (which parameterIds and the batch columns follow)
  const nodes: { [id: string]: Inline } = {};
  for (const id of Object.keys(g.nodes))
    Object.defineProperty(nodes, id, {
      value: new Inline(g.nodes[id] as unknown as JsonValue),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  const graph: { [key: string]: unknown } = { nodes };
  if (g.layers !== null) graph.layers = new Inline(g.layers as unknown as JsonValue);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    graph: graph as unknown as JsonValue,
    parameters: model.parameterValues(),
    frozen: (model.frozen() as JsonValue | null) ?? undefined,
  };
}

/** The document with its classes and training state, as text. */
function formatDoc(
  fields: { [key: string]: JsonValue | Inline | undefined },
  model: Model<Network | GraphModel>,
): string {
  const doc = fields;
  doc.classes = model.classes !== undefined ? [...model.classes] : undefined;
  const t = model.training;
  if (t !== undefined) {
    doc.training = {
      epochs: t.epochs,
      settings: t.settings as JsonValue | undefined,
      random: t.random !== undefined ? [...t.random] : undefined,
      optimizer: t.optimizer as unknown as JsonValue | undefined,
      history: t.history as unknown as JsonValue | undefined,
    };
  }
  return `${write(doc as JsonValue, "", "", 0)}\n`;
}
