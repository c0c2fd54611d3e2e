/**
 * The main entry runs in a browser: nothing it reaches (nn's modules and core's) imports a node
 * module or uses a node global. File I/O is @chainrule/nn/node, and only there.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { moduleGraph } from "../../../scripts/module-graph.mjs";
import * as main from "../src/index.js";
import * as node from "../src/node.js";

const src = (f: string) => fileURLToPath(new URL(`../src/${f}`, import.meta.url));
const short = (f: string) => f.slice(f.indexOf("packages/"));

describe("@chainrule/nn's entries", () => {
  it("the main entry imports no node module and uses no node global", () => {
    const g = moduleGraph(src("index.ts"));
    expect(g.files.length).toBeGreaterThan(30);
    expect(g.node.map((n) => `${short(n.file)}: ${n.specifier}`)).toEqual([]);
    expect(g.globals.map((n) => `${short(n.file)}: ${n.name}`)).toEqual([]);
    // protobufjs reads and writes ONNX files' bytes; it runs in a browser as in node
    expect([...g.packages].sort()).toEqual(["immer", "protobufjs"]);
  });

  it("the node entry holds the file I/O: every module that needs node is in src/node/", () => {
    const g = moduleGraph(src("node.ts"));
    const needNode = new Set([...g.node, ...g.globals].map((n) => short(n.file)));
    expect([...needNode].sort()).toEqual([
      "packages/nn/src/node/atomic.ts",
      "packages/nn/src/node/csv-file.ts",
      "packages/nn/src/node/files.ts",
      "packages/nn/src/node/model-file.ts",
      "packages/nn/src/node/onnx-file.ts",
    ]);
  });

  it("the two entries share no name, and the file functions are in the node entry only", () => {
    expect(Object.keys(node).filter((k) => k in main)).toEqual([]);
    for (const name of [
      "readModelFile",
      "readGraphModelFile",
      "writeModelFile",
      "readCsvFile",
      "readCsvShape",
      "readText",
      "readOnnxFile",
      "writeOnnxFile",
      "writeFileAtomic",
      "writeFilesAtomic",
      "checkOutput",
    ]) {
      expect(Object.keys(node)).toContain(name);
    }
    for (const name of [
      "parseModel",
      "parseGraphModel",
      "formatModel",
      "parseCsv",
      "parseCsvShape",
      "parseCsvChunks",
      "formatCsv",
      "writeJson",
      "exportOnnx",
      "importOnnx",
    ])
      expect(Object.keys(main)).toContain(name);
  });
});
