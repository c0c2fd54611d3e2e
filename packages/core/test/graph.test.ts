import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildGraph,
  ChainruleError,
  editGraph,
  GraphBuilder,
  type GraphData,
  graphIndex,
  layered,
} from "../src/index.js";

function small() {
  const b = new GraphBuilder();
  const x = b.input("x");
  const y = b.target("y");
  const w = b.param("w");
  const z = b.z("z", [[w, x]]);
  const a = b.activate("a", "sigmoid", z);
  b.cost("mse", [a], [y]);
  return { b, graph: b.build() };
}

function expectCode(f: () => unknown, code: string, text: RegExp) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ChainruleError);
    expect((e as ChainruleError).code).toBe(code);
    expect((e as Error).message).toMatch(text);
    return;
  }
  throw new Error("expected an error");
}

describe("validation: an invalid graph cannot exist", () => {
  it("rejects a cycle, naming its nodes", () => {
    const { graph } = small();
    const data: GraphData = {
      layers: null,
      nodes: { ...graph.nodes, z: { kind: "z", id: "z", terms: [{ param: "w", input: "a" }], bias: null } },
    };
    expectCode(() => buildGraph(data), "cycle", /cycle through .*"z"/);
  });
  it("rejects unknown activations and costs with the known names", () => {
    const b = new GraphBuilder();
    const z = b.z("z", [[b.param("w"), b.input("x")]]);
    expectCode(
      () => b.activate("a", "sigmod" as never, z),
      "unknown-activation",
      /Did you mean "sigmoid"\?.*Known: sigmoid, tanh/,
    );
    const a = b.activate("a", "tanh", z);
    expectCode(
      () => b.cost("hinge" as never, [a], [b.target("y")]),
      "unknown-cost",
      /Known: mse, cross-entropy, binary-cross-entropy/,
    );
  });
  it("rejects a node of another graph", () => {
    const other = new GraphBuilder();
    const foreign = other.input("x");
    const b = new GraphBuilder();
    expectCode(() => b.z("z", [[b.param("w"), foreign]]), "foreign-node", /belongs to another graph/);
  });
  it("rejects dangling inputs and duplicate names", () => {
    const b = new GraphBuilder();
    expectCode(() => b.z("z", [["w", "x"]]), "dangling-input", /No node "w"/);
    b.input("x");
    expectCode(() => b.input("x"), "duplicate-name", /already exists/);
    const { graph } = small();
    const data = {
      layers: null,
      nodes: { ...graph.nodes, a: { kind: "a", id: "a", activation: "sigmoid", z: "nope", group: null } },
    } as GraphData;
    expectCode(() => buildGraph(data), "dangling-input", /there is no node "nope"/);
  });
  it("rejects sizes below 1 and costs over the wrong outputs", () => {
    expectCode(() => layered({ sizes: [2, 0, 1] }), "invalid-size", /Layer 2 has size 0/);
    expectCode(() => layered({ sizes: [2] }), "invalid-size", /at least two layers/);
    expectCode(() => layered({ sizes: [2, 1.5] }), "invalid-size", /whole number/);
    expectCode(
      () => layered({ sizes: [2, 2], activation: "sigmoid", cost: "cross-entropy" }),
      "invalid-graph",
      /cross-entropy needs softmax outputs/,
    );
    expectCode(
      () => layered({ sizes: [2, 2, 2], activation: ["softmax", "softmax"], cost: "cross-entropy" }),
      "invalid-argument",
      /only for the output layer/,
    );
  });
  it("rejects an output, a target or a softmax member listed twice", () => {
    const b = new GraphBuilder();
    const x = b.input("x");
    const z1 = b.z("z1", [[b.param("w1"), x]]);
    const z2 = b.z("z2", [[b.param("w2"), x]]);
    const a1 = b.activate("a1", "tanh", z1);
    const [y1, y2] = [b.target("y1"), b.target("y2")];
    expect(() => {
      const c = new GraphBuilder();
      const cx = c.input("x");
      const cz = c.z("z", [[c.param("w"), cx]]);
      c.softmax(["p1", "p2"], [cz, cz]);
    }).toThrow(/lists a z node twice/);
    b.activate("a2", "tanh", z2);
    b.cost("mse", [a1, a1], [y1, y2]);
    expectCode(() => b.build(), "invalid-graph", /lists "a1" twice/);
  });
  it("rejects a graph without a cost", () => {
    const b = new GraphBuilder();
    b.input("x");
    expectCode(() => b.build(), "invalid-graph", /no cost node/);
  });
});

