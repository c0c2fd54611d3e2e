import { defineConfig } from "vitest/config";

// Tests run against each package's TypeScript source, never a stale dist/.
const conditions = ["@chainrule/source", "import", "module", "node", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@chainrule/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    pool: "threads",
    testTimeout: 60_000,
  },
});
