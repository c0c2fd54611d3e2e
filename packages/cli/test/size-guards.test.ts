/**
 * Size guards: every probe of a run far too large is refused before anything is built — no graph,
 * engine, derivation or training is started, in one line that names the limit and --max-work (or
 * the limit of core or nn that no option raises) — and a run within the limit, or with the limit
 * raised, proceeds. `count` answers from the sizes at any size; `check` samples a large network
 * without its graph.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, layered, TooLargeError } from "@chainrule/core";
import { Engine, formatModel, Network } from "@chainrule/nn";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  checkEstimate,
  DEFAULT_MAX_WORK,
  guardTrain,
  layersOf,
  networkEstimate,
  renderEstimate,
} from "../src/guards.js";
import { cli } from "./capture.js";

const dir = mkdtempSync(join(tmpdir(), "chainrule-guards-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The expensive steps of the verbs, watched: core's graph builder (with the sizes built), its
 * compilers, derivations, path listings and gradient checks, nn's engines and trainer. Each
 * calls through to the real one.
 */
const work = vi.hoisted(() => [] as string[]);
vi.mock("@chainrule/core", async (importOriginal) => {
  const core = await importOriginal<typeof import("@chainrule/core")>();
  const watch =
    <A extends unknown[], R>(name: string, f: (...args: A) => R) =>
    (...args: A): R => {
      work.push(name);
      return f(...args);
    };
  return {
    ...core,
    layered: (spec: Parameters<typeof core.layered>[0]) => {
      work.push(`layered ${spec.sizes.join("-")}`);
      return core.layered(spec);
    },
    compile: watch("compile", core.compile),
    emitModule: watch("emitModule", core.emitModule),
    chainForm: watch("chainForm", core.chainForm),
    deltaForm: watch("deltaForm", core.deltaForm),
    pathContributions: watch("pathContributions", core.pathContributions),
    gradientValues: watch("gradientValues", core.gradientValues),
    checkGradient: watch("checkGradient", core.checkGradient),
  };
});
vi.mock("@chainrule/nn", async (importOriginal) => {
  const nn = await importOriginal<typeof import("@chainrule/nn")>();
  return {
    ...nn,
    train: (...args: Parameters<typeof nn.train>) => {
      work.push("train");
      return nn.train(...args);
    },
  };
});
const { create, forLayers } = Engine;
vi.spyOn(Engine, "create").mockImplementation((...args) => {
  work.push("Engine.create");
  return create.apply(Engine, args);
});
vi.spyOn(Engine, "forLayers").mockImplementation((...args) => {
  work.push("Engine.forLayers");
  return forLayers.apply(Engine, args);
});
/** The expensive steps reached since the last call. */
function workDone(): string[] {
  return work.splice(0);
}

/** Runs the command: it must fail with `code` before any expensive step, in one line without a stack, which is returned. */
async function refused(code: number, ...argv: string[]): Promise<string> {
  workDone();
  const r = await cli(...argv);
  expect(r.code, r.err).toBe(code);
  expect(workDone(), `${argv.slice(0, 3).join(" ")} started work before refusing`).toEqual([]);
  const lines = r.err.trimEnd().split("\n");
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]!.length).toBeLessThanOrEqual(600);
  expect(lines[0]).not.toMatch(/\n| {4}at /);
  expect(r.out).toBe("");
  return lines[0]!;
}

const deep = Array(1000).fill(2).join(",");

