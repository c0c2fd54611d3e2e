/**
 * `chainrule check`: the derived gradient against finite differences, on seeded random numbers.
 * Each checked ∂J/∂θ must meet |g − ĝ| ≤ atol + rtol·|ĝ| (core's `checkGradient`); a large
 * network is checked on a seeded sample of its parameters, with J and the δ-form gradient from
 * nn's engine (the matrix form on typed arrays, or compiled code for small networks), made from
 * the layer sizes: no per-weight graph is built for the δ form. The chain and local forms (and a
 * softmax output with mse, which has no matrix form) are evaluated on the graph by core.
 */

import {
  type Batch,
  checkGradient,
  compile,
  type GradCheck,
  type Graph,
  gradientValues,
  hasMatrixForm,
  ids,
  type LayerSpec,
  layered,
  layeredInfo,
  layeredParamAddress,
  matrixFormProblem,
  normaliseSpec,
  type ParamCheck,
  parameterGroups,
  parameterIds,
  unknownName,
} from "@chainrule/core";
import { COMPILED_LIMIT, Engine, MatrixProgram } from "@chainrule/nn";
import cliProgress from "cli-progress";
import { NETWORK_OPTIONS, parseInteger, parseNumber, parseSeed } from "../args.js";
import { UsageError } from "../errors.js";
import { type CheckRoute, checkEstimate, guard, layersOf, MAX_WORK_OPTION } from "../guards.js";
import { MODEL_SPEC_OPTION, specOrModel } from "../nn-input.js";
import { graphShape, layeredShape, randomCase } from "../random-case.js";
import { type Io, verb } from "../verb.js";

/** Above this many parameters the default is a sample rather than every entry. */
const SAMPLE_ABOVE = 5_000;
/** The default sample size on a large network. */
const DEFAULT_SAMPLE = 1_000;
/** The most random examples --examples takes. */
const MAX_EXAMPLES = 100_000;

/** 101770 → "101,770". */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
/** An error size for people: 9.4e-12 (0 as 0). */
const sci = (x: number) => (x === 0 ? "0" : Number.isFinite(x) ? x.toExponential(1) : String(x));

/** Where J and the gradient under test come from. */
interface Numbers {
  readonly cost: (theta: Float64Array) => number;
  readonly gradient: Float64Array;
  /** What computed the gradient: "matrix" or "compiled" (nn's engine) or "interpreter" (core). */
  readonly engine: string;
}

/**
 * J and the δ-form ∂J/∂θ from nn's engine made from the layer sizes (no per-weight graph), with
 * each parameter's name and group (its layer and role, as core's parameterGroups words it) from
 * the sizes too — as functions of the position, so no list of every name is made.
 */
function engineNumbers(
  spec: LayerSpec,
  theta: Float64Array,
  data: Batch,
): Numbers & { names: (i: number) => string; groups: (i: number) => string } {
  const engine = Engine.forLayers(spec);
  const gradient = new Float64Array(theta.length);
  engine.gradient(theta, data, gradient);
  const layers = layeredInfo(spec);
  const address = (i: number) => layeredParamAddress(layers, i);
  return {
    cost: (t) => engine.cost(t, data),
    gradient,
    engine: engine.kind,
    names: (i) => ids.theta(...address(i)),
    groups: (i) => {
      const [l, , k] = address(i);
      return `${l} ${k === 0 ? "bias" : "weight"}`;
    },
  };
}

/**
 * The route of the numbers: nn's engine from the sizes for the δ form of a network with a matrix
 * form (core's matrixFormProblem: every output but softmax with a cost other than cross-entropy);
 * else the graph.
 */
function routeOf(spec: LayerSpec, form: "delta" | "chain" | "local"): CheckRoute {
  const { info, cost } = normaliseSpec(spec);
  const matrix = matrixFormProblem(info.activations[info.activations.length - 1]!, cost) === null;
  return form === "delta" && matrix ? "engine" : "graph";
}

