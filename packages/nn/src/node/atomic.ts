/**
 * Every file chainrule writes goes through here. A write never leaves a half-written file and
 * never changes what is already there in a way the user did not ask for:
 *
 * - the data goes to a temporary file next to the target, which is flushed and renamed over it,
 *   so the target is always either its old content or the complete new one;
 * - a symbolic link is written through (the file it points to is replaced; the link stays a link);
 *   a named pipe, device, socket or folder is refused before anything is written;
 * - a replaced file keeps its mode, and its owner and group where the process may set them;
 * - a target that is an input of the same run (same device and inode) is refused;
 * - {@link checkOutput} proves all of that, and that the folder can be written, before any work
 *   starts, by creating and removing a temporary file there;
 * - temporary files are removed on errors, and a SIGINT or SIGTERM that arrives during a save ends
 *   the process only after the save has finished or been undone; those left by a killed run
 *   (`.<name>.<pid>.<stamp>.tmp` whose process is gone, or older than an hour) are removed by the
 *   next save into the same folder;
 * - {@link writeFilesAtomic} writes several files all or none.
 */
import {
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { FileError, type FileProblem } from "../errors.js";
import { reason } from "./files.js";

/** An input of the run that a save must not overwrite: the option that named it and its path. */
export interface RunInput {
  /** How the user named it, e.g. "--data". */
  readonly option: string;
  readonly path: string;
}

/** Options of the output checks and writes. */
export interface OutputOptions {
  /** Inputs of the same run; a target that is one of them (by device and inode) is refused. */
  readonly inputs?: readonly RunInput[];
  /** How the user named the target, e.g. "--save", for the messages. */
  readonly option?: string;
}

/** Where a write lands, found by {@link resolveOutput}. */
export interface OutputTarget {
  /** The path as given. */
  readonly path: string;
  /** The file actually replaced: symbolic links followed, its folder a real path. */
  readonly file: string;
  /** The folder of {@link OutputTarget.file}. */
  readonly folder: string;
  /** The file there now, or null when the write creates it. */
  readonly existing: Stats | null;
  /** Whether `path` is a symbolic link (so {@link OutputTarget.file} is where it leads). */
  readonly linked: boolean;
}

/** One file of {@link writeFilesAtomic}. */
export interface OutputFile {
  readonly path: string;
  readonly data: string | Uint8Array;
}

/** A temporary file: `.<name>.<pid>.<stamp>.tmp` (older versions: `<stamp>.<n>`). */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-z]+(?:[.-][0-9a-z]+)?\.tmp$/;
/** A temporary file older than this is stale even when its process id is in use again. */
export const STALE_TEMP_AGE_MS = 60 * 60 * 1000;
/** The sticky bit of a folder's mode. */
const STICKY = 0o1000;
/** Symbolic links followed before giving up. */
const MAX_LINKS = 40;

let counter = 0;

const codeOf = (e: unknown): string | undefined => (e as { code?: string }).code;

function fail(path: string, problem: FileProblem, why: string): never {
  throw new FileError(path, `Cannot write ${path}: ${why}`, problem);
}

/** What a non-regular, non-folder file is, in words. */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

// ---------------------------------------------------------------------------------------------
// Checks

/**
 * Where writing `path` would land, checked without writing anything: links are followed to the
 * file they name (which may not exist yet); its folder must exist; the file must be a regular one
 * (or absent) and none of `options.inputs`. Throws a {@link FileError} that says what to do.
 */
