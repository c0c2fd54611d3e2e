/**
 * Fuzzing the command line in-process: random verbs, options and values (names that are Object's
 * own members, hex and non-finite numbers, control characters, long text) over small files, some
 * of them hostile (binary, one long line, carriage returns only, a byte-order mark, NaN, settings
 * out of range, a folder). Every run exits 0, or 1 or 2 with one line "chainrule: …" that is
 * short and has no raw control characters, never an untyped error; and a failed run leaves the
 * files and folders it was pointed at as they were.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runs } from "../../../test-support/properties.js";
import { describeArgs } from "../../core/test/hostile.js";
import { VERBS } from "../src/verbs/index.js";
import { cli } from "./capture.js";

const dir = mkdtempSync(join(tmpdir(), "chainrule-fuzz-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

const MODEL = `{ "layers": [2, 2, 2], "activations": ["sigmoid", "sigmoid"], "cost": "mse",
  "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]], "biases": [[0.35, 0.35], [0.60, 0.60]] }`;
const FILES = [
  file("model.json", MODEL),
  file("bom.json", `\ufeff${MODEL}`),
  file("nan.json", '{"layers": [2, 1], "weights": [[[NaN, 1]]]}'),
  file("big-layer.json", '{"layers": [2, 1e309, 1], "weights": []}'),
  file(
    "settings.json",
    MODEL.replace(
      /}\s*$/,
      ', "training": {"epochs": 1, "optimizer": {"name": "momentum", "settings": {"momentum": 3}, "vectors": {"v": [0,0,0,0,0,0,0,0,0,0,0,0]}}, "random": [1,2,3,4]}}',
    ),
  ),
  file("data.csv", "x1,x2,y1,y2\n0.05,0.10,0.01,0.99\n0.5,0.5,1,0\n"),
  file("labels.csv", "x1,x2,label\r\n0,1,1\r\n1,0,0\r\n"),
  file("cr.csv", "x1,x2,y1,y2\r0,1,1,0\r"),
  file("wide.csv", "x1,x2,x3,y1\n1,2,3,4\n"),
  file(
    "binary.csv",
    Uint8Array.from({ length: 2048 }, (_, i) => (i * 97 + 13) % 256),
  ),
  file("long.csv", "7".repeat(4_200_000)),
  file("empty.csv", ""),
  (() => {
    const d = join(dir, "a-folder");
    mkdirSync(d);
    return d;
  })(),
  join(dir, "missing.csv"),
];

/** Values an option may get: plausible ones… */
const PLAUSIBLE = [
  "2,2,2",
  "2,3,2",
  "1,1",
  "4,3",
  "sigmoid",
  "tanh,softmax",
  "relu,sigmoid",
  "softmax",
  "mse",
  "cross-entropy",
  "binary-cross-entropy",
  "json",
  "text",
  "latex",
  "csv",
  "chain",
  "delta",
  "local",
  "post",
  "nielsen",
  "ng",
  "auto",
  "matrix",
  "compiled",
  "xor",
  "iris",
  "moons",
  "sgd",
  "adam",
  "momentum",
  "he",
  "glorot",
  "biases",
  "none",
  "1,1,1;2,1,0",
  "1,1,1",
  "2,1,2",
  "all",
  "0",
  "1",
  "2",
  "0.5",
  "1e-3",
  "0.9",
  "3",
];
/** …and hostile ones. */
const HOSTILE_VALUES = [
  "2,,2",
  "0,2",
  "2,1e309",
  "100000,100000",
  "2,x",
  "sigmod",
  "9,9,9",
  "1,1",
  "-1",
  "1e3",
  "0x10",
  "1e999",
  "NaN",
  "Infinity",
  "",
  " ",
  "+2",
  ".5",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "\u0000\u001b[31m\r\n\u0007",
  "x".repeat(100_000),
  "2,".repeat(2000),
];
const VALUES = [...PLAUSIBLE, ...HOSTILE_VALUES];
const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PLAUSIBLE) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
);

/** A verb name, sometimes not one (or Object's member names). */
const verbName = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...VERBS.map((v) => v.name).filter((n) => n !== "serve" && n !== "demo")) },
  { weight: 1, arbitrary: fc.constantFrom("constructor", "__proto__", "drive", "toString", "", "help", "--version") },
);

