import { Writable } from "node:stream";
import { ELEMENTWISE_ACTIVATIONS, OUTPUT_PAIRS } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { run } from "../src/cli.js";
import { cli } from "./capture.js";

describe("count", () => {
  it("prints the post's numbers: one line for people, JSON with --json", async () => {
    const r = await cli("count", "--layers", "2,2,2", "--no-bias");
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      "a 2-2-2 network without biases: 8 parameters, 12 chain-rule paths, 52 partial-derivative factors\n",
    );
    expect(JSON.parse((await cli("count", "--layers", "2,2,2", "--no-bias", "--json")).out)).toMatchObject({
      parameters: 8,
      paths: 12,
      chainFactors: 52,
    });
    expect(JSON.parse((await cli("count", "--layers", "1,1,1", "--no-bias", "--json")).out)).toMatchObject({
      parameters: 2,
      paths: 2,
      chainFactors: 8,
    });
    expect(JSON.parse((await cli("count", "--layers", "2,2,2", "--json")).out)).toMatchObject({ parameters: 12 });
  });
  it("prints counts beyond 2^53 as exact integers", async () => {
    expect((await cli("count", "--layers", Array(10).fill(100).join(","))).out).toContain(
      "102,020,202,020,202,020,100 chain-rule paths",
    );
    const r = await cli("count", "--layers", Array(10).fill(100).join(","), "--json");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/"paths": 102020202020202020100\b/);
  });
});

describe("derive", () => {
  it("prints the chain form of θ⁽¹⁾₁₁ with the post's two paths", async () => {
    const r = await cli("derive", "--layers", "2,2,2", "--no-bias", "--param", "1,1,1", "--form", "chain");
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n").at(-1)).toBe(
      "dJ_dtheta_1_1_1 = dJ_da_3_1*da_3_1_dz_3_1*dz_3_1_da_2_1*da_2_1_dz_2_1*dz_2_1_dtheta_1_1_1 + dJ_da_3_2*da_3_2_dz_3_2*dz_3_2_da_2_1*da_2_1_dz_2_1*dz_2_1_dtheta_1_1_1",
    );
  });
  it("prints JSON expression trees", async () => {
    const r = await cli(
      "derive",
      "--layers",
      "2,2,2",
      "--no-bias",
      "--param",
      "2,1,2",
      "--form",
      "delta",
      "--format",
      "json",
    );
    const j = JSON.parse(r.out);
    expect(j.gradients[0]).toMatchObject({
      param: "theta_2_1_2",
      perExample: {
        kind: "mul",
        factors: [
          { kind: "delta", node: "z_3_1" },
          { kind: "sym", of: "a", node: "a_2_2" },
        ],
      },
    });
    const chain = JSON.parse(
      (await cli("derive", "--layers", "2,2,2", "--param", "1,1,1", "--form", "chain", "--format", "json")).out,
    );
    expect(chain.gradients[0].paths).toHaveLength(2);
  });
  it("takes one activation per layer", async () => {
    const r = await cli(
      "derive",
      "--layers",
      "2,3,2",
      "--activation",
      "relu,softmax",
      "--param",
      "all",
      "--form",
      "delta",
    );
    expect(r.code).toBe(0);
    // the output δ of softmax + cross-entropy holds for any targets: (1/m)(a Σy − y)
    expect(r.out).toContain("ysum_z_3_1 = (y_1 + y_2)");
    expect(r.out).toContain("delta_3_1 = (1/m)*(a_3_1*ysum_z_3_1 - y_1)");
  });
});

