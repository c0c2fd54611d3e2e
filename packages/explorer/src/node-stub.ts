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

// node:fs
export const closeSync = missing("fs.closeSync");
export const fsyncSync = missing("fs.fsyncSync");
export const openSync = missing("fs.openSync");
export const readFileSync = missing("fs.readFileSync");
export const renameSync = missing("fs.renameSync");
export const statSync = missing("fs.statSync");
export const unlinkSync = missing("fs.unlinkSync");
export const writeSync = missing("fs.writeSync");
export const writeFileSync = missing("fs.writeFileSync");
export const existsSync = missing("fs.existsSync");

// node:path
export const basename = missing("path.basename");
export const dirname = missing("path.dirname");
export const join = missing("path.join");
export const resolve = missing("path.resolve");

// node:module — viz calls createRequire when its module loads, so this one must not throw
/** A `require` whose every use throws. */
export function createRequire(_from: string | URL): ((id: string) => never) & { resolve: (id: string) => never } {
  return Object.assign(missing("require"), { resolve: missing("require.resolve") });
}

export default { createRequire };
