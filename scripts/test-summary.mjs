// Prints the plain closing line of a test run ("N passed, N failed") from vitest's JSON reports
// (one per tier; default test-artifacts/fast.json and test-artifacts/slow.json).
import { readFileSync } from "node:fs";

const files =
  process.argv.length > 2 ? process.argv.slice(2) : ["test-artifacts/fast.json", "test-artifacts/slow.json"];
const reports = files.map((f) => JSON.parse(readFileSync(f, "utf8")));
const sum = (k) => reports.reduce((s, r) => s + r[k], 0);
const skipped = sum("numPendingTests") + sum("numTodoTests");
console.log(
  `tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed${skipped ? `, ${skipped} skipped` : ""}`,
);
process.exitCode = sum("numFailedTests") > 0 || sum("numTotalTests") === 0 ? 1 : 0;
