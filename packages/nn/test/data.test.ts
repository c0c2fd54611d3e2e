/** CSV data, the built-in datasets and the default network of a task. */

import { layered } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  builtinDataset,
  classifierOutput,
  DATASETS,
  DataError,
  defaultNetworkSpec,
  formatCsv,
  isClassification,
  Network,
  OptionError,
  parseCsv,
  parseCsvShape,
  splitCsvLine,
} from "../src/index.js";

const graph = (n: number, k: number) => layered({ sizes: [n, 2, k] });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

describe("CSV", () => {
  it("formatCsv → parseCsv gives back every number exactly", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(finite, { minLength: 70, maxLength: 70 }),
        (n, k, m, vals) => {
          const x = Float64Array.from(vals.slice(0, n * m));
          const y = Float64Array.from(vals.slice(30, 30 + k * m));
          const d = parseCsv(formatCsv({ m, x, y }, n, k), graph(n, k), "t.csv");
          expect(d.m).toBe(m);
          expect(d.x).toEqual(x);
          expect(d.y).toEqual(y);
          expect(d.targets).toBe("values");
        },
      ),
    );
  });

  it("labels are one-hot encoded (one output: the label itself), by number or by class name", () => {
    const d = parseCsv("x1,x2,label\n0.5,1,2\n1,2,0\n", graph(2, 3));
    expect(Array.from(d.y)).toEqual([0, 0, 1, 1, 0, 0]);
    expect(d.targets).toBe("labels");
    const named = parseCsv("x1,x2,label\n1,1,virginica\n2,2,setosa\n", graph(2, 3), "iris.csv", {
      classes: ["setosa", "versicolor", "virginica"],
    });
    expect(Array.from(named.y)).toEqual([0, 0, 1, 1, 0, 0]);
    const binary = parseCsv("x1,x2,label\r\n1,1,1\r\n2,2,0\r\n\r\n", graph(2, 1));
    expect(Array.from(binary.y)).toEqual([1, 0]);
    expect(isClassification(binary.y, 2, 1)).toBe(true);
  });

  it("a non-numeric cell is reported with its line and column", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom("abc", "", "1.2.3", "1e", "--1", "0x10", "NaN", "Infinity"),
        (row, col, bad) => {
          const lines = ["x1,x2,y1", "1,2,3", "4,5,6", "7,8,9", "1,1,1", "2,2,2"];
          const cells = lines[row]!.split(",");
          cells[col] = bad;
          lines[row] = cells.join(",");
          let err: unknown = null;
          try {
            parseCsv(lines.join("\n"), graph(2, 1), "d.csv");
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(DataError);
          const d = err as DataError;
          expect(d.position).toEqual({ line: row + 1, column: col + 1 });
          expect(d.message).toContain(
            `d.csv line ${row + 1}, column ${col + 1}: "${bad}" in column ${["x1", "x2", "y1"][col]} is not a number`,
          );
        },
      ),
    );
  });

  it("rejects a header that does not fit the network, ragged rows, unknown labels and empty files", () => {
    expect(() => parseCsv("a,b,c\n1,2,3", graph(2, 1), "d.csv")).toThrow(
      /d.csv line 1, column 1: The header is "a,b,c"; a network with 2 inputs and 1 outputs needs "x1,x2,y1" or "x1,x2,label"/,
    );
    expect(() => parseCsv("x1,x2,y1\n1,2", graph(2, 1), "d.csv")).toThrow(
      /line 2, column 2: Expected 3 cells like the header, found 2/,
    );
    expect(() => parseCsv("x1,x2,label\n1,2,7", graph(2, 3), "d.csv")).toThrow(
      /line 2, column 3: The label "7" is not a class: use a whole number 0…2/,
    );
    expect(() => parseCsv("", graph(2, 1), "d.csv")).toThrow(/d.csv: The file is empty/);
    expect(() => parseCsv("x1,x2,y1\n", graph(2, 1), "d.csv")).toThrow(/no examples after the header/);
    expect(() => parseCsv("x1,x2\n1,2", graph(2, 1), "d.csv")).toThrow(DataError);
  });

  it("inputs without targets are accepted where targets are optional", () => {
    const d = parseCsvShape("x1,x2\n1,2\n3,4\n", 2, 1, "p.csv", { targetsOptional: true });
    expect(d.targets).toBe("none");
    expect(Array.from(d.x)).toEqual([1, 2, 3, 4]);
  });
});

