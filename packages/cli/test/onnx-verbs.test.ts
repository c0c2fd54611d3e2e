/**
 * `chainrule export` and `chainrule import`: an exported model runs in ONNX Runtime with predict's
 * outputs; an exported training step, run once, gives train --epochs 1's weights, and run in a loop
 * trains the network; an MLP laid out as PyTorch exports it imports into a model every other verb
 * reads; bad files and options are one line and a non-zero exit, with nothing written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeOnnx, ONNX_TYPES } from "@chainrule/nn";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./capture.js";

const dir = mkdtempSync(join(tmpdir(), "chainrule-onnx-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

const MODEL = {
  layers: [2, 3, 2],
  activations: ["tanh", "softmax"],
  cost: "cross-entropy",
  l2: 0.01,
  weights: [
    [
      [0.15, -0.2],
      [0.25, 0.3],
      [-0.35, 0.4],
    ],
    [
      [0.4, -0.45, 0.5],
      [0.55, 0.6, -0.65],
    ],
  ],
  biases: [
    [0.35, -0.1, 0.2],
    [0.6, -0.3],
  ],
};
const X = [0.05, 0.1, -0.5, 0.3, 0.9, -0.2, 0, 0.7];
const LABELS = [0, 1, 1, 0];
writeFileSync(at("m.json"), JSON.stringify(MODEL));
writeFileSync(at("d.csv"), `x1,x2,label\n${LABELS.map((c, e) => `${X[2 * e]},${X[2 * e + 1]},${c}`).join("\n")}\n`);

/** One line on stderr, a non-zero exit, and the named file not written. */
async function refused(file: string, ...argv: string[]): Promise<string> {
  const r = await cli(...argv);
  expect(r.code, r.err).not.toBe(0);
  expect(r.err.trimEnd().split("\n"), r.err).toHaveLength(1);
  expect(r.err.startsWith("chainrule: ")).toBe(true);
  expect(existsSync(file)).toBe(false);
  return r.err;
}

