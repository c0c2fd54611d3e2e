/**
 * `chainrule render`: the derivation of a network as a standalone LaTeX document, Markdown, a
 * self-contained HTML page and the network diagram (SVG and TikZ), written into a folder.
 *
 * Every option and every output path is checked before any work starts: each file may be written
 * (not a folder, a pipe or a device, nor the --model or --data of the run; a link is written
 * through) and the folder takes a temporary file. The files are built in memory, then written all
 * or none: each goes to a temporary file, and only when all are written are they renamed into
 * place; if a rename fails, those already renamed are put back, so every file is as it was. A
 * folder this run created is removed again on failure.
 */
import { join } from "node:path";
import { type Batch, count, type Graph, layered, layeredParamId, type ParamValues, paramId } from "@chainrule/core";
import { readCsvFile, readModelFile } from "@chainrule/nn/node";
import { exampleValues, notation } from "@chainrule/viz";
import { layerSpec, NETWORK_OPTIONS, parseInteger, parseNumber, parseParam, parseSeed } from "../args.js";
import { UsageError } from "../errors.js";
import { guard, layersOf, MAX_WORK_OPTION, renderEstimate } from "../guards.js";
import { checkOutFolder, writeOutFolder } from "../out-folder.js";
import { derivationFiles, RENDER_FILES } from "../render-files.js";
import { optionNames, verb } from "../verb.js";

/** The first n examples of a batch (all of them when it has no more). */
function firstExamples(b: Batch, n: number): Batch {
  if (b.m <= n) return b;
  const nIn = b.x.length / b.m;
  const nOut = b.y.length / b.m;
  return { m: n, x: b.x.slice(0, n * nIn), y: b.y.slice(0, n * nOut) };
}

/** `chainrule render`: the derivation documents and the network diagram, written into a folder. */
export const renderVerb = verb({
  name: "render",
  summary: "write the derivation as LaTeX, Markdown and HTML, and the network as SVG and TikZ",
  examples: [
    "chainrule render --layers 2,2,2 --no-bias --out derivation",
    "chainrule render --layers 1,1,1 --no-bias --notation nielsen --out simple",
    "chainrule render --model model.json --data data.csv --param 1,1,1 --out lecture",
  ],
  options: {
    ...NETWORK_OPTIONS,
    out: {
      type: "string",
      value: "folder",
      description:
        "folder to write derivation.tex, .md, .html, network.svg and network.tikz into (created if its parent exists)",
    },
    model: {
      type: "string",
      value: "model.json",
      description: "a model file: its network and weights (instead of --layers)",
    },
    data: {
      type: "string",
      value: "data.csv",
      description: "examples for the worked example (header x1,…,xn,y1,…,yk or x1,…,xn,label)",
    },
    notation: { type: "string", value: "post|ng|nielsen", description: "notation of the derivation", default: "post" },
    param: {
      type: "string",
      value: "l,j,k",
      description: "the parameter whose paths are coloured and drawn",
      default: "1,1,1",
    },
    full: { type: "boolean", description: "print every neuron, term and path (no ⋯ for wide layers)" },
    seed: {
      type: "string",
      value: "n",
      description: "seed of the random weights and example when no --model/--data is given",
      default: "1",
    },
    examples: {
      type: "string",
      value: "n",
      description: "how many examples of --data the worked example uses (the first n)",
      default: "4",
    },
    rate: {
      type: "string",
      value: "η",
      description: "learning rate of the gradient-descent step in the worked example",
      default: "0.5",
    },
    title: { type: "string", value: "text", description: "document title" },
    json: { type: "boolean", description: "print what was written as JSON" },
    ...MAX_WORK_OPTION,
  },
  run(values, io) {
    // Everything is checked before any work starts.
    const outText = values.out;
    if (outText === undefined || outText.trim() === "")
      throw new UsageError("--out is required: the folder to write the derivation into, e.g. --out derivation");
    const nt = notation(values.notation ?? "post").name;
    const seed = parseSeed(values, 1);
    const rate = parseNumber(values.rate, "--rate", 0.5, Number.MIN_VALUE);
    const full = values.full === true;
    const maxExamples = parseInteger(values.examples, "--examples", 4, 1, 10_000);
    const modelPath = values.model;
    const dataPath = values.data;
    const inputs = [
      ...(modelPath !== undefined ? [{ option: "--model", path: modelPath }] : []),
      ...(dataPath !== undefined ? [{ option: "--data", path: dataPath }] : []),
    ];
    const out = checkOutFolder(outText, "--out", RENDER_FILES, inputs);
    if (modelPath !== undefined) {
      const clash = optionNames(NETWORK_OPTIONS).find((o) => values[o] !== undefined);
      if (clash !== undefined)
        throw new UsageError(
          `--${clash} describes a new network; a --model file brings its own (leave one of them out)`,
        );
    }
    const model = modelPath !== undefined ? readModelFile(modelPath) : null;
    const spec = model !== null ? model.network.layerSpec() : layerSpec(values);
    // the address and the size of the document from the layer sizes, before the graph is built
    const [l, j, k] = parseParam(values.param ?? "1,1,1");
    const layers = layersOf(spec);
    layeredParamId(layers, l, j, k);
    const { estimate, hard } = renderEstimate(layers, full, dataPath !== undefined ? maxExamples : 1);
    guard(`render of ${layers.name}`, estimate, values, [hard]);
    const graph: Graph = model !== null ? model.network.graph() : layered(spec);
    const theta: ParamValues | null = model !== null ? model.network.parameters() : null;
    const param = paramId(graph, l, j, k);
    const random = exampleValues(graph, seed);
    // the worked example spells out a few examples; the evaluator runs them all, so keep it to a few
    const data: Batch = dataPath !== undefined ? firstExamples(readCsvFile(dataPath, graph), maxExamples) : random.data;
    const title = values.title;
    const options = {
      notation: nt,
      param,
      full,
      learningRate: rate,
      values: { theta: theta ?? random.theta, data },
      ...(title !== undefined ? { title } : {}),
    };
    // deriving and printing a big network takes a few seconds: say so on a terminal
    const tell = (what: string) => void (io.stderr.isTTY === true && values.json !== true ? io.err(what) : undefined);
    tell(`deriving and printing the ${graph.layers?.sizes.join("-") ?? "graph"} derivation…`);
    const files = derivationFiles(graph, options);
    tell(`writing ${files.length} files into ${outText}…`);
    writeOutFolder(out, files);
    const c = count(graph);
    const written = RENDER_FILES.map((f) => join(outText, f));
    if (values.json === true) {
      io.out(
        JSON.stringify(
          { files: written, parameters: c.parameters, paths: c.paths, chainFactors: c.chainFactors, examples: data.m },
          (_k, v) => (typeof v === "bigint" ? v.toString() : v),
        ),
      );
      return;
    }
    io.out(`wrote ${written.join(", ")}`);
    io.out(
      `${c.parameters} parameters need ${c.chainFactors} partial-derivative factors; the worked example uses ${data.m} ${data.m === 1 ? "example" : "examples"}${dataPath !== undefined ? ` (the first of ${dataPath}; --examples sets how many)` : ` drawn with seed ${seed}`}.`,
    );
  },
});