describe("layered builder", () => {
  it("names everything in the post's notation", () => {
    const g = layered({ sizes: [2, 2, 2], bias: false });
    const ids = graphIndex(g).params;
    expect(ids).toEqual([
      "theta_1_1_1",
      "theta_1_1_2",
      "theta_1_2_1",
      "theta_1_2_2",
      "theta_2_1_1",
      "theta_2_1_2",
      "theta_2_2_1",
      "theta_2_2_2",
    ]);
    expect(g.nodes.theta_1_2_1?.label).toEqual({ layer: 1, j: 2, k: 1 });
    expect(g.nodes.z_3_1).toMatchObject({
      terms: [
        { param: "theta_2_1_1", input: "a_2_1" },
        { param: "theta_2_1_2", input: "a_2_2" },
      ],
      bias: null,
    });
    expect(g.nodes.z_2_1).toMatchObject({ terms: [{ input: "x_1" }, { input: "x_2" }] });
    expect(graphIndex(layered({ sizes: [2, 2, 2] })).params).toContain("theta_2_2_0");
  });
  it("graphs are frozen plain data", () => {
    const g = layered({ sizes: [3, 2] });
    expect(Object.isFrozen(g)).toBe(true);
    expect(Object.isFrozen(g.nodes.z_2_1)).toBe(true);
    expect(JSON.parse(JSON.stringify(g.nodes))).toEqual(g.nodes);
  });
});

describe("immer edits", () => {
  it("keep untouched parts identical and validate the result", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.nat(), (sizes, pick) => {
        const g = layered({ sizes });
        const as = graphIndex(g).as;
        const target = as[pick % as.length]!;
        const next = editGraph(g, (d) => {
          const n = d.nodes[target]!;
          if (n.kind === "a") n.activation = n.activation === "tanh" ? "relu" : "tanh";
        });
        expect(next).not.toBe(g);
        for (const id of Object.keys(g.nodes)) {
          if (id === target) expect(next.nodes[id]).not.toBe(g.nodes[id]);
          else expect(next.nodes[id]).toBe(g.nodes[id]);
        }
        // the node no longer matches its layer's activation: the result is a free-form DAG
        expect(next.layers).toBeNull();
      }),
      { numRuns: 30 },
    );
  });
  it("an edit that breaks validity throws instead of producing a graph", () => {
    const { graph } = small();
    expect(() =>
      editGraph(graph, (d) => {
        const z = d.nodes.z!;
        if (z.kind === "z") z.terms[0]!.input = "a";
      }),
    ).toThrow(/cycle/);
  });
  it("a skip connection added to a layered network makes it a free-form DAG", () => {
    const g = layered({ sizes: [2, 2, 1], bias: false });
    const next = editGraph(g, (d) => {
      d.nodes.skip = { kind: "param", id: "skip", role: "weight" };
      const z = d.nodes.z_3_1!;
      if (z.kind === "z") z.terms.push({ param: "skip", input: "x_1" });
    });
    expect(next.layers).toBeNull();
    expect(g.layers).not.toBeNull();
  });
});

describe("node names are data, never object keys with a meaning", () => {
  it("accepts any string as a node name, __proto__ and constructor included", () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(
            fc.oneof(
              fc.constantFrom("__proto__", "constructor", "valueOf", "toString", "hasOwnProperty"),
              fc.string({ minLength: 1 }),
            ),
            { minLength: 5, maxLength: 5 },
          )
          .filter((ns) => !ns.includes("J")),
        (names) => {
          const [xn, yn, wn, zn, an] = names as [string, string, string, string, string];
          const b = new GraphBuilder();
          const x = b.input(xn);
          const y = b.target(yn);
          const a = b.activate(an, "tanh", b.z(zn, [[b.param(wn), x]]));
          b.cost("mse", [a], [y]);
          const g = b.build();
          expect(Object.keys(g.nodes).sort()).toEqual([...names, "J"].sort());
          expect(Object.getPrototypeOf(g.nodes)).toBe(Object.prototype);
          expect(graphIndex(g).params).toEqual([wn]);
        },
      ),
      { numRuns: 100 },
    );
  });
  it("does not mistake inherited properties for nodes", () => {
    const b = new GraphBuilder();
    expect(() => b.z("z", [["constructor", "toString"]])).toThrow(/No node "constructor"/);
  });
});
