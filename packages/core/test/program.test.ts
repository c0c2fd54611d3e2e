import fc from "fast-check";
import { all, create } from "mathjs";
import { describe, expect, it } from "vitest";
import {
  ELEMENTWISE_ACTIVATIONS,
  gradientValues,
  graphIndex,
  layered,
  namesOf,
  nodeSym,
  type ProgramForm,
  parameterIds,
  Random,
  textProgram,
} from "../src/index.js";
import { dagCase, layeredCase } from "./arbitraries.js";
import { maxRelDiff } from "./helpers.js";

const math = create(all!, { number: "number" });

/** Runs a text program line by line with mathjs, one example (m = 1). */
function runWithMathjs(lines: readonly string[], scope: Map<string, number>): Map<string, number> {
  for (const line of lines) {
    expect(line).toMatch(/^[A-Za-z_][A-Za-z0-9_]* = [A-Za-z0-9_.+\-*/^(), ]+$/);
    math.evaluate(line, scope);
  }
  return scope;
}

/** Deep layered networks (4–5 layers) of any element-wise activation, where δs reach back through several layers. */
const deepCase = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 5 }),
    bias: fc.boolean(),
    activation: fc.constantFrom(...ELEMENTWISE_ACTIVATIONS),
    seed: fc.nat(),
  })
  .map(({ sizes, bias, activation, seed }) => {
    const graph = layered({ sizes, bias, activation });
    const random = new Random(seed);
    const rnd = () => random.uniform(-1, 1);
    const theta = Float64Array.from(parameterIds(graph), rnd);
    const data = {
      m: 1,
      x: Float64Array.from({ length: sizes[0]! }, rnd),
      y: Float64Array.from({ length: sizes.at(-1)! }, rnd),
    };
    return { graph, theta, data };
  });

function check(form: ProgramForm) {
  return fc.property(
    fc.oneof(dagCase, layeredCase, deepCase),
    fc.infiniteStream(fc.boolean()),
    ({ graph, theta, data }, picks) => {
      const idx = graphIndex(graph);
      const names = namesOf(graph);
      const one = { m: 1, x: data.x.subarray(0, idx.inputs.length), y: data.y.subarray(0, idx.targets.length) };
      const scope = new Map<string, number>([
        ["m", 1],
        ["lambda", idx.cost.l2],
      ]);
      idx.params.forEach((p, i) => {
        scope.set(names.sym(nodeSym(graph.nodes[p]!)), theta[i]!);
      });
      idx.inputs.forEach((p, i) => {
        scope.set(names.sym(nodeSym(graph.nodes[p]!)), one.x[i]!);
      });
      idx.targets.forEach((p, i) => {
        scope.set(names.sym(nodeSym(graph.nodes[p]!)), one.y[i]!);
      });
      // a random non-empty subset of the partials: each program must define everything it uses
      const all = parameterIds(graph);
      const chosen = all.filter(() => picks.next().value);
      const params = chosen.length > 0 ? chosen : [all[all.length - 1]!];
      const prog = textProgram(graph, params, form);
      const out = runWithMathjs(prog.lines, scope);
      const got = params.map((p) => out.get(prog.outputs.get(p)!)!);
      const want = gradientValues(graph, theta, one);
      expect(
        maxRelDiff(
          got,
          params.map((p) => want[all.indexOf(p)]!),
          1e-6,
        ),
      ).toBeLessThan(1e-9);
    },
  );
}

describe("text program", () => {
  it("δ form evaluates in mathjs to the library's gradients", () => fc.assert(check("delta"), { numRuns: 80 }));
  it("local form evaluates in mathjs to the library's gradients", () => fc.assert(check("local"), { numRuns: 40 }));
  it("chain form (named partials) evaluates in mathjs to the library's gradients", () =>
    fc.assert(check("chain"), { numRuns: 40 }));

  it("reads like the post for θ⁽²⁾₁₂ of the 2-2-2 network", () => {
    const g = layered({ sizes: [2, 2, 2], bias: false });
    expect(textProgram(g, ["theta_2_1_2"], "delta").lines.slice(-2)).toEqual([
      "delta_3_1 = (1/m)*(a_3_1 - y_1)*a_3_1*(1 - a_3_1)",
      "dJ_dtheta_2_1_2 = delta_3_1*a_2_2",
    ]);
    expect(textProgram(g, ["theta_1_1_1"], "chain").lines.at(-1)).toBe(
      "dJ_dtheta_1_1_1 = dJ_da_3_1*da_3_1_dz_3_1*dz_3_1_da_2_1*da_2_1_dz_2_1*dz_2_1_dtheta_1_1_1 + dJ_da_3_2*da_3_2_dz_3_2*dz_3_2_da_2_1*da_2_1_dz_2_1*dz_2_1_dtheta_1_1_1",
    );
  });
});