describe("runs far too large are refused before anything is built", () => {
  it.each([
    [
      ["compile", "--layers", "1000,1000,10"],
      /^chainrule: compile of a 1000-1000-10 network is about \S+ steps of work \(building the graph of its 1,011,010 parameters.*more than the limit of 1\.0e10; --max-work \S+ raises the limit/,
    ],
    [
      ["derive", "--layers", "1000,1000,10", "--param", "1,1,1"],
      /derive of a 1000-1000-10 network is about .* --max-work \S+ raises the limit, or use a smaller network\.$/,
    ],
    [
      ["derive", "--layers", "200,200,10", "--form", "chain"],
      /listing 2\.0e6 chain factors as text.* --max-work \S+ raises the limit, or use --form delta, or --param l,j,k for one partial\.$/,
    ],
    [
      ["derive", "--layers", "150,150,10", "--form", "local", "--format", "json"],
      /derive of a 150-150-10 network: it would print about \S+ characters; one run prints at most 400,000,000/,
    ],
    [
      ["check", "--layers", "1000,1000,10"],
      /check of a 1000-1000-10 network is about .*4,000 evaluations of J on 4 examples.* --max-work \S+ raises the limit, or --sample \d+ checks fewer partials within the limit\.$/,
    ],
    [
      ["check", "--layers", "100,100,10", "--examples", "100000"],
      /on 100,000 examples.* --max-work \S+ raises the limit/,
    ],
    [
      ["check", "--layers", "1000,1000,10", "--form", "chain"],
      /building the graph of its 1,011,010 parameters, the chain form/,
    ],
    [
      ["paths", "--layers", "1000,1000,10", "--param", "1,1,1"],
      /paths of theta_1_1_1 in a 1000-1000-10 network is about .* --max-work/,
    ],
    [
      ["render", "--layers", "1000,1000,10", "--out", join(dir, "r")],
      /render of a 1000-1000-10 network is about .* --max-work/,
    ],
  ])("%j", async (argv, message) => {
    expect(await refused(1, ...(argv as string[]))).toMatch(message as RegExp);
  });

  it("limits no option raises are named as such", async () => {
    expect(await refused(1, "compile", "--layers", "100000,100000,10")).toMatch(
      /per-weight graph would have 10,001,100,010 parameters; core builds graphs of at most 2,000,000 \(MAX_GRAPH_PARAMETERS\), which no option raises/,
    );
    expect(await refused(1, "derive", "--layers", "100000,100000,10")).toMatch(/MAX_GRAPH_PARAMETERS/);
    expect(await refused(1, "check", "--layers", "100000,100000,10")).toMatch(
      /nn's networks are limited to 50,000,000 \(MAX_PARAMETERS/,
    );
    expect(await refused(1, "derive", "--layers", "3,3,3,3,3,3,3,3,3,3,3,3", "--form", "chain")).toMatch(
      /∂J\/∂θ⁽1⁾ has 59,049 paths per partial; core lists the chains of at most 20,000 \(MAX_CHAIN_PATHS\), which no option raises/,
    );
    expect(await refused(1, "paths", "--layers", "3,3,3,3,3,3,3,3,3,3,3,3", "--param", "1,1,1")).toMatch(
      /MAX_CHAIN_PATHS/,
    );
    expect(await refused(1, "render", "--layers", "100,100,10", "--full", "--out", join(dir, "r"))).toMatch(
      /508,030 chain factors; viz prints at most 200,000 \(MAX_FULL_FACTORS\)/,
    );
    // a thousand layers: a document of more text than one run can hold, named short
    expect(await refused(1, "render", "--layers", deep, "--out", join(dir, "r"))).toMatch(
      /^chainrule: render of a 1000-layer network \(2-2-2-…-2-2\): it would print about \S+ characters; one run prints at most 400,000,000/,
    );
    expect(
      await refused(1, "train", "--layers", "2,100000,100000,1", "--dataset", "xor", "--epochs", "1", "--lr", "1"),
    ).toMatch(/limited to 50000000/);
  });

  it("check --examples is bounded", async () => {
    expect(await refused(2, "check", "--layers", "2,2,1", "--examples", "100001")).toMatch(
      /--examples 100001 is out of range; use 1…100000/,
    );
    // the most examples a small network checks quickly
    const r = await cli("check", "--layers", "2,2,1", "--examples", "100000");
    expect(r.code, r.err).toBe(0);
  });

  it("the help of each guarded verb names --max-work", async () => {
    for (const verb of ["compile", "derive", "paths", "check", "render", "grad", "predict"]) {
      expect((await cli(verb, "--help")).out).toMatch(
        /--max-work <N> +refuse a run estimated at more than N steps of work .*default 1e10/,
      );
    }
  });
});

describe("--max-work sets the limit", () => {
  it("a lower limit refuses a small run; raising it again lets the run proceed", async () => {
    expect(await refused(1, "derive", "--layers", "30,30,10", "--max-work", "1e6")).toMatch(
      /derive of a 30-30-10 network is about (\S+) steps of work .* more than the limit of 1\.0e6; --max-work \S+ raises the limit/,
    );
    const suggested = /--max-work (\S+) raises/.exec(
      await refused(1, "derive", "--layers", "30,30,10", "--max-work", "1e6"),
    )![1]!;
    const r = await cli("derive", "--layers", "30,30,10", "--max-work", suggested);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("theta_1_1_1");
  });

  it("every guarded verb takes it", async () => {
    const model = join(dir, "m.json");
    writeFileSync(model, formatModel({ network: Network.create({ sizes: [2, 3, 1] }) }));
    for (const argv of [
      ["compile", "--layers", "2,2,2"],
      ["paths", "--layers", "2,2,2", "--param", "1,1,1"],
      ["check", "--layers", "2,2,2"],
      ["render", "--layers", "2,2,2", "--out", join(dir, "r2")],
      ["grad", "--model", model, "--dataset", "xor"],
      ["predict", "--model", model, "--dataset", "xor"],
    ]) {
      expect(await refused(1, ...argv, "--max-work", "10")).toMatch(
        /steps of work .* more than the limit of 10; --max-work \S+ raises the limit/,
      );
      const r = await cli(...argv, "--max-work", "1e12");
      expect(r.code, `${argv.join(" ")}: ${r.err}`).toBe(0);
      // the run proceeds to its work, where the refusal stopped short of it
      expect(workDone(), argv.join(" ")).not.toEqual([]);
    }
    expect(await refused(2, "compile", "--layers", "2,2", "--max-work", "0x10")).toMatch(
      /--max-work "0x10" is not a number/,
    );
    expect(await refused(2, "compile", "--layers", "2,2", "--max-work", "0")).toMatch(/--max-work 0 is out of range/);
  });
});

describe("count answers from the sizes alone", () => {
  // no graph is built, and the counts (10¹⁰ parameters; 2^999 − 2 paths) are far too many to enumerate
  it("at any size, exactly, in closed form", async () => {
    workDone();
    const big = await cli("count", "--layers", "100000,100000,10", "--json");
    expect(big.code, big.err).toBe(0);
    expect(JSON.parse(big.out)).toMatchObject({
      parameters: 10_001_100_010,
      paths: 100_002_000_010,
      chainFactors: 500_008_000_030,
    });
    const r = await cli("count", "--layers", "10000,10000,10", "--json");
    expect(JSON.parse(r.out)).toMatchObject({
      parameters: 100_110_010,
      paths: 1_000_200_010,
      chainFactors: 5_000_800_030,
    });
    const d = await cli("count", "--layers", deep, "--json");
    expect(d.code).toBe(0);
    // 2^999 − 2 paths into the first layer alone: printed exactly
    expect(d.out).toMatch(/"paths": \d{300,}/);
    expect(workDone()).toEqual([]);
  });

  it("gives the graph's counts", async () => {
    for (const [sizes, extra] of [
      ["3,4,2", []],
      ["2,3,3", ["--activation", "tanh,softmax"]],
      ["4,2,2,3", ["--no-bias"]],
    ] as const) {
      const r = JSON.parse((await cli("count", "--layers", sizes, ...extra, "--json")).out);
      const spec = {
        sizes: sizes.split(",").map(Number),
        bias: !extra.includes("--no-bias" as never),
        activation: extra[0] === "--activation" ? extra[1]!.split(",") : "sigmoid",
        cost: extra[0] === "--activation" ? "cross-entropy" : "mse",
      };
      const c = count(layered(spec));
      expect(r).toMatchObject({
        parameters: c.parameters,
        paths: Number(c.paths),
        chainFactors: Number(c.chainFactors),
      });
    }
  });
});

describe("check samples a large network without its graph", () => {
  it("a 1000-1000-10 network, sampled, on nn's engine from the sizes: only a small template graph is built", async () => {
    workDone();
    const r = await cli("check", "--layers", "1000,1000,10", "--sample", "12", "--json");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      engine: "matrix",
      passed: true,
      checked: 12,
      total: 1_011_010,
      sample: { size: 12, seed: 1 },
    });
    expect(workDone()).toEqual(["Engine.forLayers", "layered 2-1-10", "checkGradient"]);
  });
});

