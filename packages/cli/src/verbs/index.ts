/** The verbs of `chainrule`, in the order help lists them. */
import type { Verb } from "../verb.js";
import { countVerb } from "./count.js";
import { demoVerb } from "./demo.js";
import { deriveVerb } from "./derive.js";
import { checkVerb } from "./check.js";
import { pathsVerb } from "./paths.js";
import { compileVerb } from "./compile.js";
import { renderVerb } from "./render.js";
import { gradVerb } from "./grad.js";
import { trainVerb } from "./train.js";
import { predictVerb } from "./predict.js";
import { serveVerb } from "./serve.js";

export const VERBS: readonly Verb[] = [demoVerb, countVerb, deriveVerb, checkVerb, pathsVerb, compileVerb, renderVerb, gradVerb, trainVerb, predictVerb, serveVerb];
