/**
 * Saves that keep what is there: links written through, special files and folders refused, inputs
 * of the run protected, mode and owner kept, the folder proved writable first, temporary files
 * never left behind (and those of killed runs cleaned), several files written all or none.
 */

import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileError } from "../src/index.js";
import {
  checkOutput,
  checkOutputs,
  cleanStaleTemps,
  resolveOutput,
  STALE_TEMP_AGE_MS,
  writeFileAtomic,
  writeFilesAtomic,
} from "../src/node.js";
import { deadPid, isRoot, makeUnwritable, mkfifo, temps, unixSocket, withFsPatched } from "./fs-fixtures.js";

const root = mkdtempSync(join(tmpdir(), "chainrule-atomic-"));
let n = 0;
/** A fresh empty folder for one test. */
const fresh = () => {
  const d = join(root, String(n++));
  mkdirSync(d);
  return d;
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The error `f` throws (it must throw). */
function thrown(f: () => unknown): FileError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FileError);
    return e as FileError;
  }
  throw new Error("expected a FileError");
}

describe("links", () => {
  it("writes through a symbolic link: the file it names gets the data, the link stays a link", () => {
    const d = fresh();
    writeFileSync(join(d, "real.json"), "old");
    symlinkSync("real.json", join(d, "link.json"));
    writeFileAtomic(join(d, "link.json"), "new");
    expect(lstatSync(join(d, "link.json")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, "link.json"))).toBe("real.json");
    expect(readFileSync(join(d, "real.json"), "utf8")).toBe("new");
    expect(temps(d)).toEqual([]);
  });

  it("follows a chain of links into another folder, relative to each link's own folder", () => {
    const d = fresh();
    mkdirSync(join(d, "a"));
    mkdirSync(join(d, "b"));
    writeFileSync(join(d, "b", "model.json"), "old");
    symlinkSync("../b/model.json", join(d, "a", "one"));
    symlinkSync("a/one", join(d, "two"));
    expect(resolveOutput(join(d, "two")).folder).toBe(join(d, "b"));
    writeFileAtomic(join(d, "two"), "new");
    expect(readFileSync(join(d, "b", "model.json"), "utf8")).toBe("new");
    expect(lstatSync(join(d, "two")).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(d, "a", "one")).isSymbolicLink()).toBe(true);
    expect(temps(join(d, "b"))).toEqual([]);
  });

  it("creates the file a dangling link names", () => {
    const d = fresh();
    symlinkSync("later.json", join(d, "link.json"));
    writeFileAtomic(join(d, "link.json"), "made");
    expect(readFileSync(join(d, "later.json"), "utf8")).toBe("made");
    expect(lstatSync(join(d, "link.json")).isSymbolicLink()).toBe(true);
  });

  it("refuses a loop of links", () => {
    const d = fresh();
    symlinkSync("b", join(d, "a"));
    symlinkSync("a", join(d, "b"));
    const e = thrown(() => writeFileAtomic(join(d, "a"), "x"));
    expect(e.problem).toBe("link-loop");
    expect(e.message).toMatch(/symbolic links form a loop/);
  });
});

