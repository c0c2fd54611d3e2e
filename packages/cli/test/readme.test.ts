/**
 * The README's code is copy-paste code that runs: every ```js block is run as a module next to
 * the examples (so the workspace packages resolve), in a scratch folder for the files it writes.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
const scratch = mkdtempSync(join(tmpdir(), "chainrule-readme-"));
const files: string[] = [];
afterAll(() => {
  for (const f of files) rmSync(f, { force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe("README", () => {
  it("has a code block for each kind of user", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });
  blocks.forEach((code, i) => {
    it(`code block ${i + 1} runs`, () => {
      const file = join(root, "examples", `.readme-${i + 1}-${process.pid}.mjs`);
      files.push(file);
      writeFileSync(file, code);
      const out = execFileSync(process.execPath, [file], { cwd: scratch, encoding: "utf8", timeout: 60_000 });
      expect(out.length).toBeGreaterThan(0);
    });
  });
  it("block outputs match their comments", () => {
    const run = (i: number) => execFileSync(process.execPath, [join(root, "examples", `.readme-${i}-${process.pid}.mjs`)], { cwd: scratch, encoding: "utf8" });
    expect(run(1)).toContain("w → u → h → o → out → J");
    expect(run(1)).toMatch(/max relative error: \d/);
    expect(run(2)).toContain("\\textcolor");
    expect(readFileSync(join(scratch, "derivation.tex"), "utf8")).toContain("\\end{document}");
    expect(run(3)).toMatch(/accuracy: 1\b/);
  });
});
