/**
 * A network as an ONNX model: the forward pass for inference, or one step of gradient descent
 * whose nodes are the matrix form's δ recurrence — the printer of the same derivation the trainer
 * runs, in plain ONNX operators (no training extensions), so any ONNX runtime can train with it.
 */
import {
  ArgumentError,
  type Expr,
  kindOf,
  layered,
  layeredParamIndex,
  liftedCost,
  matrixForm,
  matrixFormProblem,
  oneOf,
  type Sym,
  show,
} from "@chainrule/core";
import { optionsObject } from "../check.js";
import { OptionError } from "../errors.js";
import { Network } from "../network.js";
import { templateSpec } from "../template-spec.js";
import {
  attr,
  emitScalar,
  emitTensor,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  OnnxBuilder,
  type OnnxPrecision,
  type TensorNames,
  valueInfo,
} from "./build.js";
import { encodeOnnx, ONNX_TYPES, type OnnxModel } from "./schema.js";

/** The precisions an exported model can have. */
export const ONNX_PRECISIONS: readonly OnnxPrecision[] = ["float32", "float64"];

/** Options of {@link onnxModel}. */
export interface OnnxExportOptions {
  /** float32 (default: what runtimes and accelerators run everywhere) or float64. */
  readonly precision?: OnnxPrecision;
  /**
   * false (default): the inference model, input `x` (N × inputs), output `output` (N × outputs), the
   * weights stored in the model. true: one training step, inputs the weights (`W1`, `b1`, …), a batch
   * (`x`, `y`) and the learning rate `lr`; outputs the cost `J` at the given weights and the updated
   * weights (`W1_next`, `b1_next`, …).
   */
  readonly training?: boolean;
  /** The producer version written in the model (chainrule's version). */
  readonly producerVersion?: string;
}

/** Layer l's weights and biases as the model file lays them out (weights row-major, n₍ₗ₊₁₎ × nₗ). */
function layerValues(net: Network, l: number): { w: Float64Array; b: Float64Array | null } {
  const { sizes, bias } = net.spec;
  const from = sizes[l - 1]!;
  const to = sizes[l]!;
  const w = new Float64Array(to * from);
  const b = bias ? new Float64Array(to) : null;
  for (let j = 1; j <= to; j++) {
    if (b !== null) b[j - 1] = net.weight(l, j, 0);
    for (let k = 1; k <= from; k++) w[(j - 1) * from + (k - 1)] = net.weight(l, j, k);
  }
  return { w, b };
}

/** The matrix form's tensor names in an exported graph. */
function tensorNames(scalars: (s: Sym, layer: number) => string): TensorNames {
  return {
    weights: (l) => `W${l}`,
    biases: (l) => `b${l}`,
    activations: (l) => (l === 1 ? "x" : `A${l}`),
    sums: (l) => `Z${l}`,
    targets: () => "y",
    delta: (l) => `delta${l}`,
    symbol: scalars,
  };
}

/**
 * The network as an ONNX model (ModelProto as data; {@link encodeOnnx} makes the file's bytes). The
 * inference model is Gemm (transB = 1, the weights as PyTorch lays them out) and the activations
 * per layer; the training step needs a matrix form (a softmax output needs cross-entropy).
 */