describe("bad input: one line, non-zero exit, no stack trace", () => {
  const bad: [string[], RegExp][] = [
    [["derive", "--layers", "2,,2"], /entry 2 is empty/],
    [["derive", "--layers", "0,2"], /layer 1 has 0 neurons/],
    [["derive", "--layers", "2,2,2", "--param", "9,9,9"], /no parameter theta_9_9_9.*layer l must be 1…2/],
    [["derive", "--layers", "2,2", "--activation", "sigmod"], /Unknown activation "sigmod". Did you mean "sigmoid"/],
    [["derive", "--layers", "2,2", "--form", "tree"], /Unknown form "tree". Known: chain, local, delta/],
    [["derive", "--layers", "2,2", "--format", "pdf"], /Unknown format "pdf"/],
    [["count", "--layers", "2,x"], /"x" is not a whole number/],
    [["count"], /--layers is required/],
    [["count", "--layers", "2,2", "--nope"], /unknown option "--nope" for count/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["check", "--layers", "2,2", "--seed=-3"], /--seed -3 is out of range/],
    [["check", "--layers", "2,2", "--seed", "-3"], /--seed got a value that starts with "-"; write it as --seed=VALUE/],
    [["check", "--layers", "2,2", "--sample", "0"], /--sample 0 is out of range/],
    [["check", "--layers", "2,2", "--sample", "2.5"], /--sample "2.5" is not a whole number/],
    [["check", "--layers", "2,2", "--sample", "3", "--all"], /--sample and --all contradict each other/],
    [["check", "--layers", "2,2", "--atol", "x"], /--atol "x" is not a number/],
    [["check", "--layers", "2,2", "--tolerance=-1"], /--tolerance -1 is out of range/],
    [["paths", "--layers", "2,2"], /--param l,j,k is required/],
  ];
  for (const [argv, msg] of bad) {
    it(argv.join(" "), async () => {
      const r = await cli(...argv);
      expect(r.code).not.toBe(0);
      expect(r.out).toBe("");
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }
});

describe("check and paths", () => {
  it("check passes for every activation and cost", async () => {
    // every output pairing of core's registries, under a tanh hidden layer, and every element-wise activation throughout
    const cases = [
      ...OUTPUT_PAIRS.map(({ act, cost }) => [`tanh,${act}`, cost]),
      ...ELEMENTWISE_ACTIVATIONS.map((a) => [a, "mse"]),
    ];
    for (const [act, cost] of cases) {
      const r = await cli("check", "--layers", "3,4,2", "--activation", act!, "--cost", cost!, "--seed", "7", "--json");
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j).toMatchObject({ passed: true, checked: j.total, sample: null });
      expect(j.parameters).toHaveLength(j.total);
      expect(j.normRelError).toBeLessThan(1e-6);
    }
  });
  it("check exits 1 when a partial is above atol + rtol·|ĝ| (--tolerance is rtol), 0 otherwise", async () => {
    const strict = await cli("check", "--layers", "2,3,1", "--tolerance", "0", "--atol", "0", "--json");
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.out)).toMatchObject({
      passed: false,
      criterion: { rtol: 0, atol: 0, atolSource: "given" },
    });
    const loose = await cli("check", "--layers", "2,3,1", "--json");
    expect(loose.code).toBe(0);
    expect(JSON.parse(loose.out)).toMatchObject({
      passed: true,
      criterion: { rule: "|g − ĝ| ≤ atol + rtol·|ĝ|", rtol: 1e-6 },
    });
  });
  it("check prints one summary line and the worst partial, or everything with --json", async () => {
    // tiny partials here once failed on finite-difference noise alone
    const r = await cli("check", "--layers", "64,32,10", "--examples", "2");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^checked 2,410 of 2,410 partials: max error \d\.\de-\d+, passed$/);
    expect(lines[1]).toMatch(
      /^worst ∂J\/∂theta_\d+_\d+_\d+: derived \S+, numeric \S+; error \S+ ≤ allowed \S+ = atol \S+ .*\+ rtol 1\.0e-6 × \|numeric\|$/,
    );
    const j = JSON.parse((await cli("check", "--layers", "64,32,10", "--examples", "2", "--json")).out);
    expect(j).toMatchObject({
      layers: [64, 32, 10],
      examples: 2,
      form: "delta",
      engine: "matrix",
      passed: true,
      checked: 2410,
      total: 2410,
    });
    expect(Object.keys(j.worst)).toEqual(
      expect.arrayContaining(["param", "derived", "numeric", "error", "allowed", "spread", "passed"]),
    );
    expect(j.worst.error).toBeLessThanOrEqual(j.worst.allowed);
    const failed = await cli("check", "--layers", "2,3,1", "--tolerance", "0", "--atol", "0");
    expect(failed.out.split("\n")[0]).toMatch(
      /^checked 13 of 13 partials: max error \S+, FAILED \(\d+ above the allowed error\)$/,
    );
    expect(failed.out).toMatch(/error \S+ > allowed 0 = atol 0 \+ rtol 0/);
  });
  it("check samples a large network, seeded; --sample n and --all choose how many", async () => {
    const ids = async (...extra: string[]) => {
      const j = JSON.parse((await cli("check", "--layers", "100,60,10", "--json", ...extra)).out);
      expect(j.passed).toBe(true);
      return { j, at: j.parameters.map((p: { index: number }) => p.index) as number[] };
    };
    const byDefault = await ids();
    expect(byDefault.j).toMatchObject({ checked: 1000, total: 6670, sample: { size: 1000, seed: 1 } });
    // every layer's weights and biases are in the sample: all 10 output biases among them
    const outputBiases = byDefault.j.parameters.filter((p: { param: string }) => /^theta_2_\d+_0$/.test(p.param));
    expect(outputBiases).toHaveLength(10);
    expect((await ids()).at).toEqual(byDefault.at);
    expect((await ids("--seed", "2")).at).not.toEqual(byDefault.at);
    expect((await ids("--sample", "50")).j).toMatchObject({ checked: 50, sample: { size: 50, seed: 1 } });
    expect((await ids("--all")).j).toMatchObject({ checked: 6670, sample: null });
    const human = await cli("check", "--layers", "100,60,10");
    expect(human.out.split("\n")[0]).toMatch(
      /^checked 1,000 of 6,670 partials \(a sample, seed 1; --all checks every one\): max error \S+, passed$/,
    );
  });
  it("check shows progress on stderr only when it is a terminal", async () => {
    let out = "";
    let err = "";
    const sink = (f: (s: string) => void, tty: boolean) =>
      Object.assign(
        new Writable({
          write: (chunk, _enc, cb) => {
            f(String(chunk));
            cb();
          },
        }),
        {
          isTTY: tty,
          columns: 100,
        },
      );
    const code = await run(["check", "--layers", "20,10,3"], {
      stdout: sink((s) => (out += s), false),
      stderr: sink((s) => (err += s), true),
      out: (l) => {
        out += `${l}\n`;
      },
      err: (l) => {
        err += `${l}\n`;
      },
    });
    expect(code).toBe(0);
    expect(err).toContain("checking |");
    expect(err).toContain("/243 partials");
    expect(out).toMatch(/^checked 243 of 243 partials/);
  });
  it("paths: contributions sum to the partial for any seed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1e6 }), async (seed) => {
        const j = JSON.parse(
          (await cli("paths", "--layers", "2,3,2", "--param", "1,1,1", "--seed", String(seed), "--json")).out,
        );
        const sum = j.paths.reduce((s: number, p: { value: number }) => s + p.value, 0);
        expect(Math.abs(sum - j.total)).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.abs(j.total));
        expect(j.paths).toHaveLength(2);
      }),
      { numRuns: 20 },
    );
  });
  // compile: see compile.test.ts
});

