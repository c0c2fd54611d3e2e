/**
 * Reading files with errors that say what to do. Writing is in `atomic.ts` (every write is
 * atomic: the target is either the complete new file or untouched).
 */
import { readFileSync } from "node:fs";
import { escapeText, kindOf, nameOf, show } from "@chainrule/core";
import { FileError, OptionError } from "../errors.js";

/** The error of a failed file operation, in words (reading and writing alike); anything else quoted short. */
export function reason(e: unknown): string {
  switch ((e as { code?: string }).code) {
    case "ENOENT":
      return "no such file or folder";
    case "EISDIR":
      return "it is a folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "ENOTDIR":
      return "a part of the path is not a folder";
    case "ENOSPC":
      return "the disk is full";
    case "EDQUOT":
      return "the disk quota is used up";
    case "ENAMETOOLONG":
      return "the name is too long";
    default:
      return show((e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "", 120).slice(1, -1);
  }
}

/**
 * The text of a file, or a FileError naming the file and the problem. The path must be a
 * non-empty string: a number would be read as an open file descriptor (0 is standard input).
 */
export function readText(path: string, what = "file"): string {
  if (typeof path !== "string" || path.length === 0)
    throw new OptionError(`A file path is a non-empty string; got ${kindOf(path)} ${show(path)}.`, path);
  const label = typeof what === "string" ? escapeText(what.slice(0, 40)) : "file";
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new FileError(path, `Cannot read the ${label} ${nameOf(path)}: ${reason(e)}. Check the path.`, "read");
  }
}