export function onnxModel(net: Network, options: OnnxExportOptions = {}): OnnxModel {
  if (!(net instanceof Network))
    throw new OptionError(`An ONNX export takes a layered Network; got ${kindOf(net)} ${show(net, 40)}.`, net);
  optionsObject("The ONNX export options", options);
  if (options.producerVersion !== undefined && typeof options.producerVersion !== "string")
    throw new OptionError(
      `The producer version is text; got ${kindOf(options.producerVersion)}.`,
      options.producerVersion,
    );
  const precision = oneOf(ONNX_PRECISIONS, options.precision ?? "float32", "ONNX precision");
  const training = options.training ?? false;
  if (typeof training !== "boolean")
    throw new OptionError(`The training option is true or false; got ${String(training)}.`, training);
  const { sizes, activations, bias, cost } = net.spec;
  const L = sizes.length;
  if (training) {
    const problem = matrixFormProblem(activations[L - 2]!, cost);
    if (problem !== null)
      throw new OptionError(`The training step is the matrix form's, and this network has none: ${problem}`, cost);
  }
  // the steps hold at every width: derived once on a small template of the layers
  const spec = net.layerSpec();
  const template = layered({ ...templateSpec(spec), cost: training ? cost : forwardCost(spec) });
  const form = matrixForm(template);
  const b = new OnnxBuilder(precision);
  const real = b.elemType;
  const inputs = [];
  const outputs = [];
  let m = "";
  const scalars = (s: Sym, layer: number): string => {
    switch (s.ref.kind) {
      case "m":
        return m;
      case "lambda":
        return b.constant(net.spec.l2);
      case "lse":
        // log Σ e^z over the output layer's row of each example
        lse ??= b.node("ReduceLogSumExp", [`Z${L}`], [attr("axes", [1]), attr("keepdims", 1)]);
        return lse;
      case "ysum":
        ysum ??= b.reduceSum("y", [1], 1);
        return ysum;
      default:
        throw new ArgumentError(
          "invalid-argument",
          `A template of layer ${layer} reads ${s.ref.kind}, which the ONNX graph has no tensor for.`,
          s.ref,
        );
    }
  };
  let lse: string | undefined;
  let ysum: string | undefined;
  const names = tensorNames(scalars);
  b.claim("x");
  inputs.push(valueInfo("x", real, ["N", sizes[0]!]));
  for (let l = 1; l < L; l++) {
    const { w, b: bv } = layerValues(net, l);
    if (training) {
      inputs.push(valueInfo(b.claim(`W${l}`), real, [sizes[l]!, sizes[l - 1]!]));
      if (bv !== null) inputs.push(valueInfo(b.claim(`b${l}`), real, [sizes[l]!]));
    } else {
      b.tensor(`W${l}`, [sizes[l]!, sizes[l - 1]!], w);
      if (bv !== null) b.tensor(`b${l}`, [sizes[l]!], bv);
    }
  }
  if (training) {
    inputs.push(valueInfo(b.claim("y"), real, ["N", sizes[L - 1]!]));
    inputs.push(valueInfo(b.claim("lr"), real, []));
    // m: the batch's example count, as a real scalar
    const count = b.node("Gather", [b.node("Shape", ["x"]), intScalar(b, 0)], [attr("axis", 0)]);
    m = b.node("Cast", [count], [attr("to", real)], "m");
  }
  // forward: Z⁽ˡ⁺¹⁾ and A⁽ˡ⁺¹⁾, one example per row
  for (const f of form.forward) {
    const z = emitTensor(b, f.z, names, false);
    b.node("Identity", [z], [], `Z${f.layer}`);
    const a = emitTensor(b, f.a, names, false);
    b.node("Identity", [a], [], `A${f.layer}`);
  }
  if (!training) {
    b.node("Identity", [`A${L}`], [], "output");
    outputs.push(valueInfo("output", real, ["N", sizes[L - 1]!]));
  } else {
    // J: the per-output template summed over outputs and examples, plus the batch term
    const lifted = liftedCost(template);
    const entries = emitScalar(b, lifted.entry, (s) => {
      if (s.ref.kind === "z") return `Z${L}`;
      if (s.ref.kind === "a") return `A${L}`;
      if (s.ref.kind === "y") return "y";
      return scalars(s, L);
    });
    const bound = new Map<Expr, string>();
    if (lifted.squares !== null) {
      let S = "";
      for (let l = 1; l < L; l++) {
        const sq = b.reduceSum(b.node("Mul", [`W${l}`, `W${l}`]), null, 0);
        S = l === 1 ? sq : b.node("Add", [S, sq]);
      }
      bound.set(lifted.squares, S);
    }
    const batch = emitScalar(b, lifted.batch, (s) => scalars(s, 0), bound);
    b.node("Add", [b.reduceSum(entries, null, 0), batch], [], "J");
    outputs.push(valueInfo("J", real, []));
    // backward: δ⁽ˡ⁾ and ∂J/∂θ, then θ − η ∂J/∂θ for the parameters that train
    const mask = net.frozenMask();
    const grads = new Map<string, string>();
    for (const s of form.backward) {
      if (s.kind === "delta") b.node("Identity", [emitTensor(b, s.value, names, false)], [], `delta${s.layer}`);
      else {
        grads.set(`W${s.layer}`, emitTensor(b, s.weights, names, true));
        if (s.biases !== null) grads.set(`b${s.layer}`, emitTensor(b, s.biases, names, false));
      }
    }
    for (let l = 1; l < L; l++) {
      for (const p of bias ? [`W${l}`, `b${l}`] : [`W${l}`]) {
        let step = b.node("Mul", ["lr", grads.get(p)!]);
        const frozen = mask === null ? null : frozenOf(net, mask, l, p.startsWith("b"));
        if (frozen !== null) {
          if (frozen.every((f) => f === 1)) {
            b.node("Identity", [p], [], `${p}_next`);
            outputs.push(valueInfo(`${p}_next`, real, p.startsWith("b") ? [sizes[l]!] : [sizes[l]!, sizes[l - 1]!]));
            continue;
          }
          if (frozen.some((f) => f === 1)) {
            const dims = p.startsWith("b") ? [sizes[l]!] : [sizes[l]!, sizes[l - 1]!];
            const keep = b.tensor(
              `${p}_trains`,
              dims,
              frozen.map((f) => 1 - f),
            );
            step = b.node("Mul", [step, keep]);
          }
        }
        b.node("Sub", [p, step], [], `${p}_next`);
        outputs.push(valueInfo(`${p}_next`, real, p.startsWith("b") ? [sizes[l]!] : [sizes[l]!, sizes[l - 1]!]));
      }
    }
  }
  return {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "chainrule",
    producerVersion: options.producerVersion ?? "",
    docString: training
      ? `One gradient-descent step of ${net.description} (${activations.join(", ")}; ${cost}${net.spec.l2 > 0 ? `, L2 λ = ${net.spec.l2}` : ""}) from the derived δ recurrence: inputs the weights, a batch (x, y) and lr; outputs J at the given weights and the updated weights.`
      : `The forward pass of ${net.description} (${activations.join(", ")}): x (N × ${sizes[0]}) → output (N × ${sizes[L - 1]}).`,
    graph: {
      name: training ? "chainrule_training_step" : "chainrule_network",
      node: b.nodes,
      initializer: b.initializers,
      input: inputs,
      output: outputs,
    },
  };
}

