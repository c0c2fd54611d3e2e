/**
 * `chainrule export`: a model as an ONNX file — the forward pass for inference, or (`--training`)
 * one gradient-descent step built from the derived δ recurrence, in plain ONNX operators that any
 * ONNX runtime runs.
 */
import { nameOf } from "@chainrule/core";
import { ONNX_OPSET, ONNX_PRECISIONS } from "@chainrule/nn";
import { checkOutput, writeOnnxFile } from "@chainrule/nn/node";
import { parseChoice } from "../args.js";
import { UsageError } from "../errors.js";
import { loadModel, MODEL_OPTIONS } from "../nn-input.js";
import { verb } from "../verb.js";
import { VERSION } from "../version.js";

/** The `export` verb. */
export const exportVerb = verb({
  name: "export",
  summary: "a model as an ONNX file: the forward pass, or one training step from the derived δ recurrence",
  examples: [
    "chainrule export --model m.json --format onnx --out m.onnx",
    "chainrule export --model m.json --format onnx --training --out step.onnx   # inputs W1, b1, …, x, y, lr",
  ],
  options: {
    model: MODEL_OPTIONS.model,
    format: { type: "string", value: "onnx", description: "the file format (onnx)", default: "onnx" },
    out: { type: "string", value: "FILE", description: "the file to write, e.g. m.onnx" },
    training: {
      type: "boolean",
      description: "one gradient-descent step: inputs the weights, a batch x, y and lr; outputs J and the new weights",
    },
    precision: {
      type: "string",
      value: "float32|float64",
      description: "the tensors' element type",
      default: "float32",
    },
  },
  run(values, io) {
    parseChoice(values.format, "--format", ["onnx"] as const, "onnx");
    const precision = parseChoice(values.precision, "--precision", ONNX_PRECISIONS, "float32");
    const out = values.out;
    if (out === undefined || out === "") throw new UsageError("--out FILE is required, e.g. --out m.onnx");
    const { model, path } = loadModel(values);
    checkOutput(out, { option: "--out", inputs: [{ option: "--model", path }] });
    const net = model.network;
    const training = values.training === true;
    const bytes = writeOnnxFile(
      out,
      net,
      { precision, training, producerVersion: VERSION },
      { option: "--out", inputs: [{ option: "--model", path }] },
    );
    const { sizes } = net.spec;
    const L = sizes.length;
    const params = Array.from({ length: L - 1 }, (_, i) => (net.spec.bias ? `W${i + 1}, b${i + 1}` : `W${i + 1}`)).join(
      ", ",
    );
    io.out(
      training
        ? `wrote ${nameOf(out)} (${bytes.length} bytes, ONNX opset ${ONNX_OPSET}, ${precision}): one training step of the ${sizes.join("-")} network; inputs ${params}, x (N × ${sizes[0]}), y (N × ${sizes[L - 1]}), lr; outputs J and ${params.replace(/(W|b)(\d+)/g, "$1$2_next")}`
        : `wrote ${nameOf(out)} (${bytes.length} bytes, ONNX opset ${ONNX_OPSET}, ${precision}): the ${sizes.join("-")} network; input x (N × ${sizes[0]}), output "output" (N × ${sizes[L - 1]})`,
    );
  },
});
