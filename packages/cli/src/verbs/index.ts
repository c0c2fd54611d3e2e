/** The verbs of `chainrule`, in the order help lists them. */
import type { Verb } from "../verb.js";
import { countVerb } from "./count.js";
import { deriveVerb } from "./derive.js";

export const VERBS: readonly Verb[] = [countVerb, deriveVerb];