/** The frozen flags of layer l's weights (row-major) or biases, from the network's mask. */
function frozenOf(net: Network, mask: Uint8Array, l: number, biases: boolean): number[] {
  const { sizes } = net.spec;
  const out: number[] = [];
  const index = (j: number, k: number) => layeredParamIndex(net.spec, l, j, k);
  for (let j = 1; j <= sizes[l]!; j++) {
    if (biases) out.push(mask[index(j, 0)]!);
    else for (let k = 1; k <= sizes[l - 1]!; k++) out.push(mask[index(j, k)]!);
  }
  return out;
}

/** A scalar int64 (an index). */
function intScalar(b: OnnxBuilder, v: number): string {
  const name = b.fresh(`i64_${v}`);
  b.initializers.push({ name, dims: [], dataType: ONNX_TYPES.int64, int64Data: [v] });
  return name;
}

/** A cost whose matrix form has the network's forward steps (the forward pass does not depend on the cost). */
function forwardCost(spec: { readonly activation?: unknown; readonly cost?: unknown }): "mse" | "cross-entropy" {
  const acts = spec.activation;
  const last = Array.isArray(acts) ? acts[acts.length - 1] : acts;
  return last === "softmax" ? "cross-entropy" : "mse";
}

/** The bytes of the network's ONNX model (see {@link onnxModel}). */
export function exportOnnx(net: Network, options: OnnxExportOptions = {}): Uint8Array {
  return encodeOnnx(onnxModel(net, options));
}