describe("the default network of a task", () => {
  it("ends in a sigmoid under binary cross-entropy for two classes, a softmax under cross-entropy for more, and builds", () => {
    for (const name of DATASETS) {
      const data = builtinDataset(name);
      const spec = defaultNetworkSpec(data);
      const two = data.outputs === 1;
      expect(spec).toEqual({
        sizes: [data.inputs, 8, data.outputs],
        activation: ["tanh", two ? "sigmoid" : "softmax"],
        cost: two ? "binary-cross-entropy" : "cross-entropy",
      });
      expect(Network.create(spec).spec.cost).toBe(classifierOutput(data.outputs).cost);
    }
    expect(defaultNetworkSpec({ inputs: 2, outputs: 3 }, [4, 4], "relu").activation).toEqual([
      "relu",
      "relu",
      "softmax",
    ]);
    expect(() => classifierOutput(0)).toThrow(OptionError);
  });
});

describe("built-in datasets", () => {
  it("are reproducible from their seed and differ between seeds", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("moons", "circles", "spirals"),
        fc.nat({ max: 1000 }),
        fc.integer({ min: 6, max: 80 }),
        (name, seed, size) => {
          const a = builtinDataset(name, { seed, size });
          const b = builtinDataset(name, { seed, size });
          const c = builtinDataset(name, { seed: seed + 1, size });
          expect(a.x).toEqual(b.x);
          expect(a.y).toEqual(b.y);
          expect(a.x).not.toEqual(c.x);
          expect(a.m).toBe(size);
          expect(a.x.length).toBe(size * a.inputs);
          expect(isClassification(a.y, a.m, a.outputs)).toBe(true);
        },
      ),
    );
  });

  it("the logic gates are their truth tables", () => {
    const gate = {
      xor: (a: number, b: number) => a ^ b,
      and: (a: number, b: number) => a & b,
      or: (a: number, b: number) => a | b,
    };
    for (const [name, f] of Object.entries(gate)) {
      const d = builtinDataset(name);
      for (let e = 0; e < 4; e++) expect(d.y[e]).toBe(f(d.x[2 * e]!, d.x[2 * e + 1]!));
    }
  });

  it("iris: 150 flowers, 50 per species, with the published species means", () => {
    const d = builtinDataset("iris");
    expect([d.m, d.inputs, d.outputs]).toEqual([150, 4, 3]);
    expect(d.classes).toEqual(["setosa", "versicolor", "virginica"]);
    // Fisher's per-species means (cm): sepal length, sepal width, petal length, petal width
    const means = [
      [5.006, 3.428, 1.462, 0.246],
      [5.936, 2.77, 4.26, 1.326],
      [6.588, 2.974, 5.552, 2.026],
    ];
    for (let c = 0; c < 3; c++) {
      const rows = Array.from({ length: 150 }, (_, e) => e).filter((e) => d.y[e * 3 + c] === 1);
      expect(rows).toHaveLength(50);
      for (let f = 0; f < 4; f++)
        expect(rows.reduce((s, e) => s + d.x[e * 4 + f]!, 0) / 50).toBeCloseTo(means[c]![f]!, 10);
    }
  });

  it("names the datasets it knows when asked for another", () => {
    expect(() => builtinDataset("mnist")).toThrow(`Unknown dataset "mnist". Known: ${DATASETS.join(", ")}.`);
    expect(() => builtinDataset("irsi")).toThrow(/Did you mean "iris"\?/);
  });
});

describe("quoted CSV cells", () => {
  it("keep commas and doubled quotes inside quotes, and split like a plain line otherwise", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (cells) => {
        const line = cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(",");
        expect(splitCsvLine(line)).toEqual(cells);
        const plain = cells.filter((c) => !/[",]/.test(c));
        if (plain.length > 0) expect(splitCsvLine(plain.join(","))).toEqual(plain);
      }),
    );
  });
  it("reads string labels in quotes", () => {
    const g = layered({ sizes: [2, 2, 2], activation: ["sigmoid", "softmax"], cost: "cross-entropy" });
    const d = parseCsv('x1,x2,label\n1,2,"setosa, small"\n3,4,"vir""ginica"\n', g, "quoted.csv", {
      classes: ["setosa, small", 'vir"ginica'],
    });
    expect(Array.from(d.y)).toEqual([1, 0, 0, 1]);
  });
});
