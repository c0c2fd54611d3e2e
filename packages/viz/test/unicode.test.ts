/**
 * The notations as terminal text: the names come from the LaTeX notation tables, turned into
 * Unicode; on any layered network in any notation every node gets its own name, with no LaTeX
 * left in it.
 */
import { layered } from "@chainrule/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { latexToUnicode, NOTATIONS, unicodeName } from "../src/index.js";

const post = layered({ sizes: [2, 2, 2], bias: true });
const names = (nt: (typeof NOTATIONS)[number]) => Object.keys(post.nodes).map((id) => unicodeName(post, id, nt));

describe("unicode names", () => {
  it("spell the post's 2-2-2 network in each notation", () => {
    expect(names("post").join(" ")).toBe(
      "x₁ x₂ θ⁽¹⁾₁₀ θ⁽¹⁾₁₁ θ⁽¹⁾₁₂ θ⁽¹⁾₂₀ θ⁽¹⁾₂₁ θ⁽¹⁾₂₂ z⁽²⁾₁ z⁽²⁾₂ a⁽²⁾₁ a⁽²⁾₂ θ⁽²⁾₁₀ θ⁽²⁾₁₁ θ⁽²⁾₁₂ θ⁽²⁾₂₀ θ⁽²⁾₂₁ θ⁽²⁾₂₂ z⁽³⁾₁ z⁽³⁾₂ a⁽³⁾₁ a⁽³⁾₂ y₁ y₂ J",
    );
    expect(names("ng").join(" ")).toBe(
      "x₁ x₂ b^[1]₁ W^[1]₁₁ W^[1]₁₂ b^[1]₂ W^[1]₂₁ W^[1]₂₂ z^[1]₁ z^[1]₂ a^[1]₁ a^[1]₂ b^[2]₁ W^[2]₁₁ W^[2]₁₂ b^[2]₂ W^[2]₂₁ W^[2]₂₂ z^[2]₁ z^[2]₂ a^[2]₁ a^[2]₂ y₁ y₂ J",
    );
    expect(names("nielsen").join(" ")).toBe(
      "x₁ x₂ b²₁ w²₁₁ w²₁₂ b²₂ w²₂₁ w²₂₂ z²₁ z²₂ a²₁ a²₂ b³₁ w³₁₁ w³₁₂ b³₂ w³₂₁ w³₂₂ z³₁ z³₂ a³₁ a³₂ y₁ y₂ C",
    );
  });

  it("separate two-digit indices as the LaTeX does (θ⁽²⁾₁,₁₀ beside θ⁽²⁾₁,₀)", () => {
    const wide = layered({ sizes: [2, 12, 1] });
    expect(unicodeName(wide, "theta_2_1_10")).toBe("θ⁽²⁾₁,₁₀");
    expect(unicodeName(wide, "theta_2_1_0")).toBe("θ⁽²⁾₁,₀");
    expect(unicodeName(wide, "nowhere")).toBe("nowhere");
  });

  it("turn formulas into text: Greek, scripts, primes, \\left( \\right), wrappers", () => {
    expect(latexToUnicode("\\delta^{(3)}_{1} = \\left(a^{(3)}_{1} - y_{1}\\right) \\odot f'(z^{(3)}_{1})")).toBe(
      "δ⁽³⁾₁ = (a⁽³⁾₁ - y₁) ⊙ f′(z⁽³⁾₁)",
    );
    expect(latexToUnicode("\\left(\\Theta^{(l)}\\right)^{\\mathsf{T}} \\delta^{(l+1)}")).toBe("(Θ⁽ˡ⁾)ᵀ δ⁽ˡ⁺¹⁾");
    // a script with a character that has no script form is written out
    expect(latexToUnicode("W^{[L]}_{jk} g^{[l]\\prime} x_{q}")).toBe("W^[L]ⱼₖ g^[l]′ x_q");
  });

  it("on any layered network, in every notation: one name per node, no LaTeX left", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 2, maxLength: 5 }),
        fc.boolean(),
        fc.constantFrom(...NOTATIONS),
        (sizes, bias, nt) => {
          const g = layered({ sizes, bias });
          const all = Object.keys(g.nodes).map((id) => unicodeName(g, id, nt));
          expect(new Set(all).size).toBe(all.length);
          for (const n of all) expect(n).not.toMatch(/[\\{}]/);
        },
      ),
      { numRuns: 60 },
    );
  });
});
