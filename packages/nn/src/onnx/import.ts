/**
 * Reading an MLP from an ONNX model, as PyTorch (`torch.onnx.export` of Linear layers: Gemm with
 * transB = 1) or Keras (tf2onnx: MatMul then Add) lay one out: a chain of linear layers, each
 * followed by at most one activation, into a chainrule {@link Network} with the same weights. Any
 * other operator, or a graph that is not such a chain, is an {@link OnnxError} that names it.
 */
import {
  type ActivationName,
  COSTS,
  type CostName,
  kindOf,
  LEAKY_SLOPE,
  layeredParameterCount,
  nameOf,
  oneOf,
  quote,
} from "@chainrule/core";
import { optionsObject } from "../check.js";
import { OnnxError, OptionError } from "../errors.js";
import { Network } from "../network.js";
import { decodeOnnx, ONNX_TYPES, type OnnxModel, type OnnxNode, type OnnxTensor } from "./schema.js";

/** The operators an imported graph may hold, and what each is. */
const ACTIVATION_OPS: { readonly [op: string]: ActivationName } = {
  Relu: "relu",
  Sigmoid: "sigmoid",
  Tanh: "tanh",
  Softmax: "softmax",
  LeakyRelu: "leaky-relu",
  Softplus: "softplus",
  Gelu: "gelu",
};
/** Operators that pass their input on unchanged in an MLP at inference. */
const PASS_OPS = new Set(["Identity", "Dropout", "Flatten"]);
/** Every operator the importer reads. */
export const ONNX_IMPORT_OPS: readonly string[] = [
  "Gemm",
  "MatMul",
  "Add",
  ...Object.keys(ACTIVATION_OPS),
  ...PASS_OPS,
  "Constant",
];

/** Options of {@link importOnnx}. */
export interface OnnxImportOptions {
  /** The cost of the network (default: cross-entropy after a softmax, else mse). */
  readonly cost?: CostName;
}

/** What {@link importOnnx} read. */
export interface ImportedOnnx {
  readonly network: Network;
  /** The producer the file names (e.g. "pytorch 2.5.0"), or "" when it names none. */
  readonly producer: string;
  /** The graph's input and output names. */
  readonly input: string;
  readonly output: string;
}

/** A constant tensor's shape and values. */
interface Constant {
  readonly dims: readonly number[];
  readonly values: Float64Array;
}

const OP_LIST =
  "Gemm, or MatMul then Add, each followed by at most one of Relu, Sigmoid, Tanh, LeakyRelu (α = 0.01), Softplus, Gelu or Softmax (last)";

/** The values of a tensor: float, double or integer data, inline or raw (little-endian). */
function tensorValues(t: OnnxTensor, fail: (why: string) => never): Float64Array {
  if (t.dataLocation === 1)
    fail(
      `tensor ${quote(t.name ?? "")} keeps its data in an external file; export the model with its weights inside (one .onnx file)`,
    );
  const count = (t.dims ?? []).reduce((a, b) => a * b, 1);
  const raw = t.rawData;
  const type = t.dataType;
  let v: Float64Array;
  if (raw !== undefined && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size =
      type === ONNX_TYPES.float || type === ONNX_TYPES.int32
        ? 4
        : type === ONNX_TYPES.double || type === ONNX_TYPES.int64
          ? 8
          : 0;
    if (size === 0)
      fail(`tensor ${quote(t.name ?? "")} has element type ${type}; chainrule reads float, double, int32 and int64`);
    if (raw.length !== count * size)
      fail(`tensor ${quote(t.name ?? "")} holds ${raw.length} bytes for ${count} numbers of ${size} bytes`);
    v = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const o = i * size;
      v[i] =
        type === ONNX_TYPES.float
          ? view.getFloat32(o, true)
          : type === ONNX_TYPES.double
            ? view.getFloat64(o, true)
            : type === ONNX_TYPES.int32
              ? view.getInt32(o, true)
              : Number(view.getBigInt64(o, true));
    }
  } else {
    const data =
      type === ONNX_TYPES.float
        ? t.floatData
        : type === ONNX_TYPES.double
          ? t.doubleData
          : type === ONNX_TYPES.int64
            ? t.int64Data
            : type === ONNX_TYPES.int32
              ? t.int32Data
              : fail(
                  `tensor ${quote(t.name ?? "")} has element type ${type}; chainrule reads float, double, int32 and int64`,
                );
    v = Float64Array.from(data ?? []);
    if (v.length !== count)
      fail(`tensor ${quote(t.name ?? "")} has ${v.length} numbers for its shape [${(t.dims ?? []).join(", ")}]`);
  }
  return v;
}

/** One linear layer as read: W (out × in, row-major) and its bias. */
interface Layer {
  readonly from: number;
  readonly to: number;
  readonly w: Float64Array;
  b: Float64Array | null;
  activation: ActivationName | null;
}

/**
 * Reads the bytes of an ONNX file holding an MLP into a network with the same weights and biases
 * (its outputs are the model's, computed in float64). `source` names the file in messages.
 */
