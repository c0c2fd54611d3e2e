// An educator's handout: the derivation of a network of your choice, in your notation, with a
// worked example on concrete numbers, written as LaTeX (for pdflatex), Markdown and HTML.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { batch, layered, paramValues } from "@chainrule/core";
import { writeFileAtomic } from "@chainrule/nn/node";
import { derivation, latexFragment, toHtml, toMarkdown, toStandaloneLatex } from "@chainrule/viz";

const outDir = process.argv[2] ?? "out/handout";
mkdirSync(outDir, { recursive: true });

// The post's 2-2-2 network without biases, with the weights of the well-known worked example.
const net = layered({ sizes: [2, 2, 2], bias: false });
const theta = paramValues(net, {
  theta_1_1_1: 0.15,
  theta_1_1_2: 0.2,
  theta_1_2_1: 0.25,
  theta_1_2_2: 0.3,
  theta_2_1_1: 0.4,
  theta_2_1_2: 0.45,
  theta_2_2_1: 0.5,
  theta_2_2_2: 0.55,
});
const data = batch(net, [[0.05, 0.1]], [[0.01, 0.99]]);

// One formula for a slide: the two coloured paths of ∂J/∂θ⁽¹⁾₁₁ (a fragment for align*).
console.log(latexFragment(net, ["theta_1_1_1"], "chain"));

// The whole derivation, in Nielsen's notation this time, with one gradient-descent step at η = 0.5.
const doc = derivation(net, {
  notation: "nielsen",
  param: "theta_1_1_1",
  values: { theta, data },
  learningRate: 0.5,
  title: "Backpropagation, step by step",
});
writeFileAtomic(join(outDir, "handout.tex"), toStandaloneLatex(doc));
writeFileAtomic(join(outDir, "handout.md"), toMarkdown(doc));
writeFileAtomic(join(outDir, "handout.html"), toHtml(doc));
console.log(`wrote ${outDir}/handout.tex, handout.md and handout.html`);
