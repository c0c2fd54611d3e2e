/**
 * Controls of the network and the parameter: layer sizes, an activation per layer, the cost,
 * biases, the notation and θ⁽ˡ⁾_jk. Every change is checked first (the explorer's limits, then
 * core's own rules); an invalid one shows its message next to the control and leaves the state —
 * and everything derived from it — as it was. The parameter is labelled and numbered in the
 * chosen notation (W^[l]_jk in Ng's, w^l_jk with l from 2 in Nielsen's), as viz's notation
 * table, through the worker, writes it; the state keeps the post's numbering.
 */
import { ACTIVATIONS, type ActivationName, COSTS, type CostName } from "@chainrule/core";
import type { Derived, ParamNaming } from "../protocol.js";
import {
  type ExplorerState,
  FIRST_PARAM,
  type NetworkState,
  NOTATION_NAMES,
  type NotationChoice,
  type ParamAddress,
  paramExists,
} from "../state.js";
import { checkSizes, checkWhole, networkProblem, paramRange } from "../validate.js";
import { debounce, el, type Field, field, select } from "./dom.js";

/** What the controls change. */
export interface Host {
  readonly state: ExplorerState;
  commit(next: ExplorerState): void;
}

const NOTATION_TEXT: { readonly [K in NotationChoice]: string } = {
  post: "the post (θ⁽ˡ⁾ⱼₖ, J)",
  ng: "Andrew Ng (W^[l]ⱼₖ, b^[l]ⱼ)",
  nielsen: "Michael Nielsen (wˡⱼₖ, C)",
};

/** The activations layer `l` (2 … L) may use: softmax only at the output. */
function activationOptions(l: number, L: number): (readonly [string, string])[] {
  return ACTIVATIONS.filter((a) => a !== "softmax" || l === L).map((a) => [a, a] as const);
}

/** The activations for new sizes: each layer keeps its own where it can, the output keeps the output's. */
function adaptActivations(old: NetworkState, sizes: readonly number[]): ActivationName[] {
  const hidden = old.activations.slice(0, -1);
  const out = old.activations[old.activations.length - 1] ?? "sigmoid";
  return sizes
    .slice(1)
    .map((_, i) => (i === sizes.length - 2 ? out : (hidden[i] ?? hidden[hidden.length - 1] ?? "sigmoid")));
}

/** The network and parameter controls. */
export class NetworkControls {
  readonly root: HTMLElement;
  private readonly layers: HTMLInputElement;
  private readonly acts: HTMLElement;
  private readonly cost: HTMLSelectElement;
  private readonly bias: HTMLInputElement;
  private readonly notation: HTMLSelectElement;
  private readonly pl: HTMLInputElement;
  private readonly pj: HTMLInputElement;
  private readonly pk: HTMLInputElement;
  private readonly paramLabel: HTMLElement;
  /** The layer shift of the numbering the l field is written in (0: the post's). */
  private shownShift = 0;
  private readonly fields: { readonly [name: string]: Field };
  /** How each notation writes the parameter; the post's words until the first derivation brings them. */
  private naming: Derived["naming"] | null = null;
  private readonly paramName: HTMLElement;
  private readonly biasName: HTMLElement;

