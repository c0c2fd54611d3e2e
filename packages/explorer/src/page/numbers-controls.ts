/**
 * The numbers of the worked example: weights and one example drawn from a seed (viz's seeded
 * example values), or typed in — one box per parameter, input and target, filled with the
 * current numbers so a student changes one weight and watches every factor follow.
 */
import type { Derived, ValueTable } from "../protocol.js";
import type { Weights } from "../state.js";
import { checkNumber, checkWhole, LIMITS } from "../validate.js";
import { debounce, el, type Field, field } from "./dom.js";
import type { Host } from "./network-controls.js";

type Kind = "theta" | "x" | "y";
const KINDS: readonly Kind[] = ["theta", "x", "y"];
const KIND_TEXT: { readonly [K in Kind]: string } = { theta: "Parameters", x: "Inputs", y: "Targets" };

/** The seed / typed-numbers controls. */
export class NumbersControls {
  readonly root: HTMLElement;
  private readonly random: HTMLInputElement;
  private readonly typed: HTMLInputElement;
  private readonly seed: HTMLInputElement;
  private readonly grid: HTMLElement;
  private readonly note: HTMLElement;
  private readonly fields: { readonly mode: Field; readonly typed: Field };
  /** The ids the grid was built for, to rebuild it only when the network changes. */
  private gridKey = "";
  private values: Derived["values"] = null;

  constructor(private readonly host: Host) {
    const w = host.state.weights;
    this.random = el("input", {
      type: "radio",
      name: "weights",
      value: "random",
      id: "ctl-weights-random",
      checked: w.mode === "random",
    });
    this.typed = el("input", {
      type: "radio",
      name: "weights",
      value: "typed",
      id: "ctl-weights-typed",
      checked: w.mode === "typed",
    });
    this.seed = el("input", {
      id: "ctl-seed",
      name: "seed",
      class: "small",
      type: "text",
      inputmode: "numeric",
      autocomplete: "off",
      value: w.mode === "random" ? w.seed : 1,
    });
    this.grid = el("div", { class: "grid", id: "ctl-typed" });
    this.note = el("p", { class: "muted", id: "numbers-note" });
    this.fields = {
      mode: field(
        "weights",
        "Weights and one example",
        el("label", { class: "check" }, this.random, " random, seed ", this.seed),
        el("label", { class: "check" }, this.typed, " typed in"),
      ),
      typed: field("typed", "", this.grid),
    };
    this.root = el(
      "section",
      { class: "group" },
      el("h2", {}, "Worked numbers"),
      this.fields.mode.root,
      this.fields.typed.root,
      this.note,
    );
    const seedNow = () => this.applySeed();
    this.seed.addEventListener("input", debounce(seedNow, 300));
    this.seed.addEventListener("change", seedNow);
    this.random.addEventListener("change", seedNow);
    this.typed.addEventListener("change", () => this.startTyping());
    this.grid.addEventListener(
      "input",
      debounce(() => this.applyTyped(), 350),
    );
  }

  private applySeed(): void {
    this.random.checked = true;
    const r = checkWhole(this.seed.value, "The seed", 0, 2 ** 32 - 1);
    if (!r.ok) {
      this.fields.mode.message(r.message, this.seed);
      return;
    }
    this.fields.mode.message(null);
    this.grid.hidden = true;
    const w = this.host.state.weights;
    if (w.mode !== "random" || w.seed !== r.value)
      this.host.commit({ ...this.host.state, weights: { mode: "random", seed: r.value } });
  }

  /** Typed mode starts from the numbers shown now. */
  private startTyping(): void {
    const v = this.values;
    if (v === null) {
      this.random.checked = true;
      this.fields.mode.message(
        `Typing numbers in is for networks of up to ${LIMITS.typedParameters} parameters; this one uses the seed.`,
        this.typed,
      );
      return;
    }
    this.fields.mode.message(null);
    this.host.commit({
      ...this.host.state,
      weights: { mode: "typed", theta: v.theta.values, x: v.x.values, y: v.y.values },
    });
  }

  private applyTyped(): void {
    const out: { [K in Kind]: number[] } = { theta: [], x: [], y: [] };
    for (const input of this.grid.querySelectorAll<HTMLInputElement>("input")) {
      const kind = input.dataset.kind as Kind;
      const r = checkNumber(input.value, input.dataset.name ?? "A value", -1e6, 1e6);
      if (!r.ok) {
        this.fields.typed.message(r.message, input);
        return;
      }
      out[kind].push(r.value);
    }
    this.fields.typed.message(null);
    this.host.commit({ ...this.host.state, weights: { mode: "typed", ...out } });
  }

  /** Shows the numbers of the newest derivation (the grid only in typed mode). */
  update(d: Derived, w: Weights): void {
    this.values = d.values;
    this.note.textContent =
      d.note ??
      (d.values === null ? `Networks over ${LIMITS.typedParameters} parameters take their numbers from the seed.` : "");
    this.typed.disabled = d.values === null;
    if (w.mode === "random") {
      this.random.checked = true;
      if (document.activeElement !== this.seed) this.seed.value = String(w.seed);
    } else this.typed.checked = true;
    this.grid.hidden = w.mode !== "typed" || d.values === null;
    if (this.grid.hidden || d.values === null) return;
    const key = KINDS.map((k) => d.values![k].ids.join(",")).join("|");
    if (key !== this.gridKey) {
      this.gridKey = key;
      this.grid.replaceChildren(...KINDS.map((k) => this.tableRows(k, d.values![k])));
    } else {
      // new numbers for the same network (e.g. typed ones that no longer fit): refresh boxes not being edited
      for (const input of this.grid.querySelectorAll<HTMLInputElement>("input")) {
        const v = d.values[input.dataset.kind as Kind].values[Number(input.dataset.index)];
        if (input !== document.activeElement && v !== undefined && Number(input.value) !== v) input.value = String(v);
      }
    }
  }

  private tableRows(kind: Kind, t: ValueTable): HTMLElement {
    const cells = t.ids.map((id, i) => {
      const label = el("span", { class: "value-label" });
      label.innerHTML = t.labels[i]!;
      const input = el("input", {
        type: "text",
        inputmode: "decimal",
        autocomplete: "off",
        "data-kind": kind,
        "data-index": i,
        "data-name": id,
        "aria-label": id,
        value: String(t.values[i]),
      });
      return el("label", { class: "value" }, label, input);
    });
    return el("fieldset", { class: "values" }, el("legend", {}, KIND_TEXT[kind]), ...cells);
  }
}
