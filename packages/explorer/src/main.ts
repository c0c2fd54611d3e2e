/**
 * The explorer page. The derivation worker starts first (importing the client starts it), the
 * derivation mode is built at once, and the train mode's code is loaded the first time it is
 * opened. After the first derivation is on screen the page fetches what it may still need — the
 * train mode's code and every KaTeX font — so it keeps working offline, without the server.
 */
// first: evaluating the client module starts the derivation worker

import { DerivationPage, type Readiness } from "./page/derivation-page.js";
import { byId } from "./page/dom.js";
import { earlyWorker } from "./worker-client.js";

declare global {
  interface Window {
    /** When the first derivation was on screen, and whether the page can go offline (for tests and the benchmark). */
    chainrule?: { readonly readiness: Readiness };
  }
}

const derivation = new DerivationPage(earlyWorker);
window.chainrule = { readiness: derivation.readiness };

/** The train mode's code, loaded once. */
const trainCode = () => import("./page/train-page.js");
let training: Promise<unknown> | null = null;

/** Shows one mode and hides the other; builds the train mode the first time. */
function open(mode: "derive" | "train"): void {
  for (const m of ["derive", "train"] as const) {
    byId(`${m}-mode`).hidden = m !== mode;
    byId(`mode-${m}`).setAttribute("aria-selected", String(m === mode));
  }
  document.body.dataset.mode = mode;
  if (mode === "train" && training === null) {
    training = trainCode().then(({ TrainPage }) => {
      const page = new TrainPage();
      document.body.dataset.trainReady = "true";
      return page;
    });
  }
}

byId("mode-derive").addEventListener("click", () => open("derive"));
byId("mode-train").addEventListener("click", () => open("train"));
open("derive");

// once the first derivation is shown, fetch the rest: nothing then needs the server
void derivation.firstRendered.then(async () => {
  const fonts = [...document.fonts].map((f) => f.load().catch(() => null));
  await Promise.all([trainCode(), ...fonts]);
  derivation.readiness.offline = true;
  document.body.dataset.offline = "ready";
});
