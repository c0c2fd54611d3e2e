/**
 * `chainrule demo`: the main job on the post's 2-2-2 network — the count, the two chains of
 * ∂J/∂θ⁽¹⁾₁₁ and its δ form.
 */
import { chainForm, count, layered, textProgram } from "@chainrule/core";
import type { Verb } from "../verb.js";

export const demoVerb: Verb = {
  name: "demo",
  summary: "the post's 2-2-2 network: counts, the chains of ∂J/∂θ⁽¹⁾₁₁ and its δ form",
  examples: ["chainrule demo"],
  options: {},
  run(_values, io) {
    const graph = layered({ sizes: [2, 2, 2], bias: false });
    const c = count(graph);
    io.out(`The post's 2-2-2 sigmoid network without biases, J = 1/(2m) Σ (y − a)²`);
    io.out(`${c.parameters} parameters need ${c.chainFactors} partial-derivative factors along ${c.paths} paths.`);
    io.out("");
    io.out("∂J/∂θ⁽¹⁾₁₁ by the chain rule, one product per path:");
    for (const t of chainForm(graph, "theta_1_1_1").terms) io.out(`  ${t.path.join(" → ")}`);
    io.out("");
    io.out("The same partial through shared δ terms (run it with m and the values of x, y, θ):");
    for (const line of textProgram(graph, ["theta_1_1_1"], "delta").lines) io.out(`  ${line}`);
  },
};
