/**
 * Regression tests for the probes of the reliability report on nn: files that are not CSV (one
 * huge line, one huge cell, carriage returns only, binary bytes), model files with a byte-order
 * mark, NaN literals, 1e309 and optimizer settings out of range, shapes that do not fit, and a
 * network too large to allocate. Each fails before reading or allocating it all, as a typed error
 * of one short line.
 */
import { mkdtempSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChainruleError, layered, TooLargeError } from "@chainrule/core";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  builtinDataset,
  CSV_MAX_CELL,
  CSV_MAX_LINE,
  DataError,
  formatModel,
  ModelFileError,
  Network,
  parseCsv,
  parseCsvShape,
  parseModel,
  splitCsvLine,
  train,
} from "../src/index.js";
import { readCsvShape, readModelFile } from "../src/node.js";

// file reads, watched: how much of a file was read
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  return { ...fs, readSync: vi.fn(fs.readSync) };
});
/** The bytes read by readSync since the last call. */
function bytesRead(): number {
  const r = vi.mocked(readSync).mock.results.reduce((n, x) => n + (x.type === "return" ? (x.value as number) : 0), 0);
  vi.mocked(readSync).mockClear();
  return r;
}

const dir = mkdtempSync(join(tmpdir(), "chainrule-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

/** The error `f` throws, checked to be a one-line ChainruleError of at most 400 characters. */
function error(f: () => unknown): ChainruleError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ChainruleError);
    const m = (e as Error).message;
    expect(m.length).toBeLessThanOrEqual(400);
    // eslint-disable-next-line no-control-regex
    expect(m).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    return e as ChainruleError;
  }
  throw new Error("expected an error");
}

describe("CSV that is not CSV fails fast, with a short message", () => {
  it("a 12 MB file with no commas or line breaks stops at the line limit, reading a few chunks", () => {
    const p = file("one-line.csv", "7".repeat(12 * 2 ** 20));
    bytesRead();
    const e = error(() => readCsvShape(p, 2, 1));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe(
      `${p} line 1, column ${CSV_MAX_LINE + 1}: Line 1 is longer than ${CSV_MAX_LINE} characters, the limit for one line: this does not look like CSV (one example per line, cells separated by commas).`,
    );
    // the line limit and a little more was read, not the whole file
    const read = bytesRead();
    expect(read).toBeGreaterThan(CSV_MAX_LINE);
    expect(read).toBeLessThan(2 * CSV_MAX_LINE);
  });
  it("a 2 MB cell is refused without echoing it", () => {
    const e = error(() => parseCsvShape(`x1,x2,y1\n1,${"9".repeat(2_000_000)},3\n`, 2, 1, "d.csv"));
    expect(e.message).toMatch(
      new RegExp(`^d.csv line 2, column 2: Cell 2 is far longer than ${CSV_MAX_CELL} characters`),
    );
    expect(error(() => splitCsvLine(`"${"q".repeat(2000)}"`)).message).toMatch(/Cell 1 is longer than 1024 characters/);
  });
  it("lone carriage returns end lines: a CR-only file reads, and a CR-only garbage file fails on its first line", () => {
    const good = parseCsvShape("x1,x2,y1\r1,2,3\r4,5,6\r", 2, 1);
    expect(Array.from(good.x)).toEqual([1, 2, 4, 5]);
    const p = file("cr.csv", `${"a".repeat(100)}${"\r".repeat(5_000_000)}`);
    const e = error(() => readCsvShape(p, 2, 1));
    expect(e.message).toMatch(/line 1, column 1: The header is "a{80}…" \(100 characters\)/);
  });
  it("binary bytes are quoted escaped", () => {
    const p = file(
      "bin.csv",
      Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256).filter((b) => b !== 10 && b !== 13 && b !== 44),
    );
    error(() => readCsvShape(p, 2, 1));
    const e = error(() => parseCsvShape("x1,x2,y1\n\u0000\u001b[2J,1,1\n", 2, 1, "d.csv"));
    expect(e.message).toBe('d.csv line 2, column 1: "\\u0000\\u001b[2J" in column x1 is not a number.');
  });
  it("an unclosed quote is an error, not a cell that swallows the line", () => {
    expect(error(() => parseCsvShape('x1,x2,y1\n"1,2,3\n', 2, 1, "d.csv")).message).toMatch(
      /line 2, column 1: The quote that opens cell 1 is not closed/,
    );
  });
  it("a header of another shape says what the data has and what the model expects", () => {
    const g = layered({ sizes: [2, 2, 1] });
    expect(error(() => parseCsv("x1,x2,x3,y1\n1,2,3,4\n", g, "d.csv")).message).toBe(
      'd.csv line 1, column 1: the data has 3 columns of inputs (x1…x3), the model expects 2. A network with 2 inputs and 1 output reads "x1,x2,y1" or "x1,x2,label".',
    );
    expect(error(() => parseCsv("x1,x2,y1,y2\n1,2,3,4\n", g, "d.csv")).message).toMatch(
      /the data has 2 columns of targets \(y1…y2\), the model has 1 output/,
    );
    // wide networks name the pattern of the header, not all its columns
    expect(error(() => parseCsvShape("a\n1\n", 784, 10, "d.csv")).message).toMatch(
      /needs "x1,x2,…,x784,y1,y2,…,y10" or "x1,x2,…,x784,label"/,
    );
  });
  it("a built-in dataset of another shape names its own shape", () => {
    const net = Network.create({ sizes: [2, 3, 2] });
    expect(error(() => train(net, builtinDataset("iris"), { epochs: 1, learningRate: 0.1 })).message).toBe(
      "iris: the data has 4 inputs per example, the model expects 2; the data has 3 targets per example, the model has 2 outputs (a 2-3-2 network). Use data of the model's shape, or a network whose first and last layers fit the data.",
    );
  });
});

