/**
 * Dispatch, help and error reporting for the `chainrule` command.
 */
import { parseArgs } from "node:util";
import { ChainruleError, quote, unknownName } from "@chainrule/core";
import { UsageError } from "./errors.js";
import type { Io, Verb } from "./verb.js";
import { VERBS } from "./verbs/index.js";
import { VERSION } from "./version.js";

/** Runs the command line; returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const debug = argv.includes("--debug");
  const args = argv.filter((a) => a !== "--debug");
  try {
    const [first, ...rest] = args;
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      io.out(first === "help" && rest[0] !== undefined ? verbHelp(findVerb(rest[0], "help")) : mainHelp());
      return 0;
    }
    if (first === "--version" || first === "-v") {
      io.out(VERSION);
      return 0;
    }
    const verb = findVerb(first);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.out(verbHelp(verb));
      return 0;
    }
    const values = parse(verb, rest);
    const code = await verb.run(values, io);
    return typeof code === "number" ? code : 0;
  } catch (e) {
    if (debug && e instanceof Error) io.err(e.stack ?? String(e));
    if (e instanceof UsageError) {
      const verb = VERBS.some((v) => v.name === args[0]) ? `chainrule ${args[0]} --help` : "chainrule --help";
      io.err(`chainrule: ${oneLine(e.message)} (see ${verb})`);
      return 2;
    }
    if (e instanceof ChainruleError) {
      io.err(`chainrule: ${oneLine(e.message)}`);
      return 1;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`chainrule: ${oneLine(msg.split("\n")[0]!)}${debug ? "" : " (run with --debug for details)"}`);
    return 1;
  }
}

/** The most characters of an error line. */
const MAX_LINE = 1000;

/**
 * An error message as one line: control characters escaped (a message that quotes input with
 * core's `quote` has none; this guards every other), cut to {@link MAX_LINE} characters.
 */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  const line = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === "\n"
      ? "\\n"
      : c === "\r"
        ? "\\r"
        : c === "\t"
          ? "\\t"
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return line.length <= MAX_LINE ? line : `${line.slice(0, MAX_LINE)}… (cut at ${MAX_LINE} characters)`;
}

/** The closest of some names to `name` as " Did you mean "x"?", or "" when none is close (core's rule). */
function didYouMean(kind: string, name: string, known: readonly string[]): string {
  return unknownName(kind, name, known).message.match(/ Did you mean "[^"]+"\?/)?.[0] ?? "";
}

/**
 * The verb of this name, looked up by name only; an unknown one is named with the closest verb.
 * `for` "help": the message says there is no help for it (chainrule help <name>).
 */
function findVerb(name: string, purpose: "run" | "help" = "run"): Verb {
  const v = VERBS.find((x) => x.name === name);
  if (v === undefined) {
    const known = VERBS.map((x) => x.name);
    const hint = didYouMean("command", name, known);
    const close = /"([^"]+)"/.exec(hint)?.[1];
    if (purpose === "help")
      throw new UsageError(
        `there is no command ${quote(name)} to show help for.${close !== undefined ? ` Did you mean "chainrule help ${close}"?` : ""} Commands: ${known.join(", ")}`,
      );
    throw new UsageError(`unknown command ${quote(name)}.${hint} Commands: ${known.join(", ")}`);
  }
  return v;
}

function parse(verb: Verb, argv: readonly string[]) {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [name, o] of Object.entries(verb.options))
    options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${quote(positionals[0]!)}`);
    return values;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    // node's messages: "Unknown option '--x'", "Option '--layers <value>' argument missing"
    const ambiguous = /Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(msg);
    if (ambiguous)
      throw new UsageError(`${ambiguous[1]} got a value that starts with "-"; write it as ${ambiguous[1]}=VALUE`);
    // an unknown option: the closest of the verb's own, when one is close
    const unknown = /Unknown option '(-{1,2})([^']*)'/.exec(msg);
    if (unknown) {
      const hint = didYouMean("option", unknown[2]!, Object.keys(verb.options)).replace(/"([^"]+)"/, '"--$1"');
      throw new UsageError(`unknown option ${quote(unknown[1]! + unknown[2]!)} for ${verb.name}.${hint}`);
    }
    // node quotes the option as typed: quote a long one short
    throw new UsageError(
      oneLine(msg.replace(/'([^']{60,})'/g, (_m, t: string) => quote(t))).replace(
        /\. To specify a positional argument.*$/,
        "",
      ),
    );
  }
}

/** The verb list. */
export function mainHelp(): string {
  const w = Math.max(...VERBS.map((v) => v.name.length));
  return [
    `chainrule ${VERSION} — backpropagation derived by the chain rule, step by step`,
    "",
    "Usage: chainrule <command> [options]",
    "",
    "Commands:",
    ...VERBS.map((v) => `  ${v.name.padEnd(w)}  ${v.summary}`),
    "",
    "Run `chainrule <command> --help` for its options and an example.",
    "Global: --help, --version, --debug (show the stack of an error).",
  ].join("\n");
}

/** Help for one verb. */
export function verbHelp(v: Verb): string {
  const rows = Object.entries(v.options).map(([name, o]) => {
    const left = `  ${o.short ? `-${o.short}, ` : ""}--${name}${o.value ? ` <${o.value}>` : ""}`;
    return [left, o.description + (o.default !== undefined ? ` (default ${String(o.default)})` : "")] as const;
  });
  const w = Math.max(0, ...rows.map((r) => r[0].length));
  return [
    `chainrule ${v.name} — ${v.summary}`,
    "",
    "Options:",
    ...rows.map(([l, r]) => `${l.padEnd(w)}  ${r}`),
    "",
    "Examples:",
    ...v.examples.map((e) => `  ${e}`),
  ].join("\n");
}