describe("chainrule export", () => {
  it("writes a model ONNX Runtime runs with predict's outputs, float32 and float64", async () => {
    const p = await cli("predict", "--model", at("m.json"), "--data", at("d.csv"), "--format", "json");
    expect(p.code).toBe(0);
    const want = (JSON.parse(p.out) as { predictions: { outputs: number[] }[] }).predictions.flatMap((r) => r.outputs);
    for (const precision of ["float32", "float64"] as const) {
      const file = at(`m-${precision}.onnx`);
      const r = await cli(
        "export",
        "--model",
        at("m.json"),
        "--format",
        "onnx",
        "--precision",
        precision,
        "--out",
        file,
      );
      expect(r.err).toBe("");
      expect(r.out).toMatch(
        new RegExp(`^wrote .*m-${precision}\\.onnx \\(\\d+ bytes, ONNX opset 17, ${precision}\\): the 2-3-2 network`),
      );
      const session = await ort.InferenceSession.create(readFileSync(file));
      const x = precision === "float32" ? Float32Array.from(X) : Float64Array.from(X);
      const out = await session.run({ x: new ort.Tensor(precision, x, [4, 2]) });
      const got = Array.from(out.output!.data as Float32Array);
      const tol = precision === "float32" ? 1e-5 : 1e-12;
      for (const [i, v] of got.entries()) expect(Math.abs(v - want[i]!) / Math.abs(want[i]!)).toBeLessThanOrEqual(tol);
    }
  });

  it("writes a training step whose one run is train --epochs 1, and whose loop trains", async () => {
    const file = at("step.onnx");
    const r = await cli("export", "--model", at("m.json"), "--training", "--precision", "float64", "--out", file);
    expect(r.err).toBe("");
    expect(r.out).toContain(
      "inputs W1, b1, W2, b2, x (N × 2), y (N × 2), lr; outputs J and W1_next, b1_next, W2_next, b2_next",
    );
    const t = await cli(
      "train",
      "--model",
      at("m.json"),
      "--data",
      at("d.csv"),
      "--epochs",
      "1",
      "--lr",
      "0.3",
      "--save",
      at("t.json"),
    );
    expect(t.code, t.err).toBe(0);
    const trained = JSON.parse(readFileSync(at("t.json"), "utf8")) as typeof MODEL;
    const session = await ort.InferenceSession.create(readFileSync(file));
    const y = LABELS.flatMap((c) => [c === 0 ? 1 : 0, c === 1 ? 1 : 0]);
    let W = MODEL.weights.map((w) => w.flat());
    let B = MODEL.biases;
    const step = async (lr: number) => {
      const out = await session.run({
        x: new ort.Tensor("float64", Float64Array.from(X), [4, 2]),
        y: new ort.Tensor("float64", Float64Array.from(y), [4, 2]),
        lr: new ort.Tensor("float64", Float64Array.of(lr), []),
        W1: new ort.Tensor("float64", Float64Array.from(W[0]!), [3, 2]),
        b1: new ort.Tensor("float64", Float64Array.from(B[0]!), [3]),
        W2: new ort.Tensor("float64", Float64Array.from(W[1]!), [2, 3]),
        b2: new ort.Tensor("float64", Float64Array.from(B[1]!), [2]),
      });
      W = [Array.from(out.W1_next!.data as Float64Array), Array.from(out.W2_next!.data as Float64Array)];
      B = [Array.from(out.b1_next!.data as Float64Array), Array.from(out.b2_next!.data as Float64Array)];
      return (out.J!.data as Float64Array)[0]!;
    };
    const g = await cli("grad", "--model", at("m.json"), "--data", at("d.csv"));
    const J0 = await step(0.3);
    expect(Math.abs(J0 - (JSON.parse(g.out) as { cost: number }).cost)).toBeLessThanOrEqual(1e-14);
    const got = [...W.flat(), ...B.flat()];
    const want = [...trained.weights.flat(2), ...trained.biases.flat()];
    for (const [i, v] of got.entries()) expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-14);
    // 200 more steps: J falls by more than a third
    let J = J0;
    for (let i = 0; i < 200; i++) J = await step(0.3);
    expect(J).toBeLessThan(0.7 * J0);
  });

  it("refuses a training step without a matrix form, bad options, and a missing model, writing nothing", async () => {
    writeFileSync(at("mse.json"), JSON.stringify({ ...MODEL, cost: "mse" }));
    const file = at("no.onnx");
    expect(await refused(file, "export", "--model", at("mse.json"), "--training", "--out", file)).toMatch(
      /cross-entropy/,
    );
    expect(await refused(file, "export", "--model", at("m.json"), "--format", "onxx", "--out", file)).toMatch(
      /Did you mean "onnx"/,
    );
    expect(await refused(file, "export", "--model", at("m.json"), "--precision", "float16", "--out", file)).toMatch(
      /float32, float64/,
    );
    expect(await refused(file, "export", "--model", at("missing.json"), "--out", file)).toMatch(/missing\.json/);
    expect(await refused(file, "export", "--model", at("m.json"))).toMatch(/--out/);
    expect(await refused(at("m.json.onnx"), "export", "--model", at("m.json"), "--out", at("m.json"))).toMatch(
      /--model/,
    );
  });
});

/** A 3-4-2 MLP as torch.onnx.export writes nn.Sequential(Linear, ReLU, Linear, Softmax). */
function pytorchFile(): Uint8Array {
  const raw = (v: number[]) => new Uint8Array(Float32Array.from(v).buffer);
  const io = (name: string, n: number) => ({
    name,
    type: { tensorType: { elemType: ONNX_TYPES.float, shape: { dim: [{ dimParam: "batch" }, { dimValue: n }] } } },
  });
  const w1 = Array.from({ length: 12 }, (_, i) => Math.sin(i + 1) / 2);
  const w2 = Array.from({ length: 8 }, (_, i) => Math.cos(i + 1) / 2);
  return encodeOnnx({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    producerName: "pytorch",
    producerVersion: "2.5.0",
    graph: {
      name: "main_graph",
      node: [
        {
          opType: "Gemm",
          name: "/0/Gemm",
          input: ["input", "0.weight", "0.bias"],
          output: ["h"],
          attribute: [{ name: "transB", type: 2, i: 1 }],
        },
        { opType: "Relu", name: "/1/Relu", input: ["h"], output: ["r"] },
        {
          opType: "Gemm",
          name: "/2/Gemm",
          input: ["r", "2.weight", "2.bias"],
          output: ["o"],
          attribute: [{ name: "transB", type: 2, i: 1 }],
        },
        {
          opType: "Softmax",
          name: "/3/Softmax",
          input: ["o"],
          output: ["output"],
          attribute: [{ name: "axis", type: 2, i: 1 }],
        },
      ],
      initializer: [
        { name: "0.weight", dims: [4, 3], dataType: ONNX_TYPES.float, rawData: raw(w1) },
        { name: "0.bias", dims: [4], dataType: ONNX_TYPES.float, rawData: raw([0.1, -0.2, 0.3, 0]) },
        { name: "2.weight", dims: [2, 4], dataType: ONNX_TYPES.float, rawData: raw(w2) },
        { name: "2.bias", dims: [2], dataType: ONNX_TYPES.float, rawData: raw([0.05, -0.05]) },
      ],
      input: [io("input", 3)],
      output: [io("output", 2)],
    },
  });
}

