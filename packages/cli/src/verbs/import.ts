/**
 * `chainrule import`: an MLP from an ONNX file (PyTorch's Gemm layers, Keras's MatMul and Add)
 * as a chainrule model file, which every other verb reads.
 */
import { nameOf } from "@chainrule/core";
import { checkOutput, readOnnxFile, writeModelFile } from "@chainrule/nn/node";
import { parseCost } from "../args.js";
import { UsageError } from "../errors.js";
import { verb } from "../verb.js";

/** The `import` verb. */
export const importVerb = verb({
  name: "import",
  summary: "an MLP from an ONNX file (PyTorch, Keras) as a chainrule model file",
  examples: [
    "chainrule import --onnx m.onnx --out m.json",
    "chainrule import --onnx classifier.onnx --cost cross-entropy --out classifier.json",
  ],
  options: {
    onnx: { type: "string", value: "m.onnx", description: "the ONNX file to read" },
    out: { type: "string", value: "m.json", description: "the model file to write" },
    cost: {
      type: "string",
      value: "mse",
      description: "the model's cost (default: cross-entropy after a softmax output, else mse)",
    },
  },
  run(values, io) {
    const path = values.onnx;
    if (path === undefined || path === "") throw new UsageError("--onnx FILE is required, e.g. --onnx m.onnx");
    const out = values.out;
    if (out === undefined || out === "") throw new UsageError("--out FILE is required, e.g. --out m.json");
    const cost = values.cost === undefined ? undefined : parseCost(values.cost);
    checkOutput(out, { option: "--out", inputs: [{ option: "--onnx", path }] });
    const imported = readOnnxFile(path, cost === undefined ? {} : { cost });
    const net = imported.network;
    writeModelFile(out, { network: net });
    io.out(
      `wrote ${nameOf(out)}: the ${net.spec.sizes.join("-")} network (${net.spec.activations.join(", ")}; ${net.spec.cost}${net.spec.bias ? "" : ", no biases"}) from ${nameOf(path)}${imported.producer === "" ? "" : ` (${imported.producer})`}`,
    );
  },
});
