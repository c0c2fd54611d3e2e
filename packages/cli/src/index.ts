/**
 * @chainrule/cli — the `chainrule` command, usable as a library too (`run(argv, io)`).
 *
 * @packageDocumentation
 * @module @chainrule/cli
 */
export { mainHelp, run, verbHelp } from "./cli.js";
export type { Io, OptionSpec, OptionSpecs, Values, ValuesOf, Verb } from "./verb.js";
export { VERBS } from "./verbs/index.js";
