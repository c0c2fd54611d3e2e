/**
 * `chainrule serve`: the interactive derivation explorer, served on 127.0.0.1. The page (built by
 * packages/explorer) runs core, viz and nn in the browser; this server only hands out its files,
 * and the page asks nothing of any other host. Ctrl-C or SIGTERM stops it cleanly.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ChainruleError } from "@chainrule/core";
import { parseInteger } from "../args.js";
import { loadSite, siteHandler } from "../static-site.js";
import { type Io, verb } from "../verb.js";

/** The port `serve` uses unless told otherwise. */
export const DEFAULT_PORT = 8765;

/** The explorer could not be served: its page is not built, or the port cannot be had. */
export class ServeError extends ChainruleError {
  override readonly name = "ServeError";
}

/**
 * The folder of the explorer's built page: dist/explorer of this package, where the explorer's
 * build writes it and the published package carries it (the same folder from src/ and dist/).
 */
export const EXPLORER_DIR = fileURLToPath(new URL("../../dist/explorer", import.meta.url));

/** The folder of the explorer's built page, or a ServeError saying how to build it. */
export function explorerBundle(): string {
  return checkBundle(EXPLORER_DIR);
}

/** `dir` if it holds a built page (index.html), else a ServeError saying to build it. */
export function checkBundle(dir: string): string {
  if (!existsSync(join(dir, "index.html")))
    throw new ServeError(
      "invalid-argument",
      `the explorer page is not built (${join(dir, "index.html")} is missing); run \`npx -y pnpm@10.34.9 run build\` in the repository first.`,
      dir,
    );
  return dir;
}

/** A running explorer server. */
export interface ExplorerServer {
  /** "http://127.0.0.1:PORT/". */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, ends open connections, and resolves once closed. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:port (0: a free port), or rejects with a one-line ServeError. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => {
      const why =
        e.code === "EADDRINUSE"
          ? `port ${port} on 127.0.0.1 is already in use; choose another with --port P, or --port 0 for a free one.`
          : e.code === "EACCES"
            ? `no permission to listen on port ${port}; choose a port above 1023, or --port 0 for a free one.`
            : `cannot listen on 127.0.0.1:${port}: ${e.message}`;
      reject(new ServeError("invalid-argument", why, port));
    };
    server.once("error", failed);
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      server.off("error", failed);
      const at = server.address();
      resolve(typeof at === "object" && at !== null ? at.port : port);
    });
  });
}

/** Serves the explorer's page from `root` (default: the installed bundle) on 127.0.0.1. */
export async function startExplorerServer(port: number, root: string = explorerBundle()): Promise<ExplorerServer> {
  const files = loadSite(checkBundle(root));
  let hosts: string[] = [];
  const server = createServer(siteHandler(files, () => hosts));
  const actual = await listen(server, port);
  hosts = [`127.0.0.1:${actual}`, `localhost:${actual}`];
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Resolves on the first SIGINT or SIGTERM, then forgets both. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** `chainrule serve [--port P]`. */
export const serveVerb = verb({
  name: "serve",
  summary: "serve the interactive derivation explorer in the browser, on 127.0.0.1",
  examples: [
    "chainrule serve                # then open the printed URL",
    "chainrule serve --port 0       # any free port",
  ],
  options: {
    port: {
      type: "string",
      value: "P",
      description: "port on 127.0.0.1; 0 picks a free one",
      default: String(DEFAULT_PORT),
    },
  },
  async run(values, io: Io) {
    const port = parseInteger(values.port, "--port", DEFAULT_PORT, 0, 65535);
    const server = await startExplorerServer(port, explorerBundle());
    const stopped = untilStopped();
    io.out(`chainrule explorer: ${server.url} (Ctrl-C stops it)`);
    const signal = await stopped;
    await server.close();
    io.out(`chainrule explorer: stopped (${signal}).`);
  },
});
