import { defineConfig } from "vitest/config";

// Tests run against each package's TypeScript source, never a stale dist/.
const conditions = ["@chainrule/source", "import", "module", "node", "default"];

/**
 * The slow tier: tests that drive Chromium or pdflatex, or run the built command and examples as
 * child processes. `pnpm test` runs the fast tier (unit, property and in-process CLI tests),
 * `pnpm run test:slow` this one, `pnpm run test:all` (and `.ci/run`) both. A new test that needs a
 * browser, LaTeX or a child process (python3 included) belongs here. The scripts run the fast tier
 * on two workers and this one on one, so a browser test never waits on a machine busy with property tests.
 */
export const SLOW_TESTS = [
  "packages/viz/test/pdflatex.test.ts",
  "packages/viz/test/html-browser.test.ts",
  "packages/viz/test/diagram-browser.test.ts",
  "packages/viz/test/diagram-pdflatex.test.ts",
  "packages/viz/test/layout.test.ts",
  "packages/explorer/test/explorer-browser.test.ts",
  "packages/explorer/test/phone-browser.test.ts",
  "packages/explorer/test/serve-process.test.ts",
  "packages/nn/test/atomic-process.test.ts",
  "packages/cli/test/nn-process.test.ts",
  "packages/cli/test/examples.test.ts",
  "packages/cli/test/readme.test.ts",
  "packages/cli/test/compile.test.ts",
  "packages/cli/test/demo.test.ts",
  "packages/core/test/module.test.ts",
  "packages/core/test/numpy.test.ts",
  "packages/cli/test/numpy-target.test.ts",
];

/**
 * Fast-tier files that replace module functions (vi.mock, vi.spyOn), fake timers or globals, or
 * change a module's settings: they run isolated, each in a fresh module graph. The other fast
 * files share their worker's modules (isolate: false), which halves the tier's time; a new test
 * that mocks or changes module state belongs in this list.
 */
export const ISOLATED_TESTS = [
  "packages/cli/test/hostile-args.test.ts",
  "packages/cli/test/size-guards.test.ts",
  "packages/explorer/test/session.test.ts",
  "packages/explorer/test/validate.test.ts",
  "packages/explorer/test/worker-client.test.ts",
  "packages/nn/test/engine-layers.test.ts",
  "packages/nn/test/hostile-input.test.ts",
  "packages/nn/test/wasm-kernels.test.ts",
];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@chainrule/source"] } },
  test: {
    pool: "threads",
    // property tests try fewer cases outside CI (test-support/properties.ts)
    setupFiles: ["test-support/setup.ts"],
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "fast",
          include: ["packages/*/test/**/*.test.ts"],
          exclude: [...SLOW_TESTS, ...ISOLATED_TESTS],
          isolate: false,
        },
      },
      { extends: true, test: { name: "fast-isolated", include: ISOLATED_TESTS } },
      { extends: true, test: { name: "slow", include: SLOW_TESTS } },
    ],
  },
});
