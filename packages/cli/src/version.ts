/**
 * The chainrule version, read from this package's package.json — the one place it is written (the
 * packages are released together, with one version; the consumer test holds them equal).
 */
import { readFileSync } from "node:fs";

/** The version of @chainrule/cli (from src/ and dist/ alike, package.json is one folder up). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;