export function importOnnx(
  bytes: Uint8Array,
  source = "the ONNX model",
  options: OnnxImportOptions = {},
): ImportedOnnx {
  optionsObject("The ONNX import options", options);
  if (typeof source !== "string")
    throw new OptionError(`The source of an ONNX model is named by text; got ${kindOf(source)}.`, source);
  const from = nameOf(source);
  const fail = (why: string): never => {
    throw new OnnxError(from, why);
  };
  if (!(bytes instanceof Uint8Array)) fail("the model is bytes (a Uint8Array of the .onnx file)");
  const model: OnnxModel = decodeOnnx(bytes, source);
  const graph = model.graph;
  if (graph === undefined || (graph.node ?? []).length === 0 || !(model.irVersion > 0))
    fail("not an ONNX model (no graph of nodes, or no IR version). Give a .onnx file, e.g. from torch.onnx.export.");
  const g = graph!;
  const nodes: readonly OnnxNode[] = g.node;
  const foreign = [
    ...new Set(
      nodes
        .filter((n) => !ONNX_IMPORT_OPS.includes(n.opType) || (n.domain ?? "") !== "")
        .map((n) => (n.domain ? `${n.domain}.${n.opType}` : n.opType)),
    ),
  ];
  if (foreign.length > 0)
    fail(
      `the graph uses ${foreign.length === 1 ? "an operator" : "operators"} chainrule cannot import: ${foreign.slice(0, 8).join(", ")}${foreign.length > 8 ? ` and ${foreign.length - 8} more` : ""}. chainrule imports MLPs: ${OP_LIST}.`,
    );
  const constants = new Map<string, Constant>();
  for (const t of g.initializer ?? [])
    constants.set(t.name ?? "", { dims: t.dims ?? [], values: tensorValues(t, fail) });
  for (const n of nodes)
    if (n.opType === "Constant") {
      const t = (n.attribute ?? []).find((a) => a.name === "value")?.t;
      if (t === undefined)
        fail(
          `Constant node ${quote(n.name ?? n.output[0] ?? "")} has no tensor value; chainrule reads tensor constants`,
        );
      constants.set(n.output[0]!, { dims: t!.dims ?? [], values: tensorValues(t!, fail) });
    }
  const inputs = (g.input ?? []).filter((v) => !constants.has(v.name));
  if (inputs.length !== 1)
    fail(
      `the graph has ${inputs.length} inputs that are not weights (${inputs.map((v) => quote(v.name)).join(", ")}); an MLP has one, its batch of examples.`,
    );
  const input = inputs[0]!.name;
  if ((g.output ?? []).length !== 1) fail(`the graph has ${(g.output ?? []).length} outputs; an MLP has one.`);
  const output = g.output[0]!.name;

  const layers: Layer[] = [];
  let current = input;
  let width: number | null = null;
  const where = (n: OnnxNode) => `${n.opType} node ${quote(n.name || n.output[0] || "")}`;
  const attrOf = (n: OnnxNode, name: string) => (n.attribute ?? []).find((a) => a.name === name);
  const reads = (n: OnnxNode, i: number) => n.input[i] === current;
  const weight = (n: OnnxNode, name: string | undefined): Constant => {
    const c = name === undefined ? undefined : constants.get(name);
    if (c === undefined)
      return fail(
        `${where(n)} reads ${quote(name ?? "")}, which is no weight tensor of the file; an MLP's layers read their weights from initializers.`,
      );
    return c;
  };
  const addLayer = (n: OnnxNode, w: Float64Array, to: number, from: number): Layer => {
    if (width !== null && from !== width)
      fail(`${where(n)} takes ${from} inputs, but the layer before gives ${width}.`);
    width = to;
    const layer: Layer = { from, to, w, b: null, activation: null };
    layers.push(layer);
    return layer;
  };
  const transposed = (c: Constant): Float64Array => {
    const [r, k] = [c.dims[0]!, c.dims[1]!];
    const out = new Float64Array(r * k);
    for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) out[j * r + i] = c.values[i * k + j]!;
    return out;
  };
  const bias = (n: OnnxNode, c: Constant, to: number): Float64Array => {
    const flat = c.dims.filter((d) => d !== 1);
    if (c.values.length !== to || flat.length > 1)
      fail(`${where(n)} adds a tensor of shape [${c.dims.join(", ")}]; a layer's bias has ${to} entries.`);
    return c.values;
  };
  let pendingMatMul: Layer | null = null;
  for (const n of nodes) {
    if (n.opType === "Constant") continue;
    const last = layers[layers.length - 1];
    if (n.opType === "Gemm") {
      if (!reads(n, 0))
        fail(`${where(n)} does not read the previous layer's output; chainrule imports a chain of layers.`);
      const alpha = attrOf(n, "alpha")?.f ?? 1;
      const beta = attrOf(n, "beta")?.f ?? 1;
      if (alpha !== 1 || beta !== 1 || (attrOf(n, "transA")?.i ?? 0) !== 0)
        fail(
          `${where(n)} has alpha ${alpha}, beta ${beta} or transA set; chainrule reads Gemm as x·Wᵀ + b (alpha = beta = 1, transA = 0).`,
        );
      const B = weight(n, n.input[1]);
      if (B.dims.length !== 2)
        fail(`${where(n)} has a weight of shape [${B.dims.join(", ")}]; a layer's weights are a matrix.`);
      const transB = (attrOf(n, "transB")?.i ?? 0) === 1;
      // transB = 1: B is out × in (PyTorch's Linear.weight), else in × out
      const [to, from] = transB ? [B.dims[0]!, B.dims[1]!] : [B.dims[1]!, B.dims[0]!];
      const layer = addLayer(n, transB ? B.values : transposed(B), to, from);
      if (n.input.length > 2 && n.input[2] !== "") layer.b = bias(n, weight(n, n.input[2]), to);
      pendingMatMul = null;
    } else if (n.opType === "MatMul") {
      if (!reads(n, 0))
        fail(`${where(n)} does not read the previous layer's output; chainrule imports a chain of layers.`);
      const B = weight(n, n.input[1]);
      if (B.dims.length !== 2)
        fail(`${where(n)} has a weight of shape [${B.dims.join(", ")}]; a layer's weights are a matrix.`);
      pendingMatMul = addLayer(n, transposed(B), B.dims[1]!, B.dims[0]!);
    } else if (n.opType === "Add") {
      const other = n.input[0] === current ? n.input[1] : n.input[1] === current ? n.input[0] : undefined;
      if (pendingMatMul === null || other === undefined || pendingMatMul.b !== null)
        fail(`${where(n)} is not a bias after a MatMul; chainrule reads Add only as a layer's bias (MatMul then Add).`);
      pendingMatMul!.b = bias(n, weight(n, other), pendingMatMul!.to);
      pendingMatMul = null;
    } else {
      if (!reads(n, 0))
        fail(`${where(n)} does not read the previous layer's output; chainrule imports a chain of layers.`);
      pendingMatMul = null;
      const act = ACTIVATION_OPS[n.opType];
      if (act !== undefined) {
        if (last === undefined) fail(`${where(n)} comes before any layer; an MLP starts with Gemm or MatMul.`);
        if (last!.activation !== null)
          fail(`${where(n)} follows another activation; chainrule layers have one activation each.`);
        if (act === "leaky-relu" && Math.abs((attrOf(n, "alpha")?.f ?? 0.01) - LEAKY_SLOPE) > 1e-7)
          fail(`${where(n)} has slope ${attrOf(n, "alpha")?.f}; chainrule's leaky-relu has slope ${LEAKY_SLOPE}.`);
        if (act === "gelu" && new TextDecoder().decode(attrOf(n, "approximate")?.s ?? new Uint8Array()) === "tanh")
          fail(
            `${where(n)} is the tanh approximation of GELU; chainrule's gelu is the exact one (approximate = "none").`,
          );
        if (act === "softmax") {
          const axis = attrOf(n, "axis")?.i ?? -1;
          if (axis !== -1 && axis !== 1)
            fail(
              `${where(n)} normalises axis ${axis}; an MLP's softmax runs over each example's outputs (axis 1 or −1).`,
            );
        }
        last!.activation = act;
      } else if (n.opType === "Flatten" && (attrOf(n, "axis")?.i ?? 1) !== 1) {
        fail(`${where(n)} flattens at axis ${attrOf(n, "axis")?.i}; chainrule reads batches of vectors (axis 1).`);
      }
    }
    current = n.output[0]!;
  }
  if (layers.length === 0) fail(`the graph has no Gemm or MatMul layer; chainrule imports MLPs: ${OP_LIST}.`);
  if (current !== output)
    fail(`the graph's output ${quote(output)} is not the last layer's; chainrule imports a chain of layers.`);
  const softmaxAt = layers.findIndex((l) => l.activation === "softmax");
  if (softmaxAt >= 0 && softmaxAt !== layers.length - 1)
    fail("a Softmax comes before the last layer; chainrule's softmax is the output layer's.");
  const sizes = [layers[0]!.from, ...layers.map((l) => l.to)];
  const activations = layers.map((l) => l.activation ?? "identity");
  const hasBias = layers.some((l) => l.b !== null);
  const outAct = activations[activations.length - 1]!;
  const cost =
    options.cost === undefined ? (outAct === "softmax" ? "cross-entropy" : "mse") : oneOf(COSTS, options.cost, "cost");
  const theta = new Float64Array(layeredParameterCount(sizes, hasBias));
  let p = 0;
  for (const layer of layers)
    for (let j = 0; j < layer.to; j++) {
      if (hasBias) theta[p++] = layer.b?.[j] ?? 0;
      for (let k = 0; k < layer.from; k++) theta[p++] = layer.w[j * layer.from + k]!;
    }
  const bad = theta.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`a weight is ${theta[bad]}; chainrule's weights are finite numbers.`);
  let network: Network;
  try {
    network = Network.fromParameters({ sizes, activation: activations, bias: hasBias, cost }, theta);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  const producer = [model.producerName ?? "", model.producerVersion ?? ""].filter((s) => s !== "").join(" ");
  return { network, producer, input, output };
}
