/** perGraph: one value per graph object, computed once; nothing cached when computing throws. */
import { describe, expect, it } from "vitest";
import { ArgumentError, type Graph, GraphError, layered, perGraph } from "../src/index.js";

describe("perGraph", () => {
  it("computes once per graph object and keeps graphs apart", () => {
    let calls = 0;
    const count = perGraph((g: Graph) => {
      calls++;
      return Object.keys(g.nodes).length;
    });
    const a = layered({ sizes: [2, 2, 2] });
    const b = layered({ sizes: [2, 3] });
    expect([count(a), count(a), count(b), count(a)]).toEqual([count(a), count(a), count(b), count(a)]);
    expect(calls).toBe(2);
    expect(count(a)).not.toBe(count(b));
  });

  it("caches nothing when the computation throws, and refuses what is not a function", () => {
    let calls = 0;
    const failing = perGraph(() => {
      calls++;
      throw new GraphError("invalid-graph", "no");
    });
    const g = layered({ sizes: [1, 1] });
    expect(() => failing(g)).toThrow(GraphError);
    expect(() => failing(g)).toThrow(GraphError);
    expect(calls).toBe(2);
    expect(() => perGraph(null as never)).toThrow(ArgumentError);
  });
});
