/**
 * ONNX import: MLPs laid out as PyTorch exports them (Gemm with transB = 1, weights as float32
 * raw data) and as Keras does (MatMul then Add, weights in × out as float data), built here with
 * the protobuf schema, read into networks that predict what ONNX Runtime computes from the same
 * file; the network's own exports read back to the same weights; malformed and unsupported files
 * are one-line OnnxErrors that name the problem.
 */
import fc from "fast-check";
import * as ort from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import { runs } from "../../../test-support/properties.js";
import {
  encodeOnnx,
  exportOnnx,
  importOnnx,
  Network,
  ONNX_TYPES,
  OnnxError,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
} from "../src/index.js";

const OPS = { relu: "Relu", sigmoid: "Sigmoid", tanh: "Tanh", softmax: "Softmax" } as const;
type Act = keyof typeof OPS | "identity";

interface Mlp {
  readonly sizes: number[];
  readonly acts: Act[];
  readonly weights: Float32Array[]; // out × in, row-major
  readonly biases: Float32Array[];
}

const f32 = fc.float({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true });
const mlp: fc.Arbitrary<Mlp> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 4 }),
    hidden: fc.array(fc.constantFrom<Act>("relu", "sigmoid", "tanh", "identity"), { minLength: 3, maxLength: 3 }),
    out: fc.constantFrom<Act>("identity", "sigmoid", "softmax"),
  })
  .chain(({ sizes, hidden, out }) => {
    if (out === "softmax") sizes[sizes.length - 1] = Math.max(2, sizes[sizes.length - 1]!);
    const acts = [...hidden.slice(0, sizes.length - 2), out];
    return fc
      .tuple(
        ...sizes
          .slice(1)
          .map((to, i) =>
            fc.tuple(
              fc.array(f32, { minLength: to * sizes[i]!, maxLength: to * sizes[i]! }),
              fc.array(f32, { minLength: to, maxLength: to }),
            ),
          ),
      )
      .map((layers) => ({
        sizes,
        acts,
        weights: layers.map(([w]) => Float32Array.from(w)),
        biases: layers.map(([, b]) => Float32Array.from(b)),
      }));
  });

const raw = (v: Float32Array): Uint8Array => new Uint8Array(v.buffer.slice(0));
const io = (name: string, n: number) => ({
  name,
  type: { tensorType: { elemType: ONNX_TYPES.float, shape: { dim: [{ dimParam: "batch" }, { dimValue: n }] } } },
});

/** As torch.onnx.export writes nn.Sequential(Linear, ReLU, …): Gemm(transB = 1), raw float32 weights. */
function pytorch(m: Mlp): OnnxModel {
  const nodes: OnnxNode[] = [];
  const init: OnnxTensor[] = [];
  let cur = "input";
  m.acts.forEach((act, i) => {
    const [to, from] = [m.sizes[i + 1]!, m.sizes[i]!];
    init.push({ name: `${2 * i}.weight`, dims: [to, from], dataType: ONNX_TYPES.float, rawData: raw(m.weights[i]!) });
    init.push({ name: `${2 * i}.bias`, dims: [to], dataType: ONNX_TYPES.float, rawData: raw(m.biases[i]!) });
    const out = `/${2 * i}/Gemm_output_0`;
    nodes.push({
      opType: "Gemm",
      name: `/${2 * i}/Gemm`,
      input: [cur, `${2 * i}.weight`, `${2 * i}.bias`],
      output: [out],
      attribute: [
        { name: "alpha", type: 1, f: 1 },
        { name: "beta", type: 1, f: 1 },
        { name: "transB", type: 2, i: 1 },
      ],
    });
    cur = out;
    if (act !== "identity") {
      const a = `/${2 * i + 1}/${OPS[act]}_output_0`;
      nodes.push({
        opType: OPS[act],
        name: `/${2 * i + 1}/${OPS[act]}`,
        input: [cur],
        output: [a],
        attribute: act === "softmax" ? [{ name: "axis", type: 2, i: 1 }] : [],
      });
      cur = a;
    }
  });
  nodes.push({ opType: "Identity", input: [cur], output: ["output"] });
  return {
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    producerName: "pytorch",
    producerVersion: "2.5.0",
    graph: {
      name: "main_graph",
      node: nodes,
      initializer: init,
      input: [io("input", m.sizes[0]!)],
      output: [io("output", m.sizes[m.sizes.length - 1]!)],
    },
  };
}

