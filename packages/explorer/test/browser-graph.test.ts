/**
 * The page bundles the packages' main entries as they are: nothing the page reaches (its own
 * modules and workers, core, nn and viz from source) imports a node module or uses a node global,
 * so the build needs no stand-ins — and the build config has none (an import of one fails it).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { moduleGraph } from "../../../scripts/module-graph.mjs";

const here = (f: string) => fileURLToPath(new URL(`../${f}`, import.meta.url));
const short = (f: string) => f.slice(f.indexOf("packages/"));

describe("the explorer's bundle", () => {
  it("reaches no node module and no node global, workers included", () => {
    const g = moduleGraph(here("src/main.ts"));
    const files = g.files.map(short);
    for (const f of [
      "packages/explorer/src/derive-worker.ts",
      "packages/nn/src/index.ts",
      "packages/viz/src/index.ts",
      "packages/core/src/index.ts",
    ])
      expect(files).toContain(f);
    expect(g.node.map((n) => `${short(n.file)}: ${n.specifier}`)).toEqual([]);
    expect(g.globals.map((n) => `${short(n.file)}: ${n.name}`)).toEqual([]);
  });

  it("is built with no node stand-ins", () => {
    expect(existsSync(here("src/node-stub.ts"))).toBe(false);
    const config = readFileSync(here("vite.config.ts"), "utf8");
    expect(config).not.toMatch(/\balias\b/);
    expect(config).toContain("noNodeModules");
  });
});
