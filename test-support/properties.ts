/**
 * How many cases a property test tries. A CI run (CI=true, as `.ci/run` sets) tries every
 * property's full count; the everyday fast tier (`pnpm test`) tries a quarter of it, at least ten,
 * so the edit–test loop stays short while every CI run keeps the full search. PROPERTY_SCALE
 * overrides both (PROPERTY_SCALE=1 runs the full counts locally; 4 searches four times as long).
 */
const given = process.env.PROPERTY_SCALE;

/** The factor every property's count is scaled by. */
export const PROPERTY_SCALE: number =
  given !== undefined && given !== "" && Number.isFinite(Number(given)) && Number(given) > 0
    ? Number(given)
    : process.env.CI === "true"
      ? 1
      : 0.25;

/** A property's case count `n`, scaled: `{ numRuns: runs(150) }`. */
export function runs(n: number): number {
  return Math.max(Math.min(n, 10), Math.round(n * PROPERTY_SCALE));
}
