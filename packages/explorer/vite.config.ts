/**
 * The explorer's browser bundle, written into the CLI package (packages/cli/dist/explorer): the
 * published @chainrule/cli carries the page, and `chainrule serve` serves it from there.
 * Workspace packages resolve to their TypeScript source (the `@chainrule/source` export
 * condition), so the bundle never lags behind a stale dist/. Their main entries import no node
 * module (file I/O is their `/node` entries): an import of one fails the build, naming the
 * importer, instead of being replaced by a stand-in.
 */
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

/** Fails the build on any import of a node built-in: the page runs in a browser only. */
const noNodeModules: Plugin = {
  name: "chainrule:no-node-modules",
  enforce: "pre",
  resolveId(id, importer) {
    if (id.startsWith("node:"))
      this.error(
        `${importer ?? "the page"} imports ${id}: the explorer runs in a browser; take file I/O from a package's /node entry only in node code.`,
      );
    return null;
  },
};

export default defineConfig({
  // relative asset URLs: the page works wherever `chainrule serve` (or any static server) puts it
  base: "./",
  plugins: [noNodeModules],
  resolve: {
    conditions: ["@chainrule/source", "module", "browser", "development|production"],
  },
  worker: { format: "es" },
  build: {
    outDir: fileURLToPath(new URL("../cli/dist/explorer", import.meta.url)),
    // outside this package's folder: emptied only because told so (it holds the page alone)
    emptyOutDir: true,
    target: "es2022",
    // KaTeX's fonts stay files next to the stylesheet: served by `chainrule serve`, fetched only when used
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
});
