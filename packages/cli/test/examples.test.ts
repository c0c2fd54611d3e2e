/**
 * Every script in examples/ runs (against the built packages, as a user runs it) and prints what
 * its story promises.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const out = mkdtempSync(join(tmpdir(), "chainrule-examples-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function runExample(name: string, dir = out): string {
  return execFileSync(process.execPath, [join(root, "examples", name), dir], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("examples", () => {
  it("researcher: chains of a DAG, δ reuse, path contributions, gradient check, ∂²J/∂w²", () => {
    const text = runExample("researcher.mjs");
    expect(text).toContain("∂J/∂w has 2 paths:");
    expect(text).toContain("w → u1 → h1 → u2 → h2 → o → out → J");
    expect(text).toMatch(/gradient check: max relative error \d\.\d+e-\d+/);
    expect(text).toMatch(/∂²J\/∂w² = -?\d/);
  });
  it("educator: a handout in three formats with a worked example", () => {
    const text = runExample("educator.mjs", join(out, "handout"));
    expect(text).toContain("\\textcolor");
    const tex = readFileSync(join(out, "handout", "handout.tex"), "utf8");
    expect(tex).toContain("\\begin{document}");
    expect(tex).toContain("0.15");
    expect(existsSync(join(out, "handout", "handout.html"))).toBe(true);
  });
  it("programmer: trains XOR to 100%, saves, loads and predicts the same", () => {
    const text = runExample("programmer.mjs");
    expect(text).toMatch(/accuracy 100%/);
    expect(JSON.parse(readFileSync(join(out, "xor-model.json"), "utf8")).layers).toEqual([2, 3, 1]);
  });
});
