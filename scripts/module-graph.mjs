// The module graph of an entry file, read from the text of its modules (no bundler): follows
// relative imports (a `.js` specifier finds the `.ts` source beside it), workers started with
// `new URL("./x.ts", import.meta.url)`, and @chainrule packages through their package.json
// `exports` under the given conditions; other packages are listed, not followed. Used to show
// that a browser entry imports no node module: its tests scan the source, the consumer test the
// installed dist. Comments are ignored; type-only imports count (their types would need node's).
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";

const IMPORTS = [
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w*$]+\s*,?\s*)?(?:\{[^}]*\}\s*)?(?:\*\s*as\s+[\w$]+\s*)?from\s*["']([^"'\s]+)["']/g,
  /\bimport\s*["']([^"'\s]+)["']/g,
  /\bimport\s*\(\s*["']([^"'\s]+)["']\s*\)/g,
  /\bnew\s+URL\(\s*["'](\.{1,2}\/[^"']+\.m?[jt]s)["']\s*,\s*import\.meta\.url\s*\)/g,
];
/** Node's globals, which a browser does not have. */
const NODE_GLOBALS = /\b(process\.[A-Za-z]\w*|Buffer\.[A-Za-z]\w*|__dirname\b|__filename\b|require(?=\s*\(\s*["']))/g;

/** Whether a specifier names a node built-in module. */
export function isNodeBuiltin(specifier) {
  return specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0]);
}

/** Source text without comments (strings are kept; a `//` inside one may cut a line short). */
function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/** The file a relative specifier names: as written, or the TypeScript source of a .js/.mjs name. */
function relativeFile(from, specifier) {
  const p = resolve(dirname(from), specifier);
  for (const c of [p, p.replace(/\.js$/, ".ts"), p.replace(/\.mjs$/, ".mts")]) if (existsSync(c)) return c;
  throw new Error(`${from}: cannot find ${specifier}`);
}

/** The folder of an installed package, looked up from `from` as node does (node_modules upwards). */
function packageDir(name, from) {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const p = join(dir, "node_modules", name);
    if (existsSync(join(p, "package.json"))) return realpathSync(p);
    if (dirname(dir) === dir) throw new Error(`${from}: cannot find the package ${name}`);
  }
}

/** The target of an `exports` entry under the conditions (the first key that matches, in order). */
function target(entry, conditions) {
  if (typeof entry === "string") return entry;
  if (entry === null || typeof entry !== "object") return null;
  for (const [key, value] of Object.entries(entry)) {
    if (!conditions.includes(key)) continue;
    const t = target(value, conditions);
    if (t !== null) return t;
  }
  return null;
}

/** The file an @chainrule/… specifier names. */
function packageFile(specifier, from, conditions) {
  const [scope, name, ...rest] = specifier.split("/");
  const dir = packageDir(`${scope}/${name}`, from);
  const json = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const sub = rest.length === 0 ? "." : `./${rest.join("/")}`;
  const t = target(json.exports?.[sub], conditions);
  if (t === null) throw new Error(`${from}: ${specifier} is not exported under ${conditions.join(", ")}`);
  return join(dir, t);
}

/**
 * The modules `entry` reaches and what in them needs node: `node` lists each import of a node
 * built-in (`node:fs`, `path`, …) with the file that has it, `globals` each use of a node global
 * (process, Buffer, require, __dirname), `packages` the other packages imported (not followed).
 * `conditions` are the export conditions for @chainrule packages, in order of preference.
 */
export function moduleGraph(entry, conditions = ["@chainrule/source", "import", "default"]) {
  const files = [];
  const node = [];
  const globals = [];
  const packages = new Set();
  const seen = new Set();
  const queue = [resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    files.push(file);
    const text = code(readFileSync(file, "utf8"));
    for (const m of text.matchAll(NODE_GLOBALS)) globals.push({ file, name: m[1] });
    for (const re of IMPORTS) {
      for (const m of text.matchAll(re)) {
        const s = m[1];
        if (isNodeBuiltin(s)) node.push({ file, specifier: s });
        else if (s.startsWith(".")) queue.push(relativeFile(file, s));
        else if (s.startsWith("@chainrule/")) queue.push(packageFile(s, file, conditions));
        else packages.add(s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]);
      }
    }
  }
  return { files, node, globals, packages };
}
