/**
 * Special files for the save tests, made in a temporary folder (never a real device): named pipes,
 * sockets, folders nobody may write (also as root), the pid of a process that has ended, and a
 * way to make one fs call fail.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, readdirSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { createServer, type Server } from "node:net";

/** Makes a named pipe at `path` with the system's mkfifo. */
export function mkfifo(path: string): void {
  execFileSync("mkfifo", [path], { stdio: "pipe" });
}

/** A listening Unix socket at `path`; close it when done. */
export async function unixSocket(path: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((ok, bad) => server.once("error", bad).listen(path, ok));
  return server;
}

export const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/**
 * Makes `dir` unwritable: chmod 0555 for a normal user; as root, whom modes do not stop, the
 * immutable attribute (chattr +i). Returns how to undo it, or the reason it cannot be done here.
 */
export function makeUnwritable(dir: string): { undo: () => void } | { skip: string } {
  if (!isRoot) {
    chmodSync(dir, 0o555);
    return { undo: () => chmodSync(dir, 0o755) };
  }
  try {
    execFileSync("chattr", ["+i", dir], { stdio: "pipe" });
    return { undo: () => execFileSync("chattr", ["-i", dir], { stdio: "pipe" }) };
  } catch {
    return { skip: "running as root, where a chmod'ed folder stays writable, and chattr +i is not available here" };
  }
}

/** The id of a process that has run and ended. */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

/** The temporary files (`*.tmp`) in a folder. */
export function temps(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".tmp"));
}

const fs = createRequire(import.meta.url)("node:fs") as Record<string, unknown>;

/**
 * Runs `body` with the node:fs function `name` replaced by `fake` (which gets the original), for
 * every module that imports it, then puts the original back (when a returned promise settles).
 */
export function withFsPatched<T>(
  name: string,
  fake: (original: (...args: unknown[]) => unknown, ...args: unknown[]) => unknown,
  body: () => T,
): T {
  const original = fs[name] as (...args: unknown[]) => unknown;
  fs[name] = (...args: unknown[]) => fake(original, ...args);
  syncBuiltinESMExports();
  const restore = () => {
    fs[name] = original;
    syncBuiltinESMExports();
  };
  let result: T;
  try {
    result = body();
  } catch (e) {
    restore();
    throw e;
  }
  // an async body (a CLI run) keeps the fake until it settles
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}
