/** lowerFunctions: each rewrite of f⁽ⁿ⁾ is the function table's f⁽ⁿ⁾, and what it leaves are the PRIMITIVES. */
import {
  apply,
  evaluateWith,
  type FnName,
  FUNCTIONS,
  lowerFunctions,
  PRIMITIVES,
  postorder,
  sym,
} from "@chainrule/core";
import fc from "fast-check";
import { expect, test } from "vitest";
import { runs } from "../../../test-support/properties.js";

const x = sym({ kind: "x", node: "x1" });
const NAMES = Object.keys(FUNCTIONS) as FnName[];

test("every lowered f⁽ⁿ⁾ (orders 0 and 1) equals the function table's value", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...NAMES.filter((n) => n !== "log")),
      fc.constantFrom(0, 1),
      fc.double({ min: -30, max: 30, noNaN: true }),
      (fn, order, v) => {
        const lowered = lowerFunctions(apply(fn, x, order));
        const got = evaluateWith(lowered, () => v);
        const want = FUNCTIONS[fn].value(order, v);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want)));
      },
    ),
    { numRuns: runs(400) },
  );
});

test("a lowered expression applies only the primitives", () => {
  for (const fn of NAMES)
    for (const order of [0, 1]) {
      postorder([lowerFunctions(apply(fn, x, order))], (e) => {
        if (e.kind === "apply") expect(PRIMITIVES).toContain(`${e.fn}:${e.order}`);
      });
    }
});
