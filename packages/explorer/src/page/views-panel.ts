/**
 * The views of the derivation as tabs — chain rule, δ terms, matrix form, term count, worked
 * numbers, forward pass, notes — with the open one's KaTeX HTML, and the "copy LaTeX" buttons.
 */
import { VIEW_IDS, type ViewId } from "../state.js";
import { byId, el } from "./dom.js";

/** Tab titles. */
export const VIEW_TITLES: { readonly [K in ViewId]: string } = {
  chain: "Chain rule",
  delta: "δ terms",
  matrix: "Matrix form",
  count: "Term count",
  worked: "Worked numbers",
  network: "Forward pass",
  notes: "Notes",
};

/** The view tabs; `choose` is called with the tab picked. */
export function buildTabs(host: HTMLElement, current: ViewId, choose: (v: ViewId) => void): void {
  host.replaceChildren(
    ...VIEW_IDS.map((v) => {
      const b = el(
        "button",
        {
          type: "button",
          role: "tab",
          id: `tab-${v}`,
          "data-view": v,
          "aria-selected": String(v === current),
          "aria-controls": "view",
        },
        VIEW_TITLES[v],
      );
      b.addEventListener("click", () => choose(v));
      return b;
    }),
  );
  // arrow keys move between tabs, as in any tab list
  host.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const i = VIEW_IDS.indexOf(current);
    const next = VIEW_IDS[(i + (e.key === "ArrowRight" ? 1 : VIEW_IDS.length - 1)) % VIEW_IDS.length]!;
    choose(next);
    byId(`tab-${next}`).focus();
  });
}

/** One line above each view: what it shows. */
export const VIEW_HINTS: { readonly [K in ViewId]: string } = {
  chain:
    "The chosen parameter's chains: one product per path, in its path's colour and with its number; the other parameters' chains are in the δ terms.",
  delta: "One δ per weighted sum, computed once and reused by every chain through it.",
  matrix: "A layer at a time: vectors are columns, ⊙ is the element-wise product.",
  count: "Parameters, paths and chain factors, counted without listing a path.",
  worked: "Every number of one forward and backward pass, and one step of gradient descent.",
  network: "The network in the chosen notation, the forward pass and the cost.",
  notes: "Where this derivation departs from the post, and why.",
};

/** Marks `v` as the selected tab. */
export function selectTab(host: HTMLElement, v: ViewId): void {
  for (const b of host.querySelectorAll<HTMLButtonElement>("button[role=tab]"))
    b.setAttribute("aria-selected", String(b.dataset.view === v));
}

/** The pending label reset of each copy button. */
const resets = new WeakMap<HTMLButtonElement, ReturnType<typeof setTimeout>>();

/**
 * Copies text to the clipboard and says so on the button; where the clipboard is refused, the
 * text is selected in a box instead, for Ctrl+C.
 */
export async function copyText(button: HTMLButtonElement, text: string): Promise<void> {
  const label = button.dataset.label ?? button.textContent ?? "Copy LaTeX";
  button.dataset.label = label;
  // a new copy restarts the label's timer (an older timer would reset the newer "Copied")
  clearTimeout(resets.get(button));
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
    button.dataset.copied = "true";
  } catch {
    showForManualCopy(button, text);
    button.textContent = "Press Ctrl+C";
  }
  resets.set(
    button,
    setTimeout(() => {
      button.textContent = label;
      delete button.dataset.copied;
    }, 1600),
  );
}

function showForManualCopy(button: HTMLButtonElement, text: string): void {
  const box = el("textarea", { class: "manual-copy", readonly: true, rows: 6, "aria-label": "LaTeX to copy" });
  box.value = text;
  button.after(box);
  box.select();
  box.addEventListener("blur", () => box.remove());
}
