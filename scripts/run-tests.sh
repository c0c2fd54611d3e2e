#!/usr/bin/env bash
# Both test tiers, as CI runs them: the fast one on two workers, the slow one (browsers, pdflatex,
# child processes) on one, so no browser test waits on a machine busy with property tests. Both
# always run; the summary line counts both, and the exit code fails if either failed.
set -uo pipefail
cd "$(dirname "$0")/.."
npx vitest run --project fast --project fast-isolated --maxWorkers=2 --reporter=default --reporter=json --outputFile.json=test-artifacts/fast.json
fast=$?
npx vitest run --project slow --maxWorkers=1 --reporter=default --reporter=json --outputFile.json=test-artifacts/slow.json
slow=$?
node scripts/test-summary.mjs || true
[ "$fast" -eq 0 ] && [ "$slow" -eq 0 ]