describe("estimates", () => {
  it("grow with what the run is asked to do", () => {
    const n = layersOf({ sizes: [100, 100, 10] });
    const a = checkEstimate(n, "engine", "delta", 4, 100).estimate.work;
    expect(checkEstimate(n, "engine", "delta", 40, 100).estimate.work).toBeGreaterThan(a);
    expect(checkEstimate(n, "engine", "delta", 4, 1000).estimate.work).toBeGreaterThan(a);
    expect(checkEstimate(n, "graph", "chain", 4, 100).estimate.work).toBeGreaterThan(a);
    expect(renderEstimate(layersOf({ sizes: Array(30).fill(2) }), false, 1).estimate.work).toBeGreaterThan(
      renderEstimate(layersOf({ sizes: Array(10).fill(2) }), false, 1).estimate.work,
    );
  });

  it("train's guard refuses before training, naming the limit and the flag", () => {
    expect(() => guardTrain({ sizes: [2, 3, 1] }, 4, {})).not.toThrow();
    // nn's engine comes from the layer sizes: a million weights and a few examples is quick work
    expect(() => guardTrain({ sizes: [2, 1000, 1000, 1] }, 4, {})).not.toThrow();
    expect(() => guardTrain({ sizes: [2, 1500, 1500, 1] }, 4, {})).not.toThrow();
    // an epoch of 60,000 examples through 784-2000-2000-10 is not
    expect(() => guardTrain({ sizes: [784, 2000, 2000, 10] }, 60_000, {})).toThrow(
      /train of a 784-2000-2000-10 network is about \S+ steps of work .* more than the limit of 1\.0e10; --max-work \S+ raises the limit/,
    );
    expect(() => guardTrain({ sizes: [784, 2000, 2000, 10] }, 60_000, { "max-work": "1e14" })).not.toThrow();
    expect(() => guardTrain({ sizes: [2, 10_000, 10_000, 1] }, 4, {})).toThrow(TooLargeError);
    // grad and predict: a whole batch at once must fit the program's buffers
    expect(
      networkEstimate(layersOf({ sizes: [2, 1000, 1] }), 100_000, 1, "the forward pass", true).hard.some(
        (h) => h !== null && /MAX_PROGRAM_BUFFER/.test(h),
      ),
    ).toBe(true);
    expect(DEFAULT_MAX_WORK).toBe(1e10);
  });
});
