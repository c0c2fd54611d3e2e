/**
 * On a narrow screen (a phone) the controls fold into one bar above the diagram — the network and
 * the chosen parameter, and a tap opens them — so the diagram and the derivation come first and
 * nothing sits over them. On a wide screen the controls are always open beside the stage.
 */
import { el } from "./dom.js";

/** Narrower than this, the page is one column and the controls fold. */
export const NARROW = "(max-width: 800px)";

/** The fold of a controls panel. */
export class ControlsFold {
  readonly button: HTMLButtonElement;
  private readonly what: HTMLElement;

  constructor(private readonly panel: HTMLElement) {
    this.what = el("span", { class: "fold-what" });
    this.button = el(
      "button",
      { type: "button", class: "fold", id: `${panel.id}-toggle`, "aria-controls": panel.id, "aria-expanded": "false" },
      this.what,
      el("span", { class: "fold-hint", "aria-hidden": "true" }),
    );
    this.button.addEventListener("click", () => this.open(this.panel.dataset.folded === "true"));
    const narrow = window.matchMedia(NARROW);
    // folded on a phone when the page opens, open when it grows wide
    this.open(!narrow.matches);
    narrow.addEventListener("change", (e) => this.open(!e.matches));
  }

  /** Opens (true) or folds the controls. */
  open(open: boolean): void {
    this.panel.dataset.folded = String(!open);
    this.button.setAttribute("aria-expanded", String(open));
  }

  /** What the folded bar says: the network and the parameter (trusted KaTeX HTML). */
  show(html: string): void {
    this.what.innerHTML = html;
  }
}
