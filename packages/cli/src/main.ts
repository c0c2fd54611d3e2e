#!/usr/bin/env node
/**
 * `chainrule` — one verb per job over core, nn and viz. Options are validated before any work
 * starts; an error is one line on stderr and a non-zero exit (`--debug` shows the stack).
 */
import { run } from "./cli.js";

// A reader that stops early (`chainrule demo | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
});
