/**
 * Reading and writing files with errors that say what to do. Writes are atomic: the data goes to
 * a temporary file in the same folder, which is then renamed over the target, so the target is
 * either the complete new file or untouched.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { FileError } from "../errors.js";

let counter = 0;

function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case "ENOENT": return "no such file or folder";
    case "EISDIR": return "it is a folder";
    case "EACCES":
    case "EPERM": return "permission denied";
    case "ENOTDIR": return "a part of the path is not a folder";
    case "ENOSPC": return "the disk is full";
    default: return e instanceof Error ? e.message : String(e);
  }
}

/** The text of a file, or a FileError naming the file and the problem. */
export function readText(path: string, what = "file"): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new FileError(path, `Cannot read the ${what} ${path}: ${reason(e)}. Check the path.`);
  }
}

/**
 * Checks that `path` can be written: its folder exists and the path is not a folder. Call it
 * before long work, so a bad save path fails first.
 */
export function checkWritable(path: string): void {
  const dir = dirname(resolve(path));
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new FileError(path, `Cannot write ${path}: the folder ${dirname(path)} does not exist. Create it first, or choose another path.`);
  }
  if (!st.isDirectory()) throw new FileError(path, `Cannot write ${path}: ${dirname(path)} is not a folder.`);
  try {
    if (statSync(path).isDirectory()) throw new FileError(path, `Cannot write ${path}: it is a folder. Give a file name.`);
  } catch (e) {
    if (e instanceof FileError) throw e;
  }
}

/**
 * Writes a file atomically: a temporary file in the same folder is written, flushed to disk and
 * renamed over `path`. On any failure the temporary file is removed and `path` is untouched.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  checkWritable(path);
  const tmp = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.${counter++}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, "wx", 0o644);
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the write error is the one to report
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file may not exist
    }
    throw new FileError(path, `Cannot write ${path}: ${reason(e)}. The file was not changed.`);
  }
}
