/**
 * Every LaTeX string the library prints parses with KaTeX in strict mode (LaTeX-incompatible
 * input is an error), for random graphs — DAGs with skip connections and tied weights, layered
 * networks of every activation and cost — in every notation and every form.
 */

import { parameterIds } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { dagCase, layeredCase } from "../../core/test/arbitraries.js";
import { alignedBlock, derivation, fragmentRows, mathOf, NOTATIONS, networkTikz } from "../src/index.js";
import { parseStrict } from "./helpers.js";

const notations = fc.constantFrom(...NOTATIONS);
const forms = fc.constantFrom("chain" as const, "local" as const, "delta" as const);

describe("LaTeX fragments of random graphs parse", () => {
  for (const [name, arb] of [
    ["DAGs", dagCase],
    ["layered networks", layeredCase],
  ] as const) {
    it(`for ${name}, every form and notation`, () => {
      fc.assert(
        fc.property(arb, notations, forms, ({ graph }, notation, form) => {
          const params = parameterIds(graph);
          const rows = fragmentRows(graph, params, form, { notation, maxPaths: 6 });
          expect(rows.length).toBeGreaterThanOrEqual(params.length);
          parseStrict(alignedBlock(rows));
        }),
        { numRuns: runs(40) },
      );
    });
  }
});

describe("derivation documents of random graphs parse", () => {
  for (const [name, arb] of [
    ["DAGs", dagCase],
    ["layered networks", layeredCase],
  ] as const) {
    it(`for ${name}, with and without a worked example`, () => {
      fc.assert(
        fc.property(
          arb,
          notations,
          fc.boolean(),
          fc.boolean(),
          ({ graph, theta, data }, notation, withValues, full) => {
            const doc = derivation(graph, {
              notation,
              full,
              diagram: false,
              ...(withValues ? { values: { theta, data } } : {}),
            });
            const math = mathOf(doc);
            expect(math.length).toBeGreaterThan(10);
            for (const m of math) parseStrict(m);
          },
        ),
        { numRuns: runs(15) },
      );
    });
  }
  it("including the TikZ labels of the diagram", () => {
    fc.assert(
      fc.property(fc.oneof(dagCase, layeredCase), notations, ({ graph }, notation) => {
        const tikz = networkTikz(graph, { notation, param: parameterIds(graph)[0]! });
        const labels = [...tikz.matchAll(/\\selectfont\$(.*?)\$\}\};/g)];
        expect(labels.length).toBeGreaterThan(3);
        for (const [, m] of labels) parseStrict(m!, false);
      }),
      { numRuns: runs(40) },
    );
  });
});