export function resolveOutput(path: string, options: OutputOptions = {}): OutputTarget {
  let file = resolve(path);
  let existing: Stats | null = null;
  let followed = false;
  for (let links = 0; ; links++) {
    const folder = realFolder(path, dirname(file), followed ? dirname(file) : dirname(path));
    file = join(folder, basename(file));
    try {
      existing = lstatSync(file);
    } catch (e) {
      if (codeOf(e) !== "ENOENT") fail(path, "write", `${reason(e)}.`);
      existing = null;
    }
    if (existing === null || !existing.isSymbolicLink()) break;
    if (links === MAX_LINKS)
      fail(
        path,
        "link-loop",
        `its symbolic links form a loop (or go more than ${MAX_LINKS} deep). Fix the link, or give another path.`,
      );
    file = resolve(folder, readlinkSync(file));
    followed = true;
  }
  const folder = dirname(file);
  const via = followed ? ` (the link leads to ${file})` : "";
  if (existing !== null) {
    if (existing.isDirectory())
      fail(path, "folder", `it is a folder${via}. Give a file name inside it, e.g. ${join(path, "out.json")}.`);
    if (!existing.isFile()) {
      fail(
        path,
        "special",
        `it is ${kindOf(existing)}${via}, not a regular file. A save replaces a file whole; give the path of a regular file or a new one.`,
      );
    }
    for (const input of options.inputs ?? []) {
      let st: Stats;
      try {
        st = statSync(input.path);
      } catch {
        continue; // a missing input is reported where it is read
      }
      if (st.dev === existing.dev && st.ino === existing.ino) {
        const what = followed ? `the link leads to ${file}, the same file as` : "it is the same file as";
        fail(
          path,
          "input",
          `${what} ${input.option} ${input.path}, which this run reads, and saving would overwrite it. ${options.option !== undefined ? `Give ${options.option} another path` : "Save to another path"}.`,
        );
      }
    }
    checkReplaceable(path, folder, existing);
  }
  return { path, file, folder, existing, linked: followed };
}

/** The real path of the folder `dir` (shown to the user as `shown`), or a FileError for a missing one. */
function realFolder(path: string, dir: string, shown: string): string {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (e) {
    if (codeOf(e) === "ENOENT")
      fail(path, "no-folder", `the folder ${shown} does not exist. Create it first, or choose another path.`);
    if (codeOf(e) === "ENOTDIR") fail(path, "no-folder", `${shown} is not a folder.`);
    if (codeOf(e) === "ELOOP")
      fail(
        path,
        "link-loop",
        `the symbolic links in its folder ${shown} form a loop. Fix the link, or give another path.`,
      );
    fail(path, "no-folder", `its folder ${shown} cannot be reached: ${reason(e)}.`);
  }
  if (!statSync(real).isDirectory()) fail(path, "no-folder", `${shown} is not a folder.`);
  return real;
}

/** A file in a sticky folder (like /tmp) can be replaced only by its owner, the folder's, or root. */
function checkReplaceable(path: string, folder: string, existing: Stats): void {
  const uid = typeof process.getuid === "function" ? process.getuid() : -1;
  if (uid <= 0 || existing.uid === uid) return;
  const dir = statSync(folder);
  if ((dir.mode & STICKY) !== 0 && dir.uid !== uid) {
    fail(
      path,
      "unwritable",
      `it belongs to another user and its folder ${folder} only lets owners replace their files (sticky bit). Choose another path.`,
    );
  }
}

/**
 * Proves that `folder` can be written by creating and removing a temporary file in it, and
 * removes stale temporary files of killed runs from it. `path` names the target in the message,
 * `shown` the folder.
 */
export function checkFolderWritable(folder: string, path = folder, shown = folder): void {
  const tmp = tempPath(folder, "write-check");
  try {
    closeSync(openSync(tmp, "wx", 0o600));
  } catch (e) {
    const why =
      codeOf(e) === "EROFS"
        ? "is on a read-only file system"
        : codeOf(e) === "EACCES" || codeOf(e) === "EPERM"
          ? "is not writable (permission denied)"
          : `cannot be written: ${reason(e)}`;
    fail(path, "unwritable", `the folder ${shown} ${why}. Choose another folder, or make it writable.`);
  }
  removeQuietly(tmp);
  cleanStaleTemps(folder);
}

/**
 * Checks, before any work starts, that `path` can be saved: everything {@link resolveOutput}
 * checks, plus a temporary file created and removed in its folder. Returns where it will land.
 */
export function checkOutput(path: string, options: OutputOptions = {}): OutputTarget {
  const target = resolveOutput(path, options);
  checkFolderWritable(target.folder, path, shownFolder(target));
  return target;
}

/** The folder of a target as the user would recognise it: as given, or where the link leads. */
function shownFolder(t: OutputTarget): string {
  return t.linked ? t.folder : dirname(t.path);
}

