/**
 * `chainrule demo` — a tour of chainrule on the post's 2-2-2 sigmoid network: the count and the two
 * coloured paths of ∂J/∂θ⁽¹⁾₁₁; the full derivation with a worked example (LaTeX, Markdown, HTML,
 * SVG, TikZ); training on XOR with per-epoch metrics; the trained model, its loss curve and a
 * worked example of one step on it; and a list of what was written.
 */
import { join, relative } from "node:path";
import { type Batch, batch, chainForm, count, layered, paramValues } from "@chainrule/core";
import { builtinDataset, formatModel, Network, type TrainResult, train } from "@chainrule/nn";
import { derivation, pathColour, toHtml, toMarkdown, trainingCurveSvg, unicodeName } from "@chainrule/viz";
import { parseInteger, parseSeed } from "../args.js";
import { UsageError } from "../errors.js";
import { checkOutFolder, writeOutFolder } from "../out-folder.js";
import { epochReporter, percent } from "../progress.js";
import { derivationFiles, RENDER_FILES } from "../render-files.js";
import { coloursOn, paint } from "../terminal-colour.js";
import { verb } from "../verb.js";

/** The weights of the well-known worked example on the post's network (no biases). */
const POST_WEIGHTS = {
  theta_1_1_1: 0.15,
  theta_1_1_2: 0.2,
  theta_1_2_1: 0.25,
  theta_1_2_2: 0.3,
  theta_2_1_1: 0.4,
  theta_2_1_2: 0.45,
  theta_2_2_1: 0.5,
  theta_2_2_2: 0.55,
};

/** The files the demo writes, in order: the derivation's, then the trained model's. */
const DEMO_FILES = [
  ...RENDER_FILES,
  "model.json",
  "loss-curve.svg",
  "worked-example.md",
  "worked-example.html",
] as const;

