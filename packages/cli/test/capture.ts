/** Runs the CLI in-process with captured output. */
import { Writable } from "node:stream";
import { run } from "../src/cli.js";

export interface Captured {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `chainrule ...argv` and returns its exit code and output. */
export async function cli(...argv: string[]): Promise<Captured> {
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
    out: (l) => {
      out += `${l}\n`;
    },
    err: (l) => {
      err += `${l}\n`;
    },
  });
  return { code, out, err };
}
