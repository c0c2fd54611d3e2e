/**
 * Regression tests for the command-line probes of the reliability report: names that are Object's
 * own members, hex numbers, huge and control-character arguments, and the model and data files
 * of nn's probes as the command line reports them — one line each, the right exit code.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { layered } from "@chainrule/core";
import { afterAll, describe, expect, it, vi } from "vitest";
import { cli } from "./capture.js";

// core's graph builder, watched: a network too large must be refused before it is built
vi.mock("@chainrule/core", async (importOriginal) => {
  const core = await importOriginal<typeof import("@chainrule/core")>();
  return { ...core, layered: vi.fn(core.layered) };
});

const dir = mkdtempSync(join(tmpdir(), "chainrule-hostile-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const MODEL = `{ "layers": [2, 2, 2], "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]], "biases": [[0.35, 0.35], [0.60, 0.60]] }`;

/** Runs the command; it must fail with `code` and one line, which is returned. */
async function fails(code: number, ...argv: string[]): Promise<string> {
  const r = await cli(...argv);
  expect(r.code, r.err).toBe(code);
  const lines = r.err.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]!.length).toBeLessThanOrEqual(400);
  // eslint-disable-next-line no-control-regex
  expect(lines[0]).not.toMatch(/[\u0000-\u001f]/);
  return lines[0]!;
}

describe("names are looked up among the table's own names", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])(
    "derive --format %s is an unknown format",
    async (name) => {
      expect(await fails(2, "derive", "--layers", "2,2", "--format", name)).toBe(
        `chainrule: --format: Unknown format "${name}". Known: text, json, latex. (see chainrule derive --help)`,
      );
    },
  );
  it("unknown names get the closest known one", async () => {
    expect(await fails(2, "derive", "--layers", "2,2", "--format", "jsno")).toMatch(/Did you mean "json"\?/);
    expect(await fails(2, "derive", "--layers", "2,2", "--form", "detla")).toMatch(/Did you mean "delta"\?/);
    expect(await fails(2, "drive", "--layers", "2,2")).toBe(
      `chainrule: unknown command "drive". Did you mean "derive"? Commands: demo, count, derive, check, paths, compile, render, grad, train, predict, export, import, serve (see chainrule --help)`,
    );
    expect(await fails(2, "constructor")).toMatch(/unknown command "constructor"/);
    expect(await fails(1, "train", "--dataset", "moosn", "--epochs", "1", "--lr", "1")).toMatch(
      /Unknown dataset "moosn". Did you mean "moons"\?/,
    );
    expect(await fails(1, "train", "--dataset", "xor", "--epochs", "1", "--lr", "1", "--optimizer", "adma")).toMatch(
      /Unknown optimizer "adma". Did you mean "adam"\?/,
    );
    expect(await fails(2, "grad", "--model", file("m.json", MODEL), "--dataset", "xor", "--engine", "matirx")).toMatch(
      /--engine: Unknown engine "matirx". Did you mean "matrix"\?/,
    );
    expect(await fails(1, "render", "--layers", "2,2", "--out", join(dir, "r"), "--notation", "__proto__")).toMatch(
      /Unknown notation "__proto__"/,
    );
  });
});

describe("numbers are decimal", () => {
  it.each(["0x10", "0b1", "0o7", "Infinity", "NaN", "1_000", " "])("--l2 %j is refused", async (v) => {
    expect(await fails(2, "count", "--layers", "2,2", `--l2=${v}`)).toMatch(
      /--l2 ".*" is not a number: write it in decimal/,
    );
  });
  it("decimal forms are accepted, and values too large for a float refused", async () => {
    for (const v of ["16", "0.5", ".5", "5.", "+2", "1e-3", "2E2"])
      expect((await cli("count", "--layers", "2,2", `--l2=${v}`)).code).toBe(0);
    expect(await fails(2, "count", "--layers", "2,2", "--l2", "1e999")).toMatch(
      /--l2 "1e999" is too large for a 64-bit float/,
    );
  });
});