/** As tf2onnx writes a Keras Sequential of Dense layers: MatMul with in × out weights, then Add. */
function keras(m: Mlp): OnnxModel {
  const nodes: OnnxNode[] = [];
  const init: OnnxTensor[] = [];
  let cur = "dense_input";
  m.acts.forEach((act, i) => {
    const [to, from] = [m.sizes[i + 1]!, m.sizes[i]!];
    const wt = new Float32Array(from * to);
    for (let j = 0; j < to; j++) for (let k = 0; k < from; k++) wt[k * to + j] = m.weights[i]![j * from + k]!;
    init.push({ name: `dense_${i}/kernel`, dims: [from, to], dataType: ONNX_TYPES.float, floatData: Array.from(wt) });
    init.push({ name: `dense_${i}/bias`, dims: [to], dataType: ONNX_TYPES.float, floatData: Array.from(m.biases[i]!) });
    nodes.push({ opType: "MatMul", name: `dense_${i}/MatMul`, input: [cur, `dense_${i}/kernel`], output: [`mm${i}`] });
    // tf2onnx puts the bias first in some versions: either order is a bias
    nodes.push({
      opType: "Add",
      name: `dense_${i}/BiasAdd`,
      input: i % 2 === 0 ? [`mm${i}`, `dense_${i}/bias`] : [`dense_${i}/bias`, `mm${i}`],
      output: [`add${i}`],
    });
    cur = `add${i}`;
    if (act !== "identity") {
      nodes.push({ opType: OPS[act], name: `dense_${i}/${OPS[act]}`, input: [cur], output: [`act${i}`] });
      cur = `act${i}`;
    }
  });
  nodes.push({ opType: "Identity", input: [cur], output: ["dense_out"] });
  return {
    irVersion: 7,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "tf2onnx",
    graph: {
      name: "keras",
      node: nodes,
      initializer: init,
      input: [io("dense_input", m.sizes[0]!)],
      output: [io("dense_out", m.sizes[m.sizes.length - 1]!)],
    },
  };
}