/** J and ∂J/∂θ of the chosen form: nn's engine when it takes the network, core's code otherwise. */
function numbersOf(
  graph: Graph,
  spec: LayerSpec,
  theta: Float64Array,
  data: Batch,
  form: "delta" | "chain" | "local",
): Numbers {
  // softmax with mse (no matrix form) beyond compiled code's size: no engine computes its gradient
  const engine = hasMatrixForm(graph) || parameterIds(graph).length <= COMPILED_LIMIT ? Engine.create(graph) : null;
  const cost = engine !== null ? (t: Float64Array) => engine.cost(t, data) : forwardCost(graph, spec, data);
  if (form === "delta" && engine !== null) {
    const gradient = new Float64Array(theta.length);
    engine.gradient(theta, data, gradient);
    return { cost, gradient, engine: engine.kind };
  }
  return { cost, gradient: gradientValues(graph, theta, data, form), engine: "interpreter" };
}

/**
 * J without an engine (softmax with mse): nn's forward-only matrix program, whose forward steps
 * come from the same layers with cross-entropy (the forward pass does not depend on the cost);
 * core's compiled J when even that is not available.
 */
function forwardCost(graph: Graph, spec: LayerSpec, data: Batch): (theta: Float64Array) => number {
  try {
    const program = new MatrixProgram(graph, data.m, {
      backward: false,
      forwardGraph: layered({ ...spec, cost: "cross-entropy" }),
    });
    return (t) => program.evaluate(t, data);
  } catch {
    const program = compile(graph, { gradients: false });
    return (t) => program.run(t, data, undefined, false);
  }
}

/** A progress bar on stderr while entries are checked (only on a terminal). */
function progressBar(io: Io, show: boolean): { update(done: number, total: number): void; stop(): void } {
  if (!show || io.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: io.stderr, format: "checking |{bar}| {value}/{total} partials", hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => void (started && bar.stop()),
  };
}

/** How atol was chosen, for the explanation. */
const ATOL_SOURCE: { readonly [K in GradCheck["criterion"]["atolSource"]]: string } = {
  given: "",
  scale: " (float64 noise at this J)",
  spread: " (the noise the differences show)",
};

/** The worst entry, and why it passes or fails. */
function explain(p: ParamCheck, r: GradCheck): string[] {
  const { rtol, atol } = r.criterion;
  const lines = [
    `worst ∂J/∂${p.param}: derived ${p.derived.toPrecision(10)}, numeric ${p.numeric.toPrecision(10)}; ` +
      `error ${sci(p.error)} ${p.passed ? "≤" : ">"} allowed ${sci(p.allowed)} = atol ${sci(atol)}${ATOL_SOURCE[r.criterion.atolSource]} + rtol ${sci(rtol)} × |numeric|`,
  ];
  // a mistake in the derivation moves g, not the differences: when the two quotients disagree by
  // a good part of the error, the differences themselves are the doubtful side
  if (!p.passed && !(p.spread < 0.1 * p.error)) {
    lines.push(
      `  the differences at steps h and 2h disagree by ${sci(p.spread)} here, comparable to the error: J is not smooth near θ (a relu kink?) or noisier than atol; try another --seed or a larger --atol`,
    );
  }
  return lines;
}