describe("help", () => {
  it("lists every verb with an example", async () => {
    const r = await cli("--help");
    for (const v of ["count", "derive", "check", "paths", "compile"]) expect(r.out).toContain(`  ${v}`);
    const d = await cli("derive", "--help");
    expect(d.out).toContain("Examples:");
    expect(d.out).toContain("--param <l,j,k|all>");
    expect((await cli("--version")).out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("manners", () => {
  it("suggests the closest verb, option or name, and takes names in any letter case", async () => {
    const verb = await cli("cuont", "--layers", "2,2");
    expect([verb.code, verb.err]).toEqual([
      2,
      expect.stringMatching(/^chainrule: unknown command "cuont"\. Did you mean "count"\?/),
    ]);
    const option = await cli("train", "--dataset", "xor", "--epoch", "3", "--lr", "1");
    expect(option.err).toBe(
      'chainrule: unknown option "--epoch" for train. Did you mean "--epochs"? (see chainrule train --help)\n',
    );
    const far = await cli("count", "--layers", "2,2", "--zzzzzz");
    expect(far.err).toBe('chainrule: unknown option "--zzzzzz" for count. (see chainrule count --help)\n');
    const help = await cli("help", "cuont");
    expect([help.code, help.err]).toEqual([
      2,
      expect.stringMatching(
        /^chainrule: there is no command "cuont" to show help for\. Did you mean "chainrule help count"\?/,
      ),
    ]);
    expect((await cli("help", "count")).out).toMatch(/^chainrule count — /);
    const relu = await cli(
      "count",
      "--layers",
      "2,3,2",
      "--activation",
      "ReLU,Softmax",
      "--cost",
      "Cross-Entropy",
      "--json",
    );
    expect(relu.code, relu.err).toBe(0);
    expect(JSON.parse(relu.out)).toMatchObject({ parameters: 17 });
  });
});
