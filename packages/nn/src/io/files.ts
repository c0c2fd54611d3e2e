/**
 * Reading files with errors that say what to do. Writing is in `atomic.ts` (every write is
 * atomic: the target is either the complete new file or untouched); its single-file writer and
 * check are re-exported here for the modules that read and write one file.
 */
import { readFileSync } from "node:fs";
import { FileError } from "../errors.js";

export { checkWritable, writeFileAtomic } from "./atomic.js";

function reason(e: unknown): string {
  switch ((e as { code?: string }).code) {
    case "ENOENT": return "no such file or folder";
    case "EISDIR": return "it is a folder";
    case "EACCES":
    case "EPERM": return "permission denied";
    case "ENOTDIR": return "a part of the path is not a folder";
    default: return e instanceof Error ? e.message : String(e);
  }
}

/** The text of a file, or a FileError naming the file and the problem. */
export function readText(path: string, what = "file"): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new FileError(path, `Cannot read the ${what} ${path}: ${reason(e)}. Check the path.`, "read");
  }
}
