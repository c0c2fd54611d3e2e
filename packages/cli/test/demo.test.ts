import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./capture.js";

const dir = mkdtempSync(join(tmpdir(), "chainrule-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("chainrule demo", () => {
  it("prints the count and the two paths, trains XOR and writes every file it lists", async () => {
    const out = join(dir, "out");
    const r = await cli("demo", "--out", out, "--epochs", "2000");
    expect(r.code).toBe(0);
    expect(r.out).toContain("8 parameters need 52 partial-derivative factors (12 chain-rule paths).");
    expect(r.out).toContain("blue   θ⁽¹⁾₁₁ → z⁽²⁾₁ → a⁽²⁾₁ → z⁽³⁾₁ → a⁽³⁾₁ → J");
    expect(r.out).toContain("brown  θ⁽¹⁾₁₁ → z⁽²⁾₁ → a⁽²⁾₁ → z⁽³⁾₂ → a⁽³⁾₂ → J");
    expect(r.out).toMatch(/accuracy 100\.0%/);
    const listed = [...r.out.matchAll(/^\s+(\S+\.(?:tex|md|html|svg|tikz|json))\s/gm)].map((m) => m[1]!);
    expect(listed.length).toBe(9);
    expect(readdirSync(out).sort()).toEqual(listed.map((f) => f.split("/").at(-1)!).sort());
    expect(JSON.parse(readFileSync(join(out, "model.json"), "utf8")).layers).toEqual([2, 2, 2]);
    expect(readFileSync(join(out, "loss-curve.svg"), "utf8")).toMatch(/^<svg|<\?xml/);
  });
  it("speaks JSON lines with --json", async () => {
    const r = await cli("demo", "--out", join(dir, "json"), "--epochs", "50", "--json");
    const lines = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(51);
    expect(lines.at(-1)).toMatchObject({ done: true, parameters: 8, paths: 12, chainFactors: 52 });
    expect(lines.at(-1).files).toHaveLength(9);
  });
  it("refuses an --out that is a file, or whose parent is missing", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    const a = await cli("demo", "--out", file);
    expect(a.code).not.toBe(0);
    expect(a.err).toMatch(/is a file, not a folder; give a folder/);
    const b = await cli("demo", "--out", join(dir, "missing", "deeper"));
    expect(b.err).toMatch(/the folder .*missing does not exist; create it first/);
    expect(readFileSync(file, "utf8")).toBe("x");
  });
});

describe("a reader that stops early", () => {
  it("ends the command quietly: no stack trace, exit 0", () => {
    const main = resolve(import.meta.dirname, "../dist/main.js");
    // `chainrule demo | head -1`, with the shell's pipefail reporting chainrule's own status
    const r = spawnSync(
      "bash",
      ["-o", "pipefail", "-c", `"${process.execPath}" "${main}" demo --out "${join(dir, "piped")}" | head -1`],
      { encoding: "utf8" },
    );
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|at /);
    expect(r.status).toBe(0);
  });
});