export const demoVerb = verb({
  name: "demo",
  summary: "a tour on the post's 2-2-2 network: derive, render and train it, writing everything to a folder",
  examples: ["chainrule demo", "chainrule demo --out lecture --epochs 5000"],
  options: {
    out: {
      type: "string",
      value: "folder",
      description: "where to write the derivation, model and charts",
      default: "out",
    },
    epochs: { type: "string", value: "N", description: "training epochs", default: "3000" },
    seed: {
      type: "string",
      value: "S",
      description: "seed of the initial weights (Glorot, as for any sigmoid network)",
      default: "0",
    },
    json: { type: "boolean", description: "JSON lines instead of text (one per epoch, then a summary)" },
  },
  run(values, io) {
    const outText = values.out ?? "out";
    const epochs = parseInteger(values.epochs, "--epochs", 3000, 1, 1_000_000);
    const seed = parseSeed(values);
    const json = values.json === true;
    if (outText.trim() === "") throw new UsageError("--out needs a folder, e.g. --out lecture");
    // every file can be written (or the folder created) before any work starts
    const out = checkOutFolder(outText, "--out", DEMO_FILES);
    const say = (line = "") => void (json ? undefined : io.out(line));
    const colour = coloursOn(io.stdout);

    // 1. The count and the two coloured paths of ∂J/∂θ⁽¹⁾₁₁.
    const post = layered({ sizes: [2, 2, 2], bias: false });
    const c = count(post);
    const name = (id: string) => unicodeName(post, id);
    say("chainrule — the post's 2-2-2 sigmoid network, J = 1/(2m) Σ (y − a)², no biases");
    say(`${c.parameters} parameters need ${c.chainFactors} partial-derivative factors (${c.paths} chain-rule paths).`);
    say();
    say(`∂J/∂${name("theta_1_1_1")} is the sum over its paths of the product of the partials along each:`);
    chainForm(post, "theta_1_1_1").terms.forEach((t, i) => {
      const col = pathColour(i);
      // from J backwards, as the post writes the chain: ∂J/∂a · ∂a/∂z · … · ∂z/∂θ
      const back = [...t.path].reverse();
      const factors = back.slice(0, -1).map((to, f) => `∂${name(to)}/∂${name(back[f + 1]!)}`);
      say(paint(`  ${col.word.padEnd(6)} ${t.path.map(name).join(" → ")}`, col.hex, colour));
      say(paint(`         ${factors.join(" · ")}`, col.hex, colour));
    });
    say();

    // 2. The derivation with the worked example, all files built before any is written.
    const theta = paramValues(post, POST_WEIGHTS);
    const example = batch(post, [[0.05, 0.1]], [[0.01, 0.99]]);
    const files = derivationFiles(post, { param: "theta_1_1_1", values: { theta, data: example }, learningRate: 0.5 });

    // 3. Training: the 2-2-2 network, now with biases, on XOR as two classes.
    const data = builtinDataset("xor", { outputs: 2 });
    const net = Network.create({ sizes: [2, 2, 2], activation: "sigmoid", cost: "mse", bias: true }, { seed });
    say(
      `Training the 2-2-2 network (with biases) on XOR as two classes: ${epochs} epochs of full-batch gradient descent, η = 3.`,
    );
    const report = epochReporter(io, json, 1, epochs);
    let result: TrainResult;
    try {
      result = train(net, data, { epochs, learningRate: 3, seed, onEpoch: (r) => void report.epoch(r) });
    } finally {
      report.stop();
    }
    const final = net.evaluate(data);
    say(`cost ${final.cost.toPrecision(4)}, accuracy ${percent(final.accuracy ?? undefined)}`);
    say();

    // 4. The trained model's worked example: one step on the first XOR example with x₁ ≠ 0, so the chain of θ⁽¹⁾₁₁ (which ends in x₁) is not 0.
    const trainedGraph = net.graph();
    const e = Array.from({ length: data.m }, (_, i) => i).find((i) => data.x[2 * i] !== 0)!;
    const step: Batch = { m: 1, x: data.x.subarray(2 * e, 2 * e + 2), y: data.y.subarray(2 * e, 2 * e + 2) };
    const worked = derivation(trainedGraph, {
      param: "theta_1_1_1",
      values: { theta: net.parameters(), data: step },
      learningRate: 3,
      title: `The trained network: one gradient-descent step on x = (${data.x[2 * e]}, ${data.x[2 * e + 1]}), number by number`,
    });
    const curve = trainingCurveSvg(result.history, { title: "2-2-2 sigmoid network on XOR" });

    // 5. Write everything, all files or none, then list it.
    const texts: Record<(typeof DEMO_FILES)[number], string> = {
      ...(Object.fromEntries(files) as Record<(typeof RENDER_FILES)[number], string>),
      "model.json": formatModel({ network: net }),
      "loss-curve.svg": curve,
      "worked-example.md": toMarkdown(worked),
      "worked-example.html": toHtml(worked),
    };
    writeOutFolder(
      out,
      DEMO_FILES.map((f) => [f, texts[f]] as const),
    );
    const written = DEMO_FILES.map((f) => join(outText, f));
    if (json) {
      io.out(
        JSON.stringify({
          done: true,
          parameters: c.parameters,
          paths: c.paths,
          chainFactors: c.chainFactors,
          cost: final.cost,
          accuracy: final.accuracy,
          files: written,
        }),
      );
      return;
    }
    say("Wrote:");
    const describe: { readonly [file: string]: string } = {
      "derivation.html": "the derivation, step by step (open in a browser; works offline)",
      "derivation.tex": "the same as a LaTeX document (pdflatex derivation.tex)",
      "derivation.md": "the same in Markdown with $$ … $$ math",
      "network.svg": "the network with the paths of θ⁽¹⁾₁₁ in the chain colours",
      "network.tikz": "the same diagram for LaTeX (\\input{network.tikz} inside a tikzpicture document)",
      "model.json": "the trained model (chainrule predict --model … --data …)",
      "loss-curve.svg": "cost and accuracy per epoch",
      "worked-example.md": "one gradient-descent step on the trained model, every number shown",
      "worked-example.html": "the same, for a browser",
    };
    const w = Math.max(...written.map((f) => f.length));
    for (const f of written) {
      const name = relative(outText, f);
      say(`  ${f.padEnd(w)}  ${Object.hasOwn(describe, name) ? describe[name] : ""}`);
    }
    say();
    say(`Open ${join(outText, "derivation.html")} in a browser to read the derivation.`);
  },
});