/** {@link checkOutput} for several paths; two paths that land on the same file are refused. */
export function checkOutputs(paths: readonly string[], options: OutputOptions = {}): OutputTarget[] {
  const targets = paths.map((p) => resolveOutput(p, options));
  sameFileTwice(targets);
  for (const folder of new Set(targets.map((t) => t.folder))) {
    const first = targets.find((t) => t.folder === folder)!;
    checkFolderWritable(folder, first.path, shownFolder(first));
  }
  return targets;
}

/** Checks that `path` can be written. Kept for callers of earlier versions: {@link checkOutput}. */
export function checkWritable(path: string): void {
  checkOutput(path);
}

function sameFileTwice(targets: readonly OutputTarget[]): void {
  const seen = new Map<string, string>();
  for (const t of targets) {
    const other = seen.get(t.file);
    if (other !== undefined)
      fail(t.path, "input", `it is the same file as ${other}, written by this run too. Give them different paths.`);
    seen.set(t.file, t.path);
  }
}

// ---------------------------------------------------------------------------------------------
// Temporary files

/** Temporary files (and backups) this process holds right now. */
const live = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;
let listening = false;

/** A fresh temporary file name in `folder` for `name`. */
function tempPath(folder: string, name: string): string {
  const stamp = `${Date.now().toString(36)}-${(counter++).toString(36)}`;
  return join(folder, `.${name.slice(0, 100)}.${process.pid}.${stamp}.tmp`);
}

/**
 * A signal during a save: the save ran synchronously, so by now it has finished or been undone;
 * remove whatever temporary file is still listed and let the signal end the process as it would
 * have (unless someone else listens for it).
 */
function onSignal(signal: NodeJS.Signals): void {
  for (const t of live) removeQuietly(t);
  live.clear();
  stopListening();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function track(tmp: string): void {
  live.add(tmp);
  if (!listening && typeof process.on === "function") {
    listening = true;
    for (const s of SIGNALS) process.on(s, onSignal);
  }
}

function untrack(tmp: string): void {
  live.delete(tmp);
  // A signal that arrived during the save is delivered on the next turns of the event loop; keep
  // listening until then, so it is handled here (after the save) instead of being lost.
  if (live.size === 0 && listening)
    setImmediate(() => setImmediate(() => void (live.size === 0 ? stopListening() : undefined)));
}

function stopListening(): void {
  if (!listening) return;
  listening = false;
  for (const s of SIGNALS) process.off(s, onSignal);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Removes a temporary file of this process and stops tracking it. */
function discard(tmp: string): void {
  removeQuietly(tmp);
  untrack(tmp);
}

/**
 * Whether the process that made a temporary file may still be running: a process with this id
 * exists (EPERM: under another user). With this process's own id, the file is from an earlier
 * process that had the same id (common in containers) when it is older than this process.
 */
function alive(pid: number, mtimeMs: number, now: number): boolean {
  if (pid === process.pid) return mtimeMs >= now - process.uptime() * 1000;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return codeOf(e) === "EPERM";
  }
}

/**
 * Removes the temporary files killed runs left in `folder`: names of the form
 * `.<name>.<pid>.<stamp>.tmp` whose process no longer runs, or older than
 * {@link STALE_TEMP_AGE_MS}. Returns the names removed. Never fails.
 */
export function cleanStaleTemps(folder: string, now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (m === null) continue;
    const path = join(folder, name);
    if (live.has(path)) continue;
    try {
      const st = lstatSync(path);
      if (!st.isFile()) continue;
      if (alive(Number(m[1]), st.mtimeMs, now) && now - st.mtimeMs < STALE_TEMP_AGE_MS) continue;
      unlinkSync(path);
      removed.push(name);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Writes `data` into a new temporary file next to `target`, with the mode (and, where permitted,
 * the owner and group) of the file it will replace, flushed to disk. Returns its path.
 */
function writeTemp(target: OutputTarget, data: string | Uint8Array): string {
  const tmp = tempPath(target.folder, basename(target.file));
  track(tmp);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, "wx", 0o666);
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    if (target.existing !== null) keepOwnerAndMode(fd, target.existing);
    fsyncSync(fd);
    closeSync(fd);
    return tmp;
  } catch (e) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the write error is the one to report
      }
    }
    discard(tmp);
    throw e;
  }
}

