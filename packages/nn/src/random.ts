/**
 * nn's seeded generator is core's: xoshiro128** seeded through splitmix32, one seed driving the
 * data, initialisation and training streams ({@link seedStream}). Re-exported so that nn's API
 * keeps them.
 */
export {
  checkSeed,
  isRandomState,
  MAX_SEED,
  Random,
  type RandomState,
  SEED_PURPOSES,
  type SeedPurpose,
  seedStream,
} from "@chainrule/core";
