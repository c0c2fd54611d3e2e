/**
 * The explorer page's entry. The derivation worker is started before anything else — it loads
 * core and viz while the page builds its controls — and serves the first request; the train
 * mode's code is loaded the first time it is opened.
 */
// first: the worker starts when this module is evaluated
import { earlyWorker } from "./spawn.js";
import { startExplorer } from "./page/app.js";

startExplorer(earlyWorker);
