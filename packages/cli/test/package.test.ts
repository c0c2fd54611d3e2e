/** The published package: its version in one place, the explorer's page inside it. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EXPLORER_DIR } from "../src/verbs/serve.js";
import { cli } from "./capture.js";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

describe("the cli package", () => {
  it("--version prints the version its package.json holds", async () => {
    const { version } = JSON.parse(readFileSync(here("../package.json"), "utf8")) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect((await cli("--version")).out).toBe(`${version}\n`);
  });
  it("serves the explorer from its own dist/explorer, where the explorer's build writes it", () => {
    expect(EXPLORER_DIR).toBe(here("../dist/explorer"));
    const pkg = JSON.parse(readFileSync(here("../package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      files: string[];
    };
    expect(Object.keys(pkg.dependencies)).not.toContain("@chainrule/explorer");
    expect(pkg.files).toContain("dist");
  });
});