describe("messages quote at most a few dozen characters of input, escaped", () => {
  it("a 5 MB argument", async () => {
    const line = await fails(2, "count", "--layers", `2,${"x".repeat(5_000_000)}`);
    expect(line).toMatch(
      /--layers "2,x{78}…" \(5,000,002 characters\): "x{80}…" \(5,000,000 characters\) is not a whole number/,
    );
  });
  it("control characters", async () => {
    expect(await fails(2, "count", "--layers", "2,\u001b[31m\n")).toContain('"\\u001b[31m" is not a whole number');
    expect(await fails(1, "derive", "--layers", "2,2", "--activation", "\u0007bell")).toContain(
      'Unknown activation "\\u0007bell"',
    );
  });
  it("an unknown option of any length", async () => {
    expect(await fails(2, "count", `--${"y".repeat(10_000)}`)).toMatch(
      /unknown option "--y{78}…" \(10,002 characters\) for count/,
    );
  });
});

describe("the model and data probes on the command line", () => {
  it("a model with a byte-order mark loads", async () => {
    const r = await cli(
      "grad",
      "--model",
      file("bom.json", `\ufeff${MODEL}`),
      "--data",
      file("d.csv", "\ufeffx1,x2,y1,y2\r\n0.05,0.1,0.01,0.99\r\n"),
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });
  it("NaN is reported with its line and column", async () => {
    expect(
      await fails(
        1,
        "grad",
        "--model",
        file("nan.json", '{"layers": [2, 1],\n"weights": [[[NaN, 1]]]}'),
        "--dataset",
        "xor",
      ),
    ).toMatch(/nan.json: not valid JSON \(line 2, column 15: NaN is not a JSON number/);
  });
  it("1e309 in the layers is shown as Infinity", async () => {
    expect(
      await fails(
        1,
        "grad",
        "--model",
        file("inf.json", '{"layers": [2, 1e309, 1], "weights": []}'),
        "--dataset",
        "xor",
      ),
    ).toMatch(/got \[2, Infinity, 1\]; layers\[1\] is Infinity/);
  });
  it("saved optimizer settings out of range name the file", async () => {
    const saved = file(
      "saved.json",
      MODEL.replace(
        /}\s*$/,
        ', "training": {"epochs": 1, "optimizer": {"name": "momentum", "settings": {"momentum": 3}, "vectors": {"v": [0,0,0,0,0,0,0,0,0,0,0,0]}}, "random": [1,2,3,4]}}',
      ),
    );
    expect(await fails(1, "train", "--model", saved, "--dataset", "xor", "--epochs", "1", "--lr", "1")).toMatch(
      /saved.json: training.optimizer: momentum must be a number in \[0, 1\], got 3/,
    );
  });
  it("data of another shape names its own shape", async () => {
    const model = file("post.json", MODEL);
    expect(await fails(1, "grad", "--model", model, "--data", file("wide.csv", "x1,x2,x3,y1,y2\n1,2,3,4,5\n"))).toMatch(
      /the data has 3 columns of inputs \(x1…x3\), the model expects 2/,
    );
    expect(await fails(2, "grad", "--model", model, "--dataset", "iris")).toMatch(
      /--dataset iris has 4 inputs per example; the 2-2-2 network takes 2: use a model made for this data/,
    );
  });
  it("a file of one long line fails at the line limit, and a network too large before it is built", async () => {
    vi.mocked(layered).mockClear();
    expect(
      await fails(1, "grad", "--model", file("post2.json", MODEL), "--data", file("long.csv", "7".repeat(5_000_000))),
    ).toMatch(/long.csv line 1, column 4194305: Line 1 is longer than 4194304 characters/);
    expect(await fails(1, "derive", "--layers", "100000,100000")).toMatch(
      /its per-weight graph would have 10,000,100,000 parameters; core builds graphs of at most 2,000,000/,
    );
    // count needs no graph: it answers from the sizes
    expect(JSON.parse((await cli("count", "--layers", "100000,100000", "--json")).out)).toMatchObject({
      parameters: 10_000_100_000,
    });
    expect(layered).not.toHaveBeenCalled();
    // while a network within the limits is built
    expect((await cli("derive", "--layers", "2,2")).code).toBe(0);
    expect(layered).toHaveBeenCalledTimes(1);
  });
});
