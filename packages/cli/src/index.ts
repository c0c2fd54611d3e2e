/**
 * @chainrule/cli — the `chainrule` command, usable as a library too (`run(argv, io)`).
 *
 * @packageDocumentation
 * @module @chainrule/cli
 */
export { run, mainHelp, verbHelp } from "./cli.js";
export type { Verb, Io, OptionSpec, Values } from "./verb.js";
export { VERBS } from "./verbs/index.js";