describe("targets that are not regular files", () => {
  it("refuses a named pipe in one line that says what it is and what to do, and leaves it a pipe", () => {
    const d = fresh();
    mkfifo(join(d, "pipe"));
    const e = thrown(() => writeFileAtomic(join(d, "pipe"), "x"));
    expect(e.problem).toBe("special");
    expect(e.message).toBe(
      `Cannot write ${join(d, "pipe")}: it is a named pipe (FIFO), not a regular file. A save replaces a file whole; give the path of a regular file or a new one.`,
    );
    expect(lstatSync(join(d, "pipe")).isFIFO()).toBe(true);
    expect(temps(d)).toEqual([]);
  });

  it("refuses a link to a named pipe, naming where the link leads", () => {
    const d = fresh();
    mkfifo(join(d, "pipe"));
    symlinkSync("pipe", join(d, "link"));
    const e = thrown(() => checkOutput(join(d, "link")));
    expect(e.problem).toBe("special");
    expect(e.message).toContain(`(the link leads to ${join(d, "pipe")})`);
    expect(lstatSync(join(d, "pipe")).isFIFO()).toBe(true);
  });

  it("refuses a socket", async () => {
    const d = fresh();
    const server = await unixSocket(join(d, "sock"));
    try {
      const e = thrown(() => writeFileAtomic(join(d, "sock"), "x"));
      expect(e.problem).toBe("special");
      expect(e.message).toMatch(/it is a socket, not a regular file/);
      expect(lstatSync(join(d, "sock")).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });

  it("refuses a folder, and a link to one", () => {
    const d = fresh();
    mkdirSync(join(d, "sub"));
    symlinkSync("sub", join(d, "link"));
    for (const p of [join(d, "sub"), join(d, "link")]) {
      const e = thrown(() => writeFileAtomic(p, "x"));
      expect(e.problem).toBe("folder");
      expect(e.message).toMatch(/it is a folder.*Give a file name inside it/);
    }
    expect(statSync(join(d, "sub")).isDirectory()).toBe(true);
  });

  it("refuses a missing folder, and a path under a regular file", () => {
    const d = fresh();
    writeFileSync(join(d, "file"), "x");
    expect(thrown(() => checkOutput(join(d, "missing", "m.json"))).message).toMatch(
      /the folder .*missing does not exist. Create it first/,
    );
    const under = thrown(() => checkOutput(join(d, "file", "m.json")));
    expect(under.problem).toBe("no-folder");
    expect(under.message).toMatch(/is not a folder/);
  });
});

describe("inputs of the run", () => {
  it("refuses a target that is an input, however the path is spelled: the same name, ./name, a link, a hard link", () => {
    const d = fresh();
    const data = join(d, "d.csv");
    writeFileSync(data, "x1,y1\n1,2\n");
    symlinkSync("d.csv", join(d, "soft.csv"));
    linkSync(data, join(d, "hard.csv"));
    const inputs = [{ option: "--data", path: data }];
    for (const p of [
      data,
      join(d, ".", "d.csv"),
      join(d, "sub", "..", "d.csv"),
      join(d, "soft.csv"),
      join(d, "hard.csv"),
    ]) {
      if (p.includes("sub")) mkdirSync(join(d, "sub"), { recursive: true });
      const e = thrown(() => writeFileAtomic(p, "model", { inputs, option: "--save" }));
      expect(e.problem).toBe("input");
      expect(e.message).toMatch(
        /the same file as --data .*d\.csv, which this run reads, and saving would overwrite it. Give --save another path.$/,
      );
    }
    expect(readFileSync(data, "utf8")).toBe("x1,y1\n1,2\n");
    expect(temps(d)).toEqual([]);
  });

  it("allows a file that is not an input (a --model retrained in place is passed as no input)", () => {
    const d = fresh();
    writeFileSync(join(d, "m.json"), "old");
    writeFileSync(join(d, "d.csv"), "data");
    writeFileAtomic(join(d, "m.json"), "new", { inputs: [{ option: "--data", path: join(d, "d.csv") }] });
    expect(readFileSync(join(d, "m.json"), "utf8")).toBe("new");
  });

  it("refuses two outputs that land on the same file", () => {
    const d = fresh();
    symlinkSync("a.txt", join(d, "b.txt"));
    writeFileSync(join(d, "a.txt"), "old");
    expect(() => checkOutputs([join(d, "a.txt"), join(d, "b.txt")])).toThrow(/the same file as .*a\.txt/);
    expect(() =>
      writeFilesAtomic([
        { path: join(d, "a.txt"), data: "1" },
        { path: join(d, "b.txt"), data: "2" },
      ]),
    ).toThrow(FileError);
    expect(readFileSync(join(d, "a.txt"), "utf8")).toBe("old");
  });
});

describe("mode and owner", () => {
  it("keeps the mode of a replaced file (0600 stays 0600, 0755 stays 0755, 0444 stays 0444)", () => {
    const d = fresh();
    for (const mode of [0o600, 0o755, 0o444, 0o640]) {
      const p = join(d, `m${mode.toString(8)}`);
      writeFileSync(p, "old");
      chmodSync(p, mode);
      writeFileAtomic(p, "new");
      expect(statSync(p).mode & 0o7777).toBe(mode);
      expect(readFileSync(p, "utf8")).toBe("new");
    }
  });

  it("gives a new file the mode of any new file (0666 less the umask)", () => {
    const d = fresh();
    writeFileAtomic(join(d, "new"), "x");
    const mask = process.umask();
    expect(statSync(join(d, "new")).mode & 0o777).toBe(0o666 & ~mask);
  });

  it("keeps the owner and group of a replaced file when running as root (and never fails for lack of permission otherwise)", () => {
    const d = fresh();
    const p = join(d, "owned");
    writeFileSync(p, "old");
    if (isRoot) chownSync(p, 4321, 4322);
    const before = statSync(p);
    writeFileAtomic(p, "new");
    const after = statSync(p);
    expect([after.uid, after.gid]).toEqual([before.uid, before.gid]);
    expect(readFileSync(p, "utf8")).toBe("new");
  });
});

describe("checks before any work", () => {
  it("proves the folder writable, leaving nothing behind", () => {
    const d = fresh();
    const t = checkOutput(join(d, "m.json"));
    expect(t.existing).toBeNull();
    expect(temps(d)).toEqual([]);
  });

  it("refuses an unwritable folder before anything is written", (ctx) => {
    const d = fresh();
    const ro = join(d, "ro");
    mkdirSync(ro);
    const made = makeUnwritable(ro);
    if ("skip" in made) return ctx.skip(made.skip);
    try {
      const e = thrown(() => checkOutput(join(ro, "m.json")));
      expect(e.problem).toBe("unwritable");
      expect(e.message).toMatch(
        /the folder .*ro is not writable \(permission denied\)\. Choose another folder, or make it writable\.$/,
      );
      expect(() => writeFileAtomic(join(ro, "m.json"), "x")).toThrow(FileError);
    } finally {
      made.undo();
    }
  });
});

describe("temporary files", () => {
  it("are removed when the write fails, and the target keeps its content", () => {
    const d = fresh();
    const p = join(d, "m.json");
    writeFileSync(p, "old");
    const e = withFsPatched(
      "fsyncSync",
      () => {
        throw Object.assign(new Error("no space"), { code: "ENOSPC" });
      },
      () => thrown(() => writeFileAtomic(p, "new")),
    );
    expect(e.message).toBe(`Cannot write ${p}: the disk is full. The file was not changed.`);
    expect(readFileSync(p, "utf8")).toBe("old");
    expect(temps(d)).toEqual([]);
  });

  it("left by killed runs are cleaned on the next save into the folder: a dead pid, or older than the age limit", () => {
    const d = fresh();
    const dead = `.m.json.${deadPid()}.lz0k1x-0.tmp`;
    const deadOldStyle = `.derivation.tex.${deadPid()}.lz0k1x.tmp`;
    const liveFresh = `.m.json.${process.ppid}.lz0k1x-1.tmp`;
    const liveOld = `.other.json.${process.ppid}.lz0k1x-2.tmp`;
    const notOurs = [".m.json.tmp", "notes.tmp", ".m.json.abc.x.tmp"];
    for (const f of [dead, deadOldStyle, liveFresh, liveOld, ...notOurs]) writeFileSync(join(d, f), "partial");
    const old = (Date.now() - STALE_TEMP_AGE_MS - 60_000) / 1000;
    utimesSync(join(d, liveOld), old, old);
    writeFileAtomic(join(d, "m.json"), "new");
    expect(temps(d).sort()).toEqual([liveFresh, ...notOurs].sort());
    expect(cleanStaleTemps(d)).toEqual([]);
  });

  it("with this process's id are stale when older than this process (a reused pid), kept when newer (another thread's)", () => {
    const d = fresh();
    const earlier = `.m.json.${process.pid}.lz0k1x-8.tmp`;
    const sibling = `.m.json.${process.pid}.lz0k1x-9.tmp`;
    writeFileSync(join(d, earlier), "partial");
    writeFileSync(join(d, sibling), "partial");
    const before = (Date.now() - process.uptime() * 1000 - 5_000) / 1000;
    utimesSync(join(d, earlier), before, before);
    expect(cleanStaleTemps(d)).toEqual([earlier]);
    expect(temps(d)).toEqual([sibling]);
  });
});

describe("several files, all or none", () => {
  const three = (d: string) => [
    { path: join(d, "a.txt"), data: "new a" },
    { path: join(d, "b.txt"), data: "new b" },
    { path: join(d, "c.txt"), data: "new c" },
  ];

  it("writes every file", () => {
    const d = fresh();
    writeFileSync(join(d, "b.txt"), "old b");
    writeFilesAtomic(three(d));
    expect(["a.txt", "b.txt", "c.txt"].map((f) => readFileSync(join(d, f), "utf8"))).toEqual([
      "new a",
      "new b",
      "new c",
    ]);
    expect(temps(d)).toEqual([]);
  });

  it("refuses them all, writing nothing, when one target is special", () => {
    const d = fresh();
    writeFileSync(join(d, "a.txt"), "old a");
    mkfifo(join(d, "b.txt"));
    expect(() => writeFilesAtomic(three(d))).toThrow(/named pipe/);
    expect(readFileSync(join(d, "a.txt"), "utf8")).toBe("old a");
    expect(() => statSync(join(d, "c.txt"))).toThrow();
    expect(temps(d)).toEqual([]);
  });

  it("puts back the files already renamed when a later rename fails: earlier contents restored, new files removed", () => {
    const d = fresh();
    writeFileSync(join(d, "a.txt"), "old a");
    chmodSync(join(d, "a.txt"), 0o600);
    writeFileSync(join(d, "c.txt"), "old c");
    let renames = 0;
    const e = withFsPatched(
      "renameSync",
      (rename, from, to) => {
        // the third rename into place fails; the roll-back's renames go through
        if (to === join(d, "c.txt") && ++renames === 1) throw Object.assign(new Error("I/O error"), { code: "EIO" });
        return rename(from, to);
      },
      () => thrown(() => writeFilesAtomic(three(d))),
    );
    expect(e.message).toMatch(/^Cannot write .*c\.txt: I\/O error\. None of the 3 files was changed\.$/);
    expect(readFileSync(join(d, "a.txt"), "utf8")).toBe("old a");
    expect(statSync(join(d, "a.txt")).mode & 0o777).toBe(0o600);
    expect(() => statSync(join(d, "b.txt"))).toThrow();
    expect(readFileSync(join(d, "c.txt"), "utf8")).toBe("old c");
    expect(temps(d)).toEqual([]);
  });
});
