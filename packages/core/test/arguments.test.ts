/**
 * Bad arguments get core's typed errors, and messages quote input short: the probes of the
 * reliability report (unknown parameter ids, null nodes and terms, an activation that is a number,
 * a graph too large to build, names that are Object's own members) and the quoting helpers.
 */
import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  activation,
  buildGraph,
  type ChainruleError,
  chainForm,
  cost,
  GraphBuilder,
  type GraphData,
  GraphError,
  layered,
  lookup,
  paths,
  quote,
  secondDerivative,
  show,
  sym,
  TooLargeError,
  UnknownNameError,
} from "../src/index.js";

const post = layered({ sizes: [2, 2, 2], bias: false });

/** The error `f` throws (a test failure when it throws nothing). */
function thrown(f: () => unknown): Error {
  try {
    const r = f();
    if (typeof r === "object" && r !== null && Symbol.iterator in r) [...(r as Iterable<unknown>)];
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("quoting user input in messages", () => {
  it("quotes at most 80 characters, escaped, with the full length", () => {
    expect(quote("abc")).toBe('"abc"');
    expect(quote('a\nb\r\u0000\u001b"\\')).toBe('"a\\nb\\r\\u0000\\u001b\\"\\\\"');
    const q = quote("x".repeat(5_000_000));
    expect(q).toBe(`"${"x".repeat(80)}…" (5,000,000 characters)`);
    // a surrogate pair is never split
    expect(quote(`${"x".repeat(79)}😀tail`)).toMatch(/^"x{79}…"/);
  });
  it("shows any value short: numbers as themselves, lists cut", () => {
    expect(show([2, Infinity, 1])).toBe("[2, Infinity, 1]");
    expect(show(NaN)).toBe("NaN");
    expect(show(-0)).toBe("-0");
    expect(show(Object.create(null))).toBe("{}");
    expect(show(Symbol("s"))).toBe('"s"');
    expect(show(Array.from({ length: 1e6 }, (_, i) => i)).length).toBeLessThanOrEqual(81);
    expect(show({ a: "y".repeat(1e6) }).length).toBeLessThanOrEqual(81);
  });
  it("unknown names are quoted short with a suggestion", () => {
    const e = thrown(() => activation(`${"q".repeat(5_000_000)}\n`));
    expect(e).toBeInstanceOf(UnknownNameError);
    expect(e.message.length).toBeLessThan(300);
    expect(e.message).not.toContain("\n");
    expect(thrown(() => activation("Sigmoid")).message).toMatch(/Did you mean "sigmoid"\?/);
    expect(thrown(() => cost(2 as unknown as string)).message).toMatch(/Unknown cost 2 \(a name is text\)/);
  });
});

describe("name tables are looked up by own names only", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"])("%s is an unknown name", (name) => {
    expect(thrown(() => activation(name))).toBeInstanceOf(UnknownNameError);
    expect(thrown(() => cost(name))).toBeInstanceOf(UnknownNameError);
    expect(thrown(() => lookup({ a: 1 }, name, "thing"))).toBeInstanceOf(UnknownNameError);
    expect(thrown(() => layered({ sizes: [2, 2], activation: name }))).toBeInstanceOf(UnknownNameError);
  });
});

describe("unknown ids are ArgumentErrors, not TypeErrors from inside", () => {
  it("chainForm and paths with an unknown parameter", () => {
    const e = thrown(() => chainForm(post, "theta_1_1_3"));
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as ChainruleError).code).toBe("unknown-parameter");
    expect(e.message).toMatch(
      /There is no parameter "theta_1_1_3" in this graph. Did you mean "theta_1_1_1"\? Parameters: theta_1_1_1, /,
    );
    expect(thrown(() => paths(post, "nope"))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => chainForm(post, "z_2_1")).message).toMatch(/"z_2_1" is a z node/);
    expect(thrown(() => secondDerivative(post, "theta_1_1_1", "__proto__"))).toBeInstanceOf(ArgumentError);
  });
  it("paramId with non-numbers", () => {
    expect(thrown(() => chainForm(post, null as unknown as string))).toBeInstanceOf(ArgumentError);
  });
});

describe("buildGraph and the builder reject malformed data with GraphErrors", () => {
  const nodes = post.nodes;
  const cases: [string, GraphData][] = [
    ["a null node", { nodes: { ...nodes, x_1: null as never }, layers: null }],
    [
      "a null term",
      { nodes: { ...nodes, z_2_1: { kind: "z", id: "z_2_1", terms: [null as never], bias: null } }, layers: null },
    ],
    [
      "outputs that are not a list",
      { nodes: { ...nodes, J: { ...(nodes.J as object), outputs: "a_3_1" } as never }, layers: null },
    ],
    [
      "targets that are not a list",
      { nodes: { ...nodes, J: { ...(nodes.J as object), targets: null } as never }, layers: null },
    ],
    [
      "layers that do not match the nodes",
      { nodes: { ...nodes }, layers: { sizes: [2, 3, 2], activations: ["sigmoid", "sigmoid"], bias: false } },
    ],
    ["layers left undefined", { nodes: { ...nodes }, layers: undefined as never }],
  ];
  it.each(cases)("%s", (_what, data) => {
    const e = thrown(() => buildGraph(data));
    expect(e).toBeInstanceOf(GraphError);
    expect(e.message).not.toContain("\n");
  });
  it("the builder rejects null references and non-list terms", () => {
    const b = new GraphBuilder();
    const x = b.input("x");
    expect(thrown(() => b.z("z", [[null as never, x]]))).toBeInstanceOf(GraphError);
    expect(thrown(() => b.z("z", null as never))).toBeInstanceOf(GraphError);
    expect(thrown(() => b.cost("mse", "a" as never, []))).toBeInstanceOf(GraphError);
  });
});

describe("layer specs of the wrong type, and sizes too large", () => {
  it("an activation that is a number", () => {
    const e = thrown(() => layered({ sizes: [2, 2], activation: 2 as never }));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/The activation is a name such as "sigmoid".*got a number 2/);
  });
  it("a size of 1e309 is shown as Infinity, not null", () => {
    // biome-ignore lint/correctness/noPrecisionLoss: the overflowing literal (it parses to Infinity) is what this test is about
    expect(thrown(() => layered({ sizes: [2, 1e309, 1] })).message).toMatch(
      /Layer 2 has size Infinity \(a number too large for a 64-bit float\)/,
    );
  });
  it("a graph of 10^10 parameters is a TooLargeError, from the count, before anything is built", () => {
    // building it would run out of memory long before it finished: the typed error can only come from the count
    const e = thrown(() => layered({ sizes: [100_000, 100_000] })) as ChainruleError;
    expect(e).toBeInstanceOf(TooLargeError);
    expect(e.code).toBe("too-large");
    expect(e.value).toBe(10_000_100_000);
    expect(e.message).toMatch(/A 100000-100000 network has 10000100000 parameters; its graph .* is limited to 2000000/);
  });
  it("a spec that is not an object", () => {
    expect(thrown(() => layered(null as never))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => layered({ sizes: [2, 2], bias: "yes" as never }))).toBeInstanceOf(ArgumentError);
  });
  it("a symbol whose ref is not one", () => {
    expect(thrown(() => sym(null as never))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => sym({ kind: "z" } as never))).toBeInstanceOf(ArgumentError);
  });
});