describe("model files", () => {
  const model = formatModel({ network: Network.fromParameters({ sizes: [2, 1] }, [0.5, 1, 2]) });
  it("a UTF-8 byte-order mark is accepted, as the CSV reader accepts it", () => {
    expect(parseModel(`\ufeff${model}`, "m.json").network.parameters()).toEqual(Float64Array.from([0.5, 1, 2]));
    const p = file("bom.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(model)]));
    expect(readModelFile(p).network.parameterCount).toBe(3);
  });
  it("NaN and Infinity literals are reported with their line and column, on one line", () => {
    expect(error(() => parseModel('{"layers": [2, 1],\n "weights": [[[NaN, 1]]]}', "m.json")).message).toBe(
      "m.json: not valid JSON (line 2, column 16: NaN is not a JSON number: JSON holds finite numbers only). Fix the syntax, e.g. a missing comma or bracket.",
    );
    expect(error(() => parseModel('{"layers": [2, 1], "weights": [[[1, -Infinity]]]}', "m.json")).message).toMatch(
      /line 1, column 37: -Infinity is not a JSON number/,
    );
    expect(error(() => parseModel('{"a": 1,}', "m.json")).message).toMatch(
      /line 1, column 9: a property is missing before \}/,
    );
    expect(error(() => parseModel('{"a": "x\ny"}', "m.json")).message).toMatch(
      /line 1, column 9: a string holds a raw control character/,
    );
  });
  it("1e309 is named as the number it became, not null", () => {
    expect(error(() => parseModel('{"layers": [2, 1e309, 1], "weights": []}', "m.json")).message).toBe(
      'm.json: "layers" must list at least two whole numbers ≥ 1 (neurons per layer, input first), e.g. [2, 2, 2]; got [2, Infinity, 1]; layers[1] is Infinity (a number too large for a 64-bit float).',
    );
  });
  it("saved optimizer settings out of range name the file", () => {
    const doc = JSON.parse(model) as Record<string, unknown>;
    doc.training = {
      epochs: 3,
      optimizer: { name: "momentum", settings: { momentum: 7 }, t: 0, vectors: { v: [0, 0, 0] } },
      random: [1, 2, 3, 4],
    };
    const e = error(() => parseModel(JSON.stringify(doc), "run.json"));
    expect(e).toBeInstanceOf(ModelFileError);
    expect(e.message).toMatch(/^run.json: training.optimizer: momentum must be a number in \[0, 1\], got 7\./);
    doc.training = {
      epochs: 3,
      optimizer: {
        name: "adam",
        settings: { beta1: 0.9, beta2: 1, epsilon: 1e-8 },
        t: 0,
        vectors: { m: [0, 0, 0], v: [0, 0, 0] },
      },
    };
    expect(error(() => parseModel(JSON.stringify(doc), "run.json")).message).toMatch(/^run.json: training.optimizer: /);
  });
});

describe("sizes", () => {
  it("a network of 10^10 parameters is the library's TooLargeError, before anything is allocated", () => {
    // its 80 GB of parameters could not be allocated: the typed error can only come from the count
    const e = error(() => Network.create({ sizes: [100_000, 100_000] }));
    expect(e).toBeInstanceOf(TooLargeError);
    expect(e.value).toBe(10_000_100_000);
    expect(e.message).toMatch(/has 10000100000 parameters; a network is limited to 50000000/);
  });
  it("a wrong type is an OptionError or ArgumentError, not a TypeError", () => {
    error(() => Network.create({ sizes: [2, 2], activation: 2 as never }));
    error(() => Network.create(null as never));
    error(() => train(null as never, builtinDataset("xor"), { epochs: 1, learningRate: 1 }));
    error(() => readModelFile(0 as never));
  });
});