export const checkVerb = verb({
  name: "check",
  summary: "gradient check: derived ∂J/∂θ against finite differences",
  examples: [
    "chainrule check --layers 3,4,2 --activation tanh --cost mse --seed 7",
    "chainrule check --layers 4,8,3 --activation relu,softmax --examples 16",
    "chainrule check --layers 784,128,10 --sample 200 --json",
  ],
  options: {
    ...NETWORK_OPTIONS,
    ...MODEL_SPEC_OPTION,
    seed: { type: "string", value: "n", description: "seed for the random weights, data and sample", default: "1" },
    examples: {
      type: "string",
      value: "m",
      description: `number of random examples, at most ${grouped(MAX_EXAMPLES)} (and within --max-work)`,
      default: "4",
    },
    form: { type: "string", value: "delta|chain|local", description: "which derived form to check", default: "delta" },
    tolerance: {
      type: "string",
      value: "rtol",
      description: "relative tolerance: each partial must meet |g − ĝ| ≤ atol + rtol·|ĝ|; exit status 1 otherwise",
      default: "1e-6",
    },
    atol: {
      type: "string",
      value: "atol",
      description:
        "absolute tolerance (default: the finite differences' noise floor, 100 × ε^(2/3) × max(|J|, max |ĝ|), or more where steps h and 2h disagree)",
    },
    sample: {
      type: "string",
      value: "n",
      description: `check a seeded sample of n partials (default: all up to ${grouped(SAMPLE_ABOVE)} parameters, else ${grouped(DEFAULT_SAMPLE)})`,
    },
    all: { type: "boolean", description: "check every partial, however many" },
    json: { type: "boolean", description: "print the full result as JSON" },
    ...MAX_WORK_OPTION,
  },
  run(values, io) {
    const { spec, theta: given } = specOrModel(values);
    const seed = parseSeed(values, 1);
    const m = parseInteger(values.examples, "--examples", 4, 1, MAX_EXAMPLES);
    const rtol = parseNumber(values.tolerance, "--tolerance", 1e-6, 0);
    const atol = values.atol === undefined ? undefined : parseNumber(values.atol, "--atol", 0, 0);
    const form = values.form ?? "delta";
    if (form !== "delta" && form !== "chain" && form !== "local")
      throw unknownName("form", form, ["delta", "chain", "local"]);
    const all = values.all === true;
    if (all && values.sample !== undefined)
      throw new UsageError("--sample and --all contradict each other; give one of them");
    const asked = values.sample === undefined ? undefined : parseInteger(values.sample, "--sample", 0, 1);
    const json = values.json === true;

    // the work from the sizes, the examples and the partials to check, before anything is built
    const layers = layersOf(spec);
    const total = layers.parameters;
    const sample = all ? undefined : (asked ?? (total > SAMPLE_ABOVE ? DEFAULT_SAMPLE : undefined));
    const route = routeOf(spec, form);
    const { estimate, hard } = checkEstimate(layers, route, form, m, Math.min(sample ?? total, total));
    guard(`check of ${layers.name}`, estimate, values, hard);

    let numbers: Numbers & {
      names: readonly string[] | ((i: number) => string);
      groups: readonly string[] | ((i: number) => string);
    };
    let theta: Float64Array;
    if (route === "engine") {
      const drawn = randomCase(layeredShape(spec), seed, m);
      // a model's own weights, on the seeded random examples
      theta = given ?? drawn.theta;
      numbers = engineNumbers(spec, theta, drawn.data);
    } else {
      const graph = layered(spec);
      const drawn = randomCase(graphShape(graph), seed, m);
      theta = given ?? drawn.theta;
      numbers = {
        ...numbersOf(graph, spec, theta, drawn.data, form),
        names: parameterIds(graph),
        groups: parameterGroups(graph),
      };
    }
    const bar = progressBar(io, !json);
    let r: GradCheck;
    try {
      r = checkGradient(
        { cost: numbers.cost, theta, gradient: numbers.gradient, names: numbers.names, groups: numbers.groups },
        {
          rtol,
          ...(atol !== undefined ? { atol } : {}),
          ...(sample !== undefined ? { sample } : {}),
          seed,
          onProgress: bar.update,
        },
      );
    } finally {
      bar.stop();
    }

    if (json) {
      io.out(
        JSON.stringify(
          {
            layers: spec.sizes,
            seed,
            examples: m,
            form,
            engine: numbers.engine,
            passed: r.passed,
            criterion: r.criterion,
            checked: r.checked,
            total: r.total,
            sample: r.sample,
            cost: r.cost,
            maxError: r.maxError,
            maxRelError: r.maxRelError,
            normRelError: r.normRelError,
            worst: r.worstEntry,
            parameters: r.parameters,
          },
          (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v),
          2,
        ),
      );
    } else {
      const failed = r.parameters.filter((p) => !p.passed).length;
      const what = r.sample === null ? "" : ` (a sample, seed ${seed}; --all checks every one)`;
      const verdict = r.passed ? "passed" : `FAILED (${grouped(failed)} above the allowed error)`;
      io.out(
        `checked ${grouped(r.checked)} of ${grouped(r.total)} partials${what}: max error ${sci(r.maxError)}, ${verdict}`,
      );
      if (r.worstEntry !== null) for (const line of explain(r.worstEntry, r)) io.out(line);
    }
    return r.passed ? 0 : 1;
  },
});
