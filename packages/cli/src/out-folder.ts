/**
 * A folder of output files (`render --out`, `demo --out`): checked before any work starts, written
 * all or none at the end. The checks are nn's (see `checkOutputs`): every file may be written
 * (a regular file, a new one, or a link to one; never a folder, a pipe or a device, nor an input
 * of the run), and the folder takes a temporary file. A folder that does not exist yet is created
 * at the end, if its parent does and can be written.
 */
import { lstatSync, mkdirSync, realpathSync, rmdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { checkFolderWritable, checkOutputs, type RunInput, writeFilesAtomic } from "@chainrule/nn/node";
import { UsageError } from "./errors.js";

/** An output folder that passed {@link checkOutFolder}. */
export interface OutFolder {
  /** The folder as the user gave it. */
  readonly text: string;
  /** Its absolute path. */
  readonly dir: string;
  /** Whether it exists now (otherwise {@link writeOutFolder} creates it). */
  readonly exists: boolean;
  /** The option that named it, e.g. "--out". */
  readonly option: string;
  /** Inputs of the run, which no output may overwrite. */
  readonly inputs: readonly RunInput[];
}

const code = (e: unknown): string | undefined => (e as { code?: string }).code;

/**
 * Checks that the files `names` can be written into the folder `text` (or that the folder can be
 * created there), before any work starts. Throws a UsageError or nn's FileError.
 */
export function checkOutFolder(
  text: string,
  option: string,
  names: readonly string[],
  inputs: readonly RunInput[] = [],
): OutFolder {
  const dir = resolve(text);
  try {
    if (!statSync(dir).isDirectory())
      throw new UsageError(
        `${option} ${text}: this is a file, not a folder; give a folder (it is created if its parent exists).`,
      );
    checkOutputs(
      names.map((n) => join(text, n)),
      { inputs, option },
    );
    return { text, dir, exists: true, option, inputs };
  } catch (e) {
    if (code(e) !== "ENOENT") {
      if (code(e) === "ENOTDIR")
        throw new UsageError(`${option} ${text}: a part of the path is not a folder; choose another folder.`);
      throw e;
    }
  }
  let link = false;
  try {
    link = lstatSync(dir).isSymbolicLink();
  } catch {
    // nothing there
  }
  if (link)
    throw new UsageError(
      `${option} ${text}: this is a link to a folder that does not exist; create that folder, or choose another one.`,
    );
  let parent: string;
  try {
    parent = realpathSync(dirname(dir));
    if (!statSync(parent).isDirectory()) throw new Error("not a folder");
  } catch {
    throw new UsageError(
      `${option} ${text}: the folder ${dirname(text) || "."} does not exist; create it first or choose another folder.`,
    );
  }
  checkFolderWritable(parent, text, dirname(text));
  return { text, dir, exists: false, option, inputs };
}

/**
 * Writes the files into the folder, all or none (creating the folder when it did not exist; it is
 * removed again if the writing fails). Throws nn's FileError.
 */
export function writeOutFolder(out: OutFolder, files: readonly (readonly [string, string])[]): void {
  let created = false;
  if (!out.exists) {
    try {
      mkdirSync(out.dir);
      created = true;
    } catch (e) {
      if (code(e) !== "EEXIST")
        throw new UsageError(
          `${out.option} ${out.text}: cannot create the folder (${e instanceof Error ? e.message.split("\n")[0] : String(e)}).`,
        );
    }
  }
  try {
    writeFilesAtomic(
      files.map(([name, data]) => ({ path: join(out.text, name), data })),
      { inputs: out.inputs, option: out.option },
    );
  } catch (e) {
    if (created) {
      try {
        rmdirSync(out.dir);
      } catch {
        // something else wrote into it meanwhile; leave it
      }
    }
    throw e;
  }
}
