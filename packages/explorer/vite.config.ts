/**
 * The explorer's browser bundle, written into the CLI package (packages/cli/dist/explorer): the
 * published @chainrule/cli carries the page, and `chainrule serve` serves it from there.
 * Workspace packages resolve to their TypeScript source (the `@chainrule/source` export
 * condition), so the bundle never lags behind a stale dist/. The few
 * node-only modules they import (file IO in nn, KaTeX's stylesheet reader in viz) are aliased to a
 * stub that throws if called: the page never calls them.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const stub = fileURLToPath(new URL("./src/node-stub.ts", import.meta.url));

export default defineConfig({
  // relative asset URLs: the page works wherever `chainrule serve` (or any static server) puts it
  base: "./",
  resolve: {
    conditions: ["@chainrule/source", "module", "browser", "development|production"],
    alias: [{ find: /^node:(fs|path|module)$/, replacement: stub }],
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
