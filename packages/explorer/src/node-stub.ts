/**
 * Stand-ins for the node built-ins (`node:fs`, `node:path`, `node:module`) that nn's file IO and
 * viz's KaTeX stylesheet reader import. The browser bundle aliases those modules here: importing
 * them is harmless, calling them throws, and the explorer never calls them.
 */

function unavailable(name: string): never {
  throw new Error(`chainrule explorer: ${name} is not available in the browser.`);
}

/** A stand-in that throws when called. */
function missing(name: string): (...args: unknown[]) => never {
  return () => unavailable(name);
}

/** `node:fs`, as nn's file IO imports it: every function throws when called. */
export const closeSync = missing("fs.closeSync"),
  copyFileSync = missing("fs.copyFileSync"),
  fchmodSync = missing("fs.fchmodSync"),
  fchownSync = missing("fs.fchownSync"),
  fstatSync = missing("fs.fstatSync"),
  fsyncSync = missing("fs.fsyncSync"),
  linkSync = missing("fs.linkSync"),
  lstatSync = missing("fs.lstatSync"),
  openSync = missing("fs.openSync"),
  readdirSync = missing("fs.readdirSync"),
  readFileSync = missing("fs.readFileSync"),
  readSync = missing("fs.readSync"),
  readlinkSync = missing("fs.readlinkSync"),
  realpathSync = missing("fs.realpathSync"),
  renameSync = missing("fs.renameSync"),
  statSync = missing("fs.statSync"),
  unlinkSync = missing("fs.unlinkSync"),
  writeSync = missing("fs.writeSync"),
  writeFileSync = missing("fs.writeFileSync"),
  existsSync = missing("fs.existsSync");

/** `fs.constants`, read only when a file is written. */
export const constants = { COPYFILE_EXCL: 1 };

/** `node:path`, as nn's file IO and viz's stylesheet reader import it: every function throws when called. */
export const basename = missing("path.basename"),
  dirname = missing("path.dirname"),
  join = missing("path.join"),
  resolve = missing("path.resolve");

// node:module — viz calls createRequire when its module loads, so this one must not throw
/** A `require` whose every use throws. */
export function createRequire(_from: string | URL): ((id: string) => never) & { resolve: (id: string) => never } {
  return Object.assign(missing("require"), { resolve: missing("require.resolve") });
}

/** The module object, for default imports of `node:module`. */
export default { createRequire };
