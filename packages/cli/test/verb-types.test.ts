/**
 * Option values reach a verb typed by the verb's own options: a string option is a string, a
 * boolean option a boolean, either undefined when not given, and an option the verb does not have
 * is a type error. The type assertions are checked by the test typecheck (tsconfig.test.json).
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { NETWORK_OPTIONS } from "../src/args.js";
import { type Io, optionNames, type ValuesOf, verb } from "../src/verb.js";
import { VERBS } from "../src/verbs/index.js";

const quiet: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  out: () => {},
  err: () => {},
};

describe("typed option values", () => {
  it("a verb's run sees string options as strings and boolean options as booleans", async () => {
    const seen: unknown[] = [];
    const v = verb({
      name: "probe",
      summary: "",
      examples: [],
      options: {
        ...NETWORK_OPTIONS,
        rate: { type: "string", value: "η", description: "a rate" },
        json: { type: "boolean", description: "json" },
      },
      run(values) {
        expectTypeOf(values.rate).toEqualTypeOf<string | undefined>();
        expectTypeOf(values.json).toEqualTypeOf<boolean | undefined>();
        expectTypeOf(values["no-bias"]).toEqualTypeOf<boolean | undefined>();
        expectTypeOf(values.layers).toEqualTypeOf<string | undefined>();
        // @ts-expect-error: the verb has no --nothing option
        seen.push(values.nothing);
        seen.push(values.rate, values.json);
        return 0;
      },
    });
    expect(await v.run({ rate: "0.5", json: true }, quiet)).toBe(0);
    expect(seen).toEqual([undefined, "0.5", true]);
  });

  it("optionNames lists the options' keys, typed as keys of the values", () => {
    const names = optionNames(NETWORK_OPTIONS);
    expect(names).toEqual(["layers", "activation", "cost", "no-bias", "l2"]);
    expectTypeOf(names).toEqualTypeOf<("layers" | "activation" | "cost" | "no-bias" | "l2")[]>();
    expectTypeOf<ValuesOf<typeof NETWORK_OPTIONS>>().toHaveProperty("l2");
  });

  it("every verb declares each option as a string or a boolean", () => {
    for (const v of VERBS)
      for (const [name, o] of Object.entries(v.options))
        expect([name, o.type]).toEqual([name, expect.stringMatching(/^(string|boolean)$/)]);
  });
});