/** Options of a verb, or others, with values from the pool, the files, or output paths. */
function argv(verb: string, outDir: string): fc.Arbitrary<string[]> {
  const spec = VERBS.find((v) => v.name === verb);
  const names = spec === undefined ? ["layers", "format"] : Object.keys(spec.options);
  const option = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.constantFrom("nope", "__proto__", "constructor", "x".repeat(200)) },
  );
  const value = (name: string): fc.Arbitrary<string> => {
    if (name === "save" || name === "out")
      return fc.constantFrom(
        join(outDir, "saved.json"),
        join(outDir, "out"),
        join(outDir, "missing", "x"),
        join(dir, "a-folder"),
        join(dir, "model.json"),
      );
    if (name === "model" || name === "data")
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...FILES) },
        { weight: 1, arbitrary: fc.constantFrom(...VALUES) },
      );
    // a run must stay short: epochs and example counts from a small range
    if (name === "epochs" || name === "examples" || name === "sample" || name === "patience")
      return fc.constantFrom("1", "2", "0", "-1", "1e3", "0x10", "", "constructor");
    // any work limit: a limit of core or nn (they hold whatever --max-work says) keeps every run short
    if (name === "max-work") return fc.constantFrom("1e30", "1e10", "10", "1", "0", "-1", "0x10", "Infinity", "");
    return anyValue;
  };
  const pair = option.chain((name): fc.Arbitrary<string[]> => {
    const s = spec !== undefined && Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (s?.type === "boolean") return fc.constant([`--${name}`]);
    return value(name).map((v) => (v.startsWith("-") ? [`--${name}=${v}`] : [`--${name}`, v]));
  });
  // a working command line first, so that the random options (later ones win) reach deep code
  const base = Object.hasOwn(BASES, verb) ? BASES[verb]!(outDir) : [];
  const keep = fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
  return fc
    .tuple(keep, fc.array(pair, { maxLength: 3 }))
    .map(([k, ps]): string[] => [...(k ? base : []), ...ps.flat()]);
}

/** A command line each verb runs with, before the random options. */
const BASES: { readonly [verb: string]: (outDir: string) => string[] } = {
  count: () => ["--layers", "2,3,2"],
  derive: () => ["--layers", "2,3,2", "--param", "1,1,1"],
  compile: () => ["--layers", "2,3,2"],
  check: () => ["--layers", "2,3,2"],
  paths: () => ["--layers", "2,3,2", "--param", "1,1,1"],
  render: (out) => ["--layers", "2,2,2", "--out", join(out, "out")],
  grad: () => ["--model", FILES[0]!, "--data", FILES[5]!],
  predict: () => ["--model", FILES[0]!, "--data", FILES[5]!],
  train: (out) => [
    "--dataset",
    "xor",
    "--layers",
    "2,3,1",
    "--epochs",
    "2",
    "--lr",
    "0.5",
    "--save",
    join(out, "saved.json"),
  ],
};

/** Every file under a folder with its size and modification time, and every folder. */
function listing(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const st = statSync(p);
      // a folder's time changes when a check of it creates and removes a probe file: its entries count
      out.push(e.isDirectory() ? `${p}/` : `${p} ${st.size} ${st.mtimeMs}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out.sort();
}

describe("the command line under random hostile arguments and files", () => {
  // no run is timed: a hang or a run far too long (a hostile value is 100,000 characters, a data
  // file one line of 4.2 MB, a network 10^10 parameters) shows as the test's own timeout, set
  // well above the ~40 s its 400 CI cases take on a loaded two-core machine
  it("exits with one short typed line on failure, and writes nothing then", async () => {
    let n = 0;
    const cases = fc.sample(
      verbName.chain((v) => fc.tuple(fc.constant(v), fc.nat())),
      {
        numRuns: runs(400),
        seed: Number(process.env.FUZZ_SEED ?? 7),
      },
    );
    for (const [verb, salt] of cases) {
      const outDir = join(dir, `run-${n++}`);
      mkdirSync(outDir);
      const [args] = fc.sample(argv(verb, outDir), { numRuns: 1, seed: salt });
      const all = [verb, ...args!];
      const before = listing(dir);
      const r = await cli(...all);
      const what = `chainrule ${describeArgs(all)}`;
      expect([0, 1, 2], what).toContain(r.code);
      if (r.code !== 0) {
        const lines = r.err.trimEnd().split("\n");
        expect(lines, `${what}: ${r.err.slice(0, 300)}`).toHaveLength(1);
        expect(lines[0]!.startsWith("chainrule: "), `${what}: ${lines[0]!.slice(0, 200)}`).toBe(true);
        expect(lines[0]!.length, `${what}: ${lines[0]!.slice(0, 200)}`).toBeLessThanOrEqual(1100);
        // eslint-disable-next-line no-control-regex
        expect(
          /[\u0000-\u001f\u007f-\u009f]/.test(lines[0]!),
          `${what}: ${JSON.stringify(lines[0]!.slice(0, 200))}`,
        ).toBe(false);
        // an untyped error would ask for --debug
        expect(lines[0], what).not.toMatch(/--debug for details/);
        expect(listing(dir), `${what} changed files: ${lines[0]!.slice(0, 200)}`).toEqual(before);
      }
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 240_000);
});
