/**
 * The page's two modes: the derivation (built at once) and training (built, and its code loaded,
 * the first time it is opened). Tests and the benchmark read `window.chainrule.readiness` to know
 * when the first derivation is on screen.
 */
import { DerivationPage, type Readiness } from "./derivation-page.js";
import { byId } from "./dom.js";

declare global {
  interface Window {
    /** When the first derivation was on screen (for tests and the benchmark). */
    chainrule?: { readonly readiness: Readiness };
  }
}

/** Builds the page; `spawn` makes derivation workers. */
export function startExplorer(spawn: () => Worker): void {
  const derivation = new DerivationPage(spawn);
  window.chainrule = { readiness: derivation.readiness };
  let training: Promise<unknown> | null = null;
  const open = (mode: "derive" | "train") => {
    for (const m of ["derive", "train"] as const) {
      byId(`${m}-mode`).hidden = m !== mode;
      byId(`mode-${m}`).setAttribute("aria-selected", String(m === mode));
    }
    document.body.dataset["mode"] = mode;
    if (mode === "train") {
      training ??= import("./train-page.js").then(({ TrainPage }) => {
        const page = new TrainPage();
        document.body.dataset["trainReady"] = "true";
        return page;
      });
    }
  };
  byId("mode-derive").addEventListener("click", () => open("derive"));
  byId("mode-train").addEventListener("click", () => open("train"));
  open("derive");
}
