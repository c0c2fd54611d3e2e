/**
 * The README's code is copy-paste code that runs: every ```js block is run as a module next to
 * the examples (so the workspace packages resolve), in a scratch folder for the files it writes.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
const scratch = mkdtempSync(join(tmpdir(), "chainrule-readme-"));
const outputs: string[] = [];

beforeAll(() => {
  blocks.forEach((code, i) => {
    // next to the examples so that @chainrule/* resolve; removed right after the run
    const file = join(root, "examples", `.readme-${i + 1}-${process.pid}.mjs`);
    writeFileSync(file, code);
    try {
      outputs.push(execFileSync(process.execPath, [file], { cwd: scratch, encoding: "utf8", timeout: 60_000 }));
    } finally {
      rmSync(file, { force: true });
    }
  });
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("README code", () => {
  it("has a block for each kind of user, and each runs", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(outputs).toHaveLength(blocks.length);
  });
  it("researcher: prints the paths, δ reuse, contributions and a passing gradient check", () => {
    expect(outputs[0]).toContain("w → u → h → o → out → J");
    expect(outputs[0]).toMatch(/δ_o is used (once|[2-9]\d* times)/);
    expect(outputs[0]).not.toMatch(/\b1 times/);
    const err = Number(/max relative error: (\S+)/.exec(outputs[0]!)![1]);
    expect(err).toBeLessThan(1e-6);
  });
  it("educator: prints the coloured fragment and writes a complete LaTeX document", () => {
    expect(outputs[1]).toContain("\\textcolor");
    expect(readFileSync(join(scratch, "derivation.tex"), "utf8")).toContain("\\end{document}");
  });
  it("programmer: a GraphBuilder graph with a skip connection trains", () => {
    const [, from, to] = /cost (\S+) → (\S+)/.exec(outputs[3]!)!;
    expect(Number(to)).toBeLessThan(Number(from) / 10);
  });
  it("programmer: learns XOR and reloads the saved model", () => {
    expect(outputs[2]).toMatch(/accuracy: 1\b/);
    expect(JSON.parse(readFileSync(join(scratch, "xor.json"), "utf8")).layers).toEqual([2, 3, 1]);
  });
});