describe("ONNX import", () => {
  for (const [layout, build] of [
    ["PyTorch (Gemm, transB = 1)", pytorch],
    ["Keras (MatMul then Add)", keras],
  ] as const) {
    test(`an MLP laid out as ${layout} predicts what ONNX Runtime computes from the file`, async () => {
      let worstSeen = 0;
      await fc.assert(
        fc.asyncProperty(mlp, fc.array(f32, { minLength: 1, maxLength: 40 }), async (m, xs) => {
          const bytes = encodeOnnx(build(m));
          const { network } = importOnnx(bytes, "model.onnx");
          expect(network.spec.sizes).toEqual(m.sizes);
          expect(network.spec.activations).toEqual(m.acts);
          expect(network.spec.cost).toBe(m.acts.at(-1) === "softmax" ? "cross-entropy" : "mse");
          // the weights are the file's float32 values, exactly
          expect(network.weights().map((w) => w.flat())).toEqual(m.weights.map((w) => Array.from(w)));
          expect(network.biases()).toEqual(m.biases.map((b) => Array.from(b)));
          const n = m.sizes[0]!;
          const rows = Math.max(1, Math.floor(xs.length / n));
          const x = Float32Array.from({ length: rows * n }, (_, i) => xs[i % xs.length]!);
          const session = await ort.InferenceSession.create(bytes);
          const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor("float32", x, [rows, n]) });
          const got = out[session.outputNames[0]!]!.data as Float32Array;
          const want = network.predict(Float64Array.from(x), rows);
          const scale = Math.max(0, ...Array.from(want, Math.abs));
          // ONNX Runtime's float32 Sigmoid and Tanh are approximations with an absolute error of a few
          // 1e-8, and a sum of terms of opposite signs keeps their rounding: outputs below 0.01 (or a
          // hundredth of the case's largest) are compared on that scale, within 1e-7 of it
          for (let i = 0; i < want.length; i++) {
            const w = Math.abs(got[i]! - want[i]!) / Math.max(Math.abs(want[i]!), 1e-2, 1e-2 * scale);
            worstSeen = Math.max(worstSeen, w);
          }
          expect(worstSeen).toBeLessThanOrEqual(1e-5);
        }),
        { numRuns: runs(60), endOnFailure: true },
      );
      console.log(`worst relative difference, import of ${layout} vs ONNX Runtime (float32): ${worstSeen}`);
    });
  }

  test("a network's own export reads back to the same network (float64: every weight exact)", () => {
    // the activations ONNX has one operator for (the others are exported as compositions)
    for (const act of ["sigmoid", "tanh", "relu", "identity"] as const) {
      const net = Network.create(
        { sizes: [3, 4, 2], activation: [act, "softmax"], cost: "cross-entropy" },
        { seed: 3 },
      );
      const back = importOnnx(exportOnnx(net, { precision: "float64" }), "net.onnx").network;
      expect(back.spec).toEqual(net.spec);
      expect(Array.from(back.parameters())).toEqual(Array.from(net.parameters()));
    }
  });

  test("--cost chooses the cost", () => {
    const m: Mlp = { sizes: [2, 1], acts: ["sigmoid"], weights: [Float32Array.of(1, 2)], biases: [Float32Array.of(0)] };
    expect(importOnnx(encodeOnnx(pytorch(m)), "m.onnx", { cost: "binary-cross-entropy" }).network.spec.cost).toBe(
      "binary-cross-entropy",
    );
  });

  const error = (bytes: Uint8Array): OnnxError => {
    try {
      importOnnx(bytes, "m.onnx");
    } catch (e) {
      expect(e).toBeInstanceOf(OnnxError);
      expect((e as Error).message).not.toContain("\n");
      expect((e as Error).message.startsWith("m.onnx: ")).toBe(true);
      return e as OnnxError;
    }
    throw new Error("no error");
  };
  const base: Mlp = {
    sizes: [2, 3, 1],
    acts: ["relu", "sigmoid"],
    weights: [new Float32Array(6), new Float32Array(3)],
    biases: [new Float32Array(3), new Float32Array(1)],
  };

  test("malformed files are one-line errors that say what the file should be", () => {
    expect(error(new TextEncoder().encode('{"layers": [2, 1]}')).message).toMatch(/not an ONNX model.*\.onnx file/);
    expect(error(new Uint8Array(0)).message).toMatch(/not an ONNX model/);
    const full = encodeOnnx(pytorch(base));
    expect(error(full.subarray(0, full.length - 7)).message).toMatch(/not an ONNX model/);
  });

  test("an unsupported operator is named, with what chainrule imports", () => {
    const model = pytorch(base);
    const graph = model.graph!;
    const conv = {
      ...model,
      graph: {
        ...graph,
        node: [{ opType: "Conv", name: "conv1", input: ["input", "0.weight"], output: ["c"] }, ...graph.node],
      },
    };
    expect(error(encodeOnnx(conv)).message).toMatch(
      /operator chainrule cannot import: Conv\. chainrule imports MLPs: Gemm/,
    );
    const ms = {
      ...model,
      graph: {
        ...graph,
        node: [
          ...graph.node,
          { opType: "MaxPool", input: ["x"], output: ["y"] },
          { opType: "Selu", input: ["x"], output: ["y"] },
        ],
      },
    };
    expect(error(encodeOnnx(ms)).message).toMatch(/operators chainrule cannot import: MaxPool, Selu/);
  });

  test("layouts that are not a chain of layers are refused, naming the node", () => {
    const model = pytorch(base);
    const graph = model.graph!;
    // a LeakyRelu of another slope
    const leaky = {
      ...model,
      graph: {
        ...graph,
        node: graph.node.map((n) =>
          n.opType === "Relu" ? { ...n, opType: "LeakyRelu", attribute: [{ name: "alpha", type: 1, f: 0.2 }] } : n,
        ),
      },
    };
    expect(error(encodeOnnx(leaky)).message).toMatch(/LeakyRelu node .* slope 0\.2/);
    // a weight that is not in the file
    const missing = { ...model, graph: { ...graph, initializer: graph.initializer.slice(1) } };
    expect(error(encodeOnnx(missing)).message).toMatch(/inputs that are not weights|no weight tensor/);
    // mismatched widths
    const wide = {
      ...model,
      graph: {
        ...graph,
        initializer: graph.initializer.map((t) =>
          t.name === "2.weight" ? { ...t, dims: [1, 4], rawData: raw(new Float32Array(4)) } : t,
        ),
      },
    };
    expect(error(encodeOnnx(wide)).message).toMatch(/takes 4 inputs, but the layer before gives 3/);
  });
});
