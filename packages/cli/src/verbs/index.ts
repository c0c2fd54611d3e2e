/** The verbs of `chainrule`, in the order help lists them. */
import type { Verb } from "../verb.js";
import { checkVerb } from "./check.js";
import { compileVerb } from "./compile.js";
import { countVerb } from "./count.js";
import { demoVerb } from "./demo.js";
import { deriveVerb } from "./derive.js";
import { exportVerb } from "./export.js";
import { gradVerb } from "./grad.js";
import { importVerb } from "./import.js";
import { pathsVerb } from "./paths.js";
import { predictVerb } from "./predict.js";
import { renderVerb } from "./render.js";
import { serveVerb } from "./serve.js";
import { trainVerb } from "./train.js";

export const VERBS: readonly Verb[] = [
  demoVerb,
  countVerb,
  deriveVerb,
  checkVerb,
  pathsVerb,
  compileVerb,
  renderVerb,
  gradVerb,
  trainVerb,
  predictVerb,
  exportVerb,
  importVerb,
  serveVerb,
];
