/** Whether a specifier names a node built-in module. */
export function isNodeBuiltin(specifier: string): boolean;

/** What {@link moduleGraph} finds. */
export interface ModuleGraph {
  /** Every module reached, the entry first. */
  readonly files: readonly string[];
  /** Each import of a node built-in, with the file that has it. */
  readonly node: readonly { readonly file: string; readonly specifier: string }[];
  /** Each use of a node global (process, Buffer, require, __dirname, __filename). */
  readonly globals: readonly { readonly file: string; readonly name: string }[];
  /** The other packages imported, not followed. */
  readonly packages: ReadonlySet<string>;
}

/** The module graph of an entry file (see scripts/module-graph.mjs). */
export function moduleGraph(entry: string, conditions?: readonly string[]): ModuleGraph;
