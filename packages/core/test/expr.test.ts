import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  apply,
  dagSize,
  delta,
  type Expr,
  mul,
  neg,
  num,
  ONE,
  partial,
  pow,
  sub,
  sym,
  ZERO,
} from "../src/index.js";

const x = sym({ kind: "x", node: "x_1" });
const t = sym({ kind: "theta", node: "w" });
const a = sym({ kind: "a", node: "a_2_1" });

/** A random expression recipe, built twice to check interning. */
type Recipe =
  | { k: "num"; v: number }
  | { k: "sym"; i: number }
  | { k: "add" | "mul"; c: Recipe[] }
  | { k: "pow"; c: Recipe; e: number }
  | { k: "f"; c: Recipe; o: number }
  | { k: "d"; i: number };
const recipe: fc.Arbitrary<Recipe> = fc.letrec<{ r: Recipe }>((tie) => ({
  r: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ k: fc.constant("num" as const), v: fc.integer({ min: -3, max: 3 }) }),
    fc.record({ k: fc.constant("sym" as const), i: fc.nat({ max: 3 }) }),
    fc.record({ k: fc.constant("d" as const), i: fc.nat({ max: 2 }) }),
    fc.record({
      k: fc.constantFrom("add" as const, "mul" as const),
      c: fc.array(tie("r"), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ k: fc.constant("pow" as const), c: tie("r"), e: fc.constantFrom(-1, 2, 3) }),
    fc.record({ k: fc.constant("f" as const), c: tie("r"), o: fc.nat({ max: 2 }) }),
  ),
})).r;
const syms = [x, t, a, sym({ kind: "m" })];
function build(r: Recipe): Expr {
  switch (r.k) {
    case "num":
      return num(r.v);
    case "sym":
      return syms[r.i]!;
    case "d":
      return delta(`z_${r.i}`);
    case "add":
      return add(...r.c.map(build));
    case "mul":
      return mul(...r.c.map(build));
    case "pow":
      return pow(build(r.c), r.e);
    case "f":
      return apply("tanh", build(r.c), r.o);
  }
}

describe("interning", () => {
  it("building the same expression twice returns the same object", () => {
    fc.assert(
      fc.property(recipe, (r) => {
        const first = build(r);
        const second = build(r);
        return first === second;
      }),
    );
  });
  it("structurally different expressions are different objects", () => {
    expect(add(x, t)).not.toBe(add(t, x)); // caller's order is kept
    expect(mul(x, t)).not.toBe(add(x, t));
    expect(partial(a, t)).not.toBe(partial(t, a));
  });
  it("nodes are frozen", () => {
    expect(Object.isFrozen(add(x, t))).toBe(true);
  });
});

describe("light simplification", () => {
  it("folds constants and applies 0/1 identities", () => {
    expect(add(x, ZERO)).toBe(x);
    expect(mul(x, ONE)).toBe(x);
    expect(mul(x, ZERO)).toBe(ZERO);
    expect(add(num(2), num(3))).toBe(num(5));
    expect(mul(num(2), x, num(3))).toBe(mul(num(6), x));
    expect(pow(x, 1)).toBe(x);
    expect(pow(x, 0)).toBe(ONE);
    expect(pow(pow(x, 2), 3)).toBe(pow(x, 6));
    expect(sub(x, x)).not.toBe(ZERO); // light: no collecting of like terms
  });
  it("flattens nested sums and products", () => {
    const e = add(add(x, t), add(a, x));
    expect(e.kind === "add" && e.terms).toEqual([x, t, a, x]);
    const p = mul(mul(x, t), mul(a));
    expect(p.kind === "mul" && p.factors).toEqual([x, t, a]);
  });
  it("keeps a constant where the first constant stood (1 − a stays 1 − a)", () => {
    const e = sub(ONE, a);
    expect(e.kind === "add" && e.terms[0]).toBe(ONE);
  });
  it("never dissolves a named δ", () => {
    const d = delta("z_3_1");
    const e = mul(d, add(x, ZERO), ONE);
    expect(e.kind === "mul" && e.factors).toEqual([d, x]);
    expect(mul(d, d)).not.toBe(d);
  });
  it("folds functions of constants and derivative orders that vanish", () => {
    expect(apply("tanh", ZERO)).toBe(ZERO);
    expect(apply("relu", x, 2)).toBe(ZERO);
    expect(apply("sigmoid", ZERO)).toBe(num(0.5));
  });
  it("counts distinct nodes of a DAG once", () => {
    const shared = add(x, t);
    expect(dagSize([mul(shared, shared)])).toBe(4); // x, t, x+t, (x+t)(x+t)
    expect(neg(x)).toBe(mul(num(-1), x));
  });
});
