/**
 * What the browser tests stand on: the built CLI and page (built here if missing — CI builds them
 * first) and a real `chainrule serve --port 0` child process whose printed URL is read back.
 * Chromium is found and launched by test-support/tools.ts, as for viz's browser tests.
 * Screenshots go to test-artifacts/.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, rmdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The CLI's entry point. */
export const CLI = `${ROOT}packages/cli/dist/main.js`;
/** The built page, inside the CLI package (the explorer's build writes it there). */
const PAGE = `${ROOT}packages/cli/dist/explorer/index.html`;

/** Sleeps without a timer (for waiting on another file's build). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds the CLI and the page if either is missing. Test files run in parallel, so one builds
 * while the others wait for its lock folder to go away.
 */
export function ensureBuilt(): void {
  if (existsSync(CLI) && existsSync(PAGE)) return;
  const lock = `${ROOT}packages/explorer/.build-lock`;
  try {
    mkdirSync(lock);
  } catch {
    for (let waited = 0; existsSync(lock) && waited < 180_000; waited += 200) sleep(200);
    return;
  }
  try {
    if (!existsSync(CLI))
      execFileSync("npx", ["tsc", "-b", "packages/core", "packages/nn", "packages/viz", "packages/cli"], {
        cwd: ROOT,
        stdio: "inherit",
      });
    if (!existsSync(PAGE))
      execFileSync("npx", ["vite", "build", "--logLevel", "warn"], {
        cwd: `${ROOT}packages/explorer`,
        stdio: "inherit",
      });
  } finally {
    rmdirSync(lock);
  }
}

/** A running `chainrule serve` child process. */
export interface Served {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything it printed so far. */
  output(): { readonly out: string; readonly err: string };
  /** Sends a signal and waits for the exit (code, signal). */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `chainrule serve` with these arguments and waits for the URL it prints. */
export function serve(args: readonly string[] = ["--port", "0"]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, "serve", ...args], { cwd: ROOT });
  let out = "";
  let err = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`chainrule serve printed no URL in 20 s; it said: ${out}${err}`)),
      20_000,
    );
    child.stderr.on("data", (c: Buffer) => (err += String(c)));
    child.stdout.on("data", (c: Buffer) => {
      out += String(c);
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      resolve({
        url: m[0],
        port: Number(m[1]),
        child,
        output: () => ({ out, err }),
        stop: (signal = "SIGTERM") => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`chainrule serve exited (${e.code ?? e.signal}) before printing a URL: ${out}${err}`));
    });
  });
}

/** test-artifacts/, created if needed. */
export function artifacts(): string {
  const dir = `${ROOT}test-artifacts/`;
  mkdirSync(dir, { recursive: true });
  return dir;
}
