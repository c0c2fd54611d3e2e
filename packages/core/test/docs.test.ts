/**
 * The documents that list the activations list the registry's, in its order: adding an activation
 * to core without naming it where people look for the names fails here.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ACTIVATION_TABLE, ACTIVATIONS } from "../src/index.js";

const root = resolve(import.meta.dirname, "../../..");
const read = (file: string) => readFileSync(join(root, file), "utf8").replace(/\s+/g, " ");
/** The `names` in backticks of the text from `start` to the next full stop. */
const namesAfter = (text: string, start: string) =>
  [
    ...text
      .slice(text.indexOf(start) + start.length)
      .split(/\.\s|\s\|/)[0]!
      .matchAll(/`([a-z-]+)`/g),
  ].map((m) => m[1]);

describe("the activations the documents name", () => {
  it("are the registry's, in its order: the README and the model format", () => {
    expect(namesAfter(read("README.md"), "Activations:")).toEqual([...ACTIVATIONS]);
    expect(namesAfter(read("docs/formats.md"), "one per non-input layer:")).toEqual([...ACTIVATIONS]);
  });

  it("with the initialisation each gets (nn's README)", () => {
    const text = read("packages/nn/README.md");
    const he = text.slice(text.indexOf("He (normal"), text.indexOf("biases 0"));
    for (const a of ACTIVATIONS) expect(he.includes(a), a).toBe(ACTIVATION_TABLE[a].init === "he");
  });
});