  constructor(private readonly host: Host) {
    const s = host.state;
    this.layers = el("input", {
      id: "ctl-layers",
      name: "layers",
      type: "text",
      inputmode: "numeric",
      autocomplete: "off",
      spellcheck: "false",
      value: s.network.sizes.join(", "),
    });
    this.acts = el("div", { class: "acts", id: "ctl-activations" });
    this.cost = select(
      "cost",
      COSTS.map((c) => [c, c] as const),
      s.network.cost,
    );
    this.bias = el("input", { id: "ctl-bias", name: "bias", type: "checkbox", checked: s.network.bias });
    this.notation = select(
      "notation",
      NOTATION_NAMES.map((n) => [n, NOTATION_TEXT[n]] as const),
      s.notation,
    );
    const small = (name: string, v: number) =>
      el("input", {
        id: `ctl-param-${name}`,
        name: `param-${name}`,
        class: "small",
        type: "text",
        inputmode: "numeric",
        autocomplete: "off",
        value: v,
        "aria-label": name,
      });
    this.pl = small("l", s.param[0]);
    this.pj = small("j", s.param[1]);
    this.pk = small("k", s.param[2]);
    this.paramLabel = el("span", { class: "param-label", id: "param-label" });
    const paramRow = el("div", { class: "param-row" }, "l ", this.pl, " j ", this.pj, " k ", this.pk, this.paramLabel);
    this.paramName = el("span", { class: "param-name", id: "param-name" }, "θ⁽ˡ⁾ⱼₖ");
    this.biasName = el("span", { class: "param-name", id: "bias-name" }, "θ⁽ˡ⁾ⱼ₀");
    this.fields = {
      layers: field("layers", "Layer sizes (input first)", this.layers),
      activations: field("activations", "Activations", this.acts),
      cost: field("cost", "Cost", this.cost),
      bias: field("bias", "Bias", el("label", { class: "check" }, this.bias, " bias units ", this.biasName)),
      notation: field("notation", "Notation", this.notation),
      param: field("param", "Parameter (or tap an edge)", paramRow),
    };
    // "Parameter W^[l]_jk (or tap an edge)": the name goes into the field's label
    this.fields.param!.root.querySelector(".label")!.replaceChildren("Parameter ", this.paramName, " (or tap an edge)");
    this.root = el(
      "section",
      { class: "group" },
      el("h2", {}, "Network"),
      ...["layers", "activations", "cost", "bias", "notation", "param"].map((n) => this.fields[n]!.root),
    );
    this.buildActivations(s.network);

    const layersNow = () => this.applyLayers();
    this.layers.addEventListener("input", debounce(layersNow, 350));
    this.layers.addEventListener("change", layersNow);
    this.cost.addEventListener("change", () =>
      this.applyNetwork({ ...this.host.state.network, cost: this.cost.value as CostName }, "cost"),
    );
    this.bias.addEventListener("change", () =>
      this.applyNetwork({ ...this.host.state.network, bias: this.bias.checked }, "bias"),
    );
    this.notation.addEventListener("change", () => {
      this.host.commit({ ...this.host.state, notation: this.notation.value as NotationChoice });
      this.showNaming();
    });
    const paramNow = () => this.applyParam();
    for (const i of [this.pl, this.pj, this.pk]) {
      i.addEventListener("input", debounce(paramNow, 300));
      i.addEventListener("change", paramNow);
    }
  }

  /** One select per layer after the input. */
  private buildActivations(n: NetworkState): void {
    const L = n.sizes.length;
    this.acts.replaceChildren(
      ...n.activations.map((a, i) => {
        const s = select(`activation-${i + 2}`, activationOptions(i + 2, L), a);
        s.addEventListener("change", () => {
          const activations = [...this.host.state.network.activations];
          activations[i] = s.value as ActivationName;
          this.applyNetwork({ ...this.host.state.network, activations }, "activations", s);
        });
        return el("label", { class: "act" }, i + 2 === L ? "output " : `layer ${i + 2} `, s);
      }),
    );
  }

  private applyLayers(): void {
    const r = checkSizes(this.layers.value);
    if (!r.ok) {
      this.fields.layers!.message(r.message);
      return;
    }
    const old = this.host.state.network;
    if (r.value.join(",") === old.sizes.join(",")) {
      this.fields.layers!.message(null);
      return;
    }
    this.applyNetwork({ ...old, sizes: r.value, activations: adaptActivations(old, r.value) }, "layers");
  }

