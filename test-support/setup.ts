/** Every test file's set-up: property tests without their own count try `runs(100)` cases. */
import fc from "fast-check";
import { runs } from "./properties.js";

fc.configureGlobal({ numRuns: runs(100) });
