/**
 * ONNX export run in ONNX Runtime: the inference model gives the network's outputs (float32
 * within 1e-5 relative, float64 within 1e-12; a GELU's erf runs in float32), and one run of the training-step model gives J and
 * the weights of one full-batch gradient-descent step of the trainer, on random networks of every
 * activation and cost.
 */
import { matrixFormProblem, requireLayers } from "@chainrule/core";
import fc from "fast-check";
import * as ort from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { exportOnnx, Network, train } from "../src/index.js";
import { type NetCase, netCase } from "./helpers.js";

/** The network of a case, with the case's parameters. */
function networkOf(c: NetCase): Network {
  const info = requireLayers(c.graph);
  const J = Object.values(c.graph.nodes).find((n) => n.kind === "cost")!;
  if (J.kind !== "cost") throw new Error("no cost");
  return Network.fromParameters(
    { sizes: info.sizes, activation: info.activations, bias: info.bias, cost: J.cost, l2: J.l2 },
    c.theta,
  );
}

/** Largest relative difference, entries below `floor` in both compared absolutely. */
function worst(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    w = Math.max(w, d / Math.max(Math.abs(b[i]!), floor));
  }
  return w;
}

const typed = (precision: "float32" | "float64", v: ArrayLike<number>) =>
  precision === "float32" ? Float32Array.from(v) : Float64Array.from(v);

async function infer(
  net: Network,
  x: Float64Array,
  m: number,
  precision: "float32" | "float64",
): Promise<Float64Array> {
  const session = await ort.InferenceSession.create(exportOnnx(net, { precision }));
  const type = precision === "float32" ? "float32" : "float64";
  const out = await session.run({ x: new ort.Tensor(type, typed(precision, x), [m, net.inputCount]) });
  return Float64Array.from(out.output!.data as Float32Array);
}

let worstF32 = 0;
let worstF64 = 0;
let worstGelu = 0;

describe("ONNX export for inference", () => {
  for (const precision of ["float32", "float64"] as const) {
    test(`ONNX Runtime gives the network's outputs (${precision})`, async () => {
      await fc.assert(
        fc.asyncProperty(netCase(6, 7), async (c) => {
          const net = networkOf(c);
          const want = net.predict(c.batch.x, c.batch.m);
          // float32 inputs: the reference sees the same rounded inputs and weights
          const x = precision === "float32" ? Float64Array.from(Float32Array.from(c.batch.x)) : c.batch.x;
          const ref =
            precision === "float32"
              ? Network.fromParameters(net.layerSpec(), Float64Array.from(Float32Array.from(c.theta))).predict(
                  x,
                  c.batch.m,
                )
              : want;
          const got = await infer(net, x, c.batch.m, precision);
          // an output that cancels to near 0 (a sum of terms of opposite signs, which keeps their
          // rounding) is compared at 1e-3 or a hundredth of the case's largest output, and in float32
          // at 1e-2 (ONNX Runtime's float32 Sigmoid and Tanh are approximations with an absolute
          // error of a few 1e-8). A GELU takes erf in float32 (ONNX Runtime
          // has no float64 Erf), whose absolute error (up to about 1e-6, carried on by the layers
          // after it) stays in Φ(x) = (1 + erf(x/√2))/2 for x < 0: a GELU network's outputs are
          // compared at 0.1 and above, within 1e-4
          const scale = Math.max(0, ...Array.from(ref, Math.abs));
          const gelu = requireLayers(c.graph).activations.includes("gelu");
          const w = worst(got, ref, Math.max(gelu ? 0.1 : precision === "float32" ? 1e-2 : 1e-3, 1e-2 * scale));
          if (gelu) worstGelu = Math.max(worstGelu, w);
          else if (precision === "float32") worstF32 = Math.max(worstF32, w);
          else worstF64 = Math.max(worstF64, w);
          expect(w, c.label).toBeLessThanOrEqual(gelu ? 1e-4 : precision === "float32" ? 1e-5 : 1e-12);
        }),
        { numRuns: runs(80), endOnFailure: true },
      );
      console.log(
        `worst relative output difference, ${precision}: ${precision === "float32" ? worstF32 : worstF64} (GELU networks so far: ${worstGelu})`,
      );
    });
  }
});

