/** Runs the `chainrule` command in-process with captured output, for the CLI tests of the nn verbs. */
import { Writable } from "node:stream";
import { run } from "../../cli/src/cli.js";

/** Exit code and output of one run. */
export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `chainrule ...argv`, with stdout and stderr captured (stdout is not a terminal). */
export async function chainrule(...argv: string[]): Promise<Run> {
  let out = "";
  let err = "";
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        f(String(chunk));
        cb();
      },
    });
  const code = await run(argv, {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    out: (l) => void (out += l + "\n"),
    err: (l) => void (err += l + "\n"),
  });
  return { code, out, err };
}
