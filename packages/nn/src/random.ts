/**
 * nn's seeded generator is core's: xoshiro128** seeded through splitmix32, one seed driving the
 * data, initialisation and training streams ({@link seedStream}). Re-exported so that nn's API
 * keeps them.
 */
export { MAX_SEED, Random, SEED_PURPOSES, checkSeed, isRandomState, seedStream, type RandomState, type SeedPurpose } from "@chainrule/core";