  /** Commits a new network if the explorer and core accept it; else shows why next to `source`. */
  private applyNetwork(n: NetworkState, source: string, culprit?: Element): void {
    const problem = networkProblem(n);
    if (problem !== null) {
      this.fields[source]!.message(problem, culprit);
      return;
    }
    for (const f of ["layers", "activations", "cost", "bias"]) this.fields[f]!.message(null);
    const s = this.host.state;
    const param: ParamAddress = paramExists(n, s.param) ? s.param : FIRST_PARAM;
    if (n.activations.length !== s.network.activations.length) this.buildActivations(n);
    this.host.commit({ ...s, network: n, param });
    this.sync(this.host.state, "layers");
  }

  /** The chosen notation's naming (the post's before the first derivation). */
  private named(): ParamNaming | null {
    return this.naming?.[this.host.state.notation] ?? null;
  }

  private applyParam(): void {
    const f = this.fields.param!;
    const n = this.host.state.network;
    // l as the notation numbers it: the post's l plus the notation's shift
    const shift = this.named()?.shift ?? 0;
    const l = checkWhole(this.pl.value, "l", 1 + shift, n.sizes.length - 1 + shift);
    if (!l.ok) {
      f.message(l.message, this.pl);
      return;
    }
    const j = checkWhole(this.pj.value, "j", 1, 100_000);
    if (!j.ok) {
      f.message(j.message, this.pj);
      return;
    }
    const k = checkWhole(this.pk.value, "k", 0, 100_000);
    if (!k.ok) {
      f.message(k.message, this.pk);
      return;
    }
    const p: ParamAddress = [l.value - shift, j.value, k.value];
    if (!paramExists(n, p)) {
      // the index out of range for layer l: j past the next layer, else k
      const culprit = j.value > n.sizes[p[0]]! ? this.pj : this.pk;
      const range = paramRange(n, p[0]).replace(/^for l = \d+/, `for l = ${l.value}`);
      f.message(`There is no ${this.named()?.letter ?? "θ"}(${l.value},${j.value},${k.value}) here: ${range}`, culprit);
      return;
    }
    f.message(null);
    if (p.join() !== this.host.state.param.join()) this.host.commit({ ...this.host.state, param: p });
  }

  /** Shows the state in the controls (after a change made elsewhere: a click on the diagram, a link). */
  sync(s: ExplorerState, keep?: string): void {
    if (keep !== "layers") this.layers.value = s.network.sizes.join(", ");
    if (this.acts.querySelectorAll("select").length !== s.network.activations.length) this.buildActivations(s.network);
    this.acts.querySelectorAll("select").forEach((sel, i) => {
      sel.value = s.network.activations[i]!;
    });
    this.cost.value = s.network.cost;
    this.bias.checked = s.network.bias;
    this.notation.value = s.notation;
    this.shownShift = this.named()?.shift ?? 0;
    [this.pl.value, this.pj.value, this.pk.value] = [s.param[0] + this.shownShift, s.param[1], s.param[2]].map(
      String,
    ) as [string, string, string];
    this.fields.param!.message(null);
  }

  /** Takes how each notation writes the parameter (from a derivation) and shows the chosen one's. */
  setNaming(naming: Derived["naming"]): void {
    this.naming = naming;
    this.showNaming();
  }

  /**
   * The parameter's and the bias's names in the chosen notation, and l in its numbering. l moves
   * only when the numbering does (a change of notation): what the user has typed stays, even when
   * a derivation arrives while they are still choosing j and k.
   */
  private showNaming(): void {
    const named = this.named();
    if (named === null) return;
    this.paramName.innerHTML = named.weight;
    this.biasName.innerHTML = named.bias;
    const moved = named.shift - this.shownShift;
    this.shownShift = named.shift;
    const typed = Number(this.pl.value.trim());
    if (moved !== 0 && this.pl.value.trim() !== "" && Number.isInteger(typed)) this.pl.value = String(typed + moved);
  }

  /** The chosen parameter's label and path count, from the derivation. */
  showParam(labelHtml: string, paths: string): void {
    this.paramLabel.innerHTML = `${labelHtml} <span class="muted">· ${paths} ${paths === "1" ? "path" : "paths"} to the cost</span>`;
  }
}
