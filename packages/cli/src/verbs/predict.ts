/** `chainrule predict`: a model's outputs (and predicted classes) for data. */
import { isClassification, predictedClass } from "@chainrule/nn";
import { parseChoice } from "../args.js";
import { guard, layersOf, MAX_WORK_OPTION, networkEstimate } from "../guards.js";
import { DATA_SEED_OPTION, dataSeed, dataSource, loadData, loadModel, MODEL_OPTIONS } from "../nn-input.js";
import { verb } from "../verb.js";

/** The `predict` verb. */
export const predictVerb = verb({
  name: "predict",
  summary: "a model's outputs for each example (CSV or JSON), with cost and accuracy when the data has targets",
  examples: [
    "chainrule predict --model model.json --data inputs.csv",
    "chainrule predict --model iris.json --dataset iris --format json",
  ],
  options: {
    ...MODEL_OPTIONS,
    ...DATA_SEED_OPTION,
    format: {
      type: "string",
      value: "csv|json",
      description: "csv: a1,…,ak[,class] per line; json: one document",
      default: "csv",
    },
    ...MAX_WORK_OPTION,
  },
  run(values, io) {
    const format = parseChoice(values.format, "--format", ["csv", "json"] as const, "csv");
    const source = dataSource(values);
    const seed = dataSeed(values, source);
    const { model, path: modelPath } = loadModel(values);
    const net = model.network;
    const data = loadData(source, net, model.classes, seed, true, modelPath);
    // the engine and the work from the model's sizes and the examples, before the engine is built
    const layers = layersOf(net.layerSpec());
    const { estimate, hard } = networkEstimate(
      layers,
      data.m,
      1,
      "the forward pass",
      true,
      data.m * (layers.sizes[layers.sizes.length - 1]! + 1) * (format === "json" ? 30 : 22),
    );
    guard(`predict of ${layers.name}`, estimate, values, hard);
    const k = data.outputs;
    const out = net.predict(data.x, data.m);
    const hasTargets = data.targets !== "none";
    // classes: a softmax output, named classes, or labelled data
    const classes = model.classes ?? data.classes;
    const classify =
      classes !== undefined ||
      net.spec.activations.at(-1) === "softmax" ||
      (hasTargets && isClassification(data.y, data.m, k));
    const label = (e: number) => {
      const c = predictedClass(out, e, k);
      return classes?.[c] ?? String(c);
    };
    const summary = hasTargets ? net.evaluate(data) : null;
    if (format === "json") {
      const rows = Array.from({ length: data.m }, (_, e) => ({
        outputs: Array.from(out.subarray(e * k, e * k + k)),
        ...(classify ? { class: label(e) } : {}),
      }));
      io.out(
        JSON.stringify(
          {
            examples: data.m,
            ...(summary !== null ? { cost: summary.cost, accuracy: summary.accuracy } : {}),
            predictions: rows,
          },
          null,
          2,
        ),
      );
      return;
    }
    io.out([...Array.from({ length: k }, (_, j) => `a${j + 1}`), ...(classify ? ["class"] : [])].join(","));
    for (let e = 0; e < data.m; e++) {
      const cells = Array.from(out.subarray(e * k, e * k + k), String);
      io.out((classify ? [...cells, label(e)] : cells).join(","));
    }
    if (summary !== null) {
      io.err(
        `cost ${summary.cost}${summary.accuracy !== null ? `, accuracy ${(100 * summary.accuracy).toFixed(2)}%` : ""} on ${data.m} examples`,
      );
    }
  },
});