/** Gives the open file the owner, group and mode of `old`: chown as far as allowed, then chmod. */
function keepOwnerAndMode(fd: number, old: Stats): void {
  const now = fstatSync(fd);
  if (now.uid !== old.uid || now.gid !== old.gid) {
    try {
      fchownSync(fd, old.uid, old.gid);
    } catch {
      // not root: keep our owner, but the group may still be one of ours
      try {
        if (now.gid !== old.gid) fchownSync(fd, now.uid, old.gid);
      } catch {
        // EPERM: the new file belongs to this user, as a new file would
      }
    }
  }
  // after chown, which clears set-id bits
  try {
    fchmodSync(fd, old.mode & 0o7777);
  } catch {
    // a file system without modes
  }
}

/** Flushes a folder's entries (the renames) to disk; some systems cannot, which is harmless. */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not supported here
  }
}

/** A copy of `file` under a temporary name, to put back if a later rename fails. */
function backup(target: OutputTarget): string {
  const bak = tempPath(target.folder, basename(target.file));
  track(bak);
  try {
    linkSync(target.file, bak);
  } catch {
    try {
      copyFileSync(target.file, bak, constants.COPYFILE_EXCL);
    } catch (e) {
      discard(bak);
      throw e;
    }
  }
  return bak;
}

/**
 * Writes a file atomically: the target ends as the complete new content or stays as it was.
 * Links are written through; a special file, a folder or an input of the run is refused (see
 * {@link resolveOutput}); a replaced file keeps its mode and, where permitted, its owner.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: OutputOptions = {}): void {
  writeFilesAtomic([{ path, data }], options);
}

/**
 * Writes several files all or none. Every file is checked, then written to a temporary file; only
 * when all are written are they renamed into place. If a rename fails, the files already renamed
 * are put back (their earlier content, kept as a hard link or copy, or removed if they were new),
 * so on any error every file is as it was before the call. Each file is always complete, old or
 * new; only a crash (power loss, SIGKILL) between two renames can leave some files new and others
 * old. Throws a {@link FileError}.
 */
export function writeFilesAtomic(files: readonly OutputFile[], options: OutputOptions = {}): void {
  const targets = files.map((f) => resolveOutput(f.path, options));
  sameFileTwice(targets);
  for (const folder of new Set(targets.map((t) => t.folder))) cleanStaleTemps(folder);
  const temps: string[] = [];
  const backups: (string | null)[] = [];
  const renamed: number[] = [];
  let at = 0;
  try {
    for (; at < files.length; at++) temps.push(writeTemp(targets[at]!, files[at]!.data));
    // one file needs no backup: its rename is the only step that changes anything
    if (files.length > 1)
      for (at = 0; at < files.length; at++) backups.push(targets[at]!.existing !== null ? backup(targets[at]!) : null);
    for (at = 0; at < files.length; at++) {
      renameSync(temps[at]!, targets[at]!.file);
      untrack(temps[at]!);
      renamed.push(at);
    }
  } catch (e) {
    const notRestored = rollBack(targets, backups, renamed);
    for (const t of [...temps, ...backups]) if (t !== null && live.has(t)) discard(t);
    const path = targets[Math.min(at, targets.length - 1)]!.path;
    const none = files.length === 1 ? "The file was not changed." : `None of the ${files.length} files was changed.`;
    const partly =
      notRestored.length > 0
        ? ` Could not put back the earlier ${notRestored.join(", ")}; they hold the new content.`
        : "";
    throw new FileError(
      path,
      `Cannot write ${path}: ${reason(e)}. ${notRestored.length > 0 ? "" : none}${partly}`.trimEnd(),
      "write",
    );
  }
  for (const b of backups) if (b !== null) discard(b);
  for (const folder of new Set(targets.map((t) => t.folder))) syncFolder(folder);
}

/** Puts back the files already renamed; returns the paths it could not restore. */
function rollBack(
  targets: readonly OutputTarget[],
  backups: readonly (string | null)[],
  renamed: readonly number[],
): string[] {
  const failed: string[] = [];
  for (const i of [...renamed].reverse()) {
    const t = targets[i]!;
    const bak = backups[i] ?? null;
    try {
      if (bak !== null) {
        renameSync(bak, t.file);
        untrack(bak);
      } else unlinkSync(t.file);
    } catch {
      failed.push(t.path);
    }
  }
  return failed;
}