describe("ONNX export of the training step", () => {
  test("one run gives J and the weights of one full-batch step of train()", async () => {
    let worstStep = 0;
    const withForm = netCase(5, 6).filter((c) => {
      const info = requireLayers(c.graph);
      const J = Object.values(c.graph.nodes).find((n) => n.kind === "cost")!;
      return J.kind === "cost" && matrixFormProblem(info.activations[info.activations.length - 1]!, J.cost) === null;
    });
    await fc.assert(
      fc.asyncProperty(withForm, fc.constantFrom(0.05, 0.5), async (c, lr) => {
        const net = networkOf(c);
        const session = await ort.InferenceSession.create(exportOnnx(net, { training: true, precision: "float64" }));
        const { sizes, bias } = net.spec;
        const feeds: Record<string, ort.Tensor> = {
          x: new ort.Tensor("float64", c.batch.x, [c.batch.m, sizes[0]!]),
          y: new ort.Tensor("float64", c.batch.y, [c.batch.m, sizes[sizes.length - 1]!]),
          lr: new ort.Tensor("float64", Float64Array.of(lr), []),
        };
        const W = net.weights();
        const B = net.biases();
        for (let l = 1; l < sizes.length; l++) {
          feeds[`W${l}`] = new ort.Tensor("float64", Float64Array.from(W[l - 1]!.flat()), [sizes[l]!, sizes[l - 1]!]);
          if (bias) feeds[`b${l}`] = new ort.Tensor("float64", Float64Array.from(B![l - 1]!), [sizes[l]!]);
        }
        const out = await session.run(feeds);
        const J = (out.J!.data as Float64Array)[0]!;
        const cost = net.cost(c.batch);
        const trained = net.clone();
        train(trained, c.batch, { epochs: 1, learningRate: lr, shuffle: false });
        const W2 = trained.weights();
        const B2 = trained.biases();
        const got: number[] = [];
        const want: number[] = [];
        const before: number[] = [];
        for (let l = 1; l < sizes.length; l++) {
          got.push(...(out[`W${l}_next`]!.data as Float64Array));
          want.push(...W2[l - 1]!.flat());
          before.push(...W[l - 1]!.flat());
          if (bias) {
            got.push(...(out[`b${l}_next`]!.data as Float64Array));
            want.push(...B2![l - 1]!);
            before.push(...B![l - 1]!);
          }
        }
        // a weight θ − η∂J/∂θ that cancels to near 0 is compared on the scale of θ, and a weight near 0
        // (whose gradient is a sum of terms of opposite signs) within 1e-13
        const stepped = Math.max(
          0,
          ...got.map((g, i) => Math.abs(g - want[i]!) / Math.max(Math.abs(want[i]!), Math.abs(before[i]!), 1e-3)),
        );
        const w = Math.max(worst([J], [cost], 1e-12), stepped);
        const gelu = net.spec.activations.includes("gelu");
        expect(w, c.label).toBeLessThanOrEqual(gelu ? 1e-4 : 1e-10);
        if (!gelu) worstStep = Math.max(worstStep, w);
      }),
      { numRuns: runs(80), endOnFailure: true },
    );
    console.log(`worst relative difference of J and the stepped weights (float64): ${worstStep}`);
  });

  test("frozen parameters keep their values, as train() keeps them", async () => {
    const net = Network.create({ sizes: [3, 4, 2], activation: ["tanh", "sigmoid"], l2: 0.1 }, { seed: 5 });
    net.setFrozen([
      [1, 2, 0],
      [1, 3, 2],
      [2, 1, 4],
    ]);
    const batch = {
      m: 3,
      x: Float64Array.of(0.5, -1, 2, 0, 1, -0.5, 1, 1, 1),
      y: Float64Array.of(1, 0, 0, 1, 0.5, 0.5),
    };
    const session = await ort.InferenceSession.create(exportOnnx(net, { training: true, precision: "float64" }));
    const W = net.weights();
    const B = net.biases()!;
    const out = await session.run({
      x: new ort.Tensor("float64", batch.x, [3, 3]),
      y: new ort.Tensor("float64", batch.y, [3, 2]),
      lr: new ort.Tensor("float64", Float64Array.of(0.7), []),
      W1: new ort.Tensor("float64", Float64Array.from(W[0]!.flat()), [4, 3]),
      b1: new ort.Tensor("float64", Float64Array.from(B[0]!), [4]),
      W2: new ort.Tensor("float64", Float64Array.from(W[1]!.flat()), [2, 4]),
      b2: new ort.Tensor("float64", Float64Array.from(B[1]!), [2]),
    });
    const trained = net.clone();
    train(trained, batch, { epochs: 1, learningRate: 0.7 });
    const got = ["W1", "b1", "W2", "b2"].flatMap((p) => Array.from(out[`${p}_next`]!.data as Float64Array));
    const want = [
      ...trained.weights()[0]!.flat(),
      ...trained.biases()![0]!,
      ...trained.weights()[1]!.flat(),
      ...trained.biases()![1]!,
    ];
    for (const [i, v] of got.entries()) expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-14);
    // the frozen ones are the inputs, exactly
    expect((out.b1_next!.data as Float64Array)[1]).toBe(B[0]![1]);
    expect((out.W1_next!.data as Float64Array)[2 * 3 + 1]).toBe(W[0]![2]![1]);
    expect((out.W2_next!.data as Float64Array)[3]).toBe(W[1]![0]![3]);
    expect((out.W2_next!.data as Float64Array)[2]).not.toBe(W[1]![0]![2]);
  });
});