describe("chainrule import", () => {
  it("reads a PyTorch MLP into a model that predicts as ONNX Runtime does and that every verb reads", async () => {
    const bytes = pytorchFile();
    writeFileSync(at("torch.onnx"), bytes);
    const r = await cli("import", "--onnx", at("torch.onnx"), "--out", at("torch.json"));
    expect(r.err).toBe("");
    expect(r.out).toMatch(
      /^wrote .*torch\.json: the 3-4-2 network \(relu, softmax; cross-entropy\) from .*torch\.onnx \(pytorch 2\.5\.0\)/,
    );
    const x = [0.5, -1, 2, 1, 0, -0.5];
    writeFileSync(at("t.csv"), "x1,x2,x3,label\n0.5,-1,2,0\n1,0,-0.5,1\n");
    const p = await cli("predict", "--model", at("torch.json"), "--data", at("t.csv"), "--format", "json");
    expect(p.code, p.err).toBe(0);
    const got = (JSON.parse(p.out) as { predictions: { outputs: number[] }[] }).predictions.flatMap((q) => q.outputs);
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ input: new ort.Tensor("float32", Float32Array.from(x), [2, 3]) });
    const want = Array.from(out.output!.data as Float32Array);
    for (const [i, v] of got.entries()) expect(Math.abs(v - want[i]!) / want[i]!).toBeLessThanOrEqual(1e-5);
    for (const argv of [
      ["render", "--model", at("torch.json"), "--data", at("t.csv"), "--out", at("doc")],
      ["grad", "--model", at("torch.json"), "--data", at("t.csv")],
      ["derive", "--model", at("torch.json"), "--param", "1,1,1"],
      ["paths", "--model", at("torch.json"), "--param", "1,1,1"],
      ["check", "--model", at("torch.json")],
      ["train", "--model", at("torch.json"), "--data", at("t.csv"), "--epochs", "3", "--lr", "0.1"],
    ]) {
      const v = await cli(...argv);
      expect(v.code, `${argv.join(" ")}: ${v.err}`).toBe(0);
    }
    // derive reads the model's network: the same program as its layers give
    const layers = ["--layers", "3,4,2", "--activation", "relu,softmax", "--cost", "cross-entropy"];
    const byModel = await cli("derive", "--model", at("torch.json"), "--param", "2,1,1");
    expect(byModel.out).toBe((await cli("derive", ...layers, "--param", "2,1,1")).out);
    // paths runs on the model's weights: its paths add up to ∂J/∂θ at those weights, not at random ones
    const pm = JSON.parse((await cli("paths", "--model", at("torch.json"), "--param", "2,1,1", "--json")).out);
    const pr = JSON.parse((await cli("paths", ...layers, "--param", "2,1,1", "--json")).out);
    expect(pm.total).not.toBe(pr.total);
    expect(Math.abs(pm.pathSum + pm.l2Term - pm.total)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(pm.total)));
    expect((await cli("derive", "--model", at("torch.json"), ...layers)).err).toMatch(/--model or --layers/);
  });

  it("refuses malformed and unsupported files in one line, writing nothing", async () => {
    const out = at("bad.json");
    writeFileSync(at("text.onnx"), "not a model\n");
    expect(await refused(out, "import", "--onnx", at("text.onnx"), "--out", out)).toMatch(
      /text\.onnx: not an ONNX model/,
    );
    const bytes = pytorchFile();
    writeFileSync(at("cut.onnx"), bytes.subarray(0, bytes.length - 10));
    expect(await refused(out, "import", "--onnx", at("cut.onnx"), "--out", out)).toMatch(
      /cut\.onnx: not an ONNX model/,
    );
    await cli("export", "--model", at("m.json"), "--training", "--out", at("step32.onnx"));
    expect(await refused(out, "import", "--onnx", at("step32.onnx"), "--out", out)).toMatch(
      /operators chainrule cannot import: .*Shape/,
    );
    expect(await refused(out, "import", "--onnx", at("none.onnx"), "--out", out)).toMatch(/none\.onnx/);
    expect(await refused(out, "import", "--onnx", at("torch.onnx"), "--out", out, "--cost", "hinge")).toMatch(
      /Unknown cost/,
    );
    expect(await refused(out, "import", "--onnx", at("torch.onnx"))).toMatch(/--out/);
  });
});
