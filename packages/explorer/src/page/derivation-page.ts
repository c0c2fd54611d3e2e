/**
 * The derivation mode of the page: holds the last valid state, sends it to the worker, and shows
 * the answer — the headline count, the diagram, the open view and the numbers. The state also
 * lives in the URL, so reloading or sharing the link opens the same derivation.
 */
import type { Derived } from "../protocol.js";
import { type ExplorerState, fromHash, type ParamAddress, toHash, type ViewId } from "../state.js";
// grouped, not toLocaleString: the first call of the latter loads Intl data (~100 ms)
import { grouped, networkProblem } from "../validate.js";
import { DeriveClient } from "../worker-client.js";
import { ControlsFold } from "./controls-fold.js";
import { showDiagram } from "./diagram-view.js";
import { byId } from "./dom.js";
import { LazyView } from "./lazy-view.js";
import { type Host, NetworkControls } from "./network-controls.js";
import { NumbersControls } from "./numbers-controls.js";
import { buildTabs, copyText, selectTab, VIEW_HINTS } from "./views-panel.js";

/** What the diagram shows of the chosen parameter's paths. */
function caption(d: Derived): string {
  const listed = d.diagram.paths.length;
  const more = BigInt(d.param.paths) - BigInt(listed);
  const parts = [
    `The paths from ${d.param.label} to the cost` +
      (listed > 0 ? `: ${listed} drawn in colour${more > 0n ? `, ${grouped(String(more))} more not drawn` : ""}` : "") +
      ".",
  ];
  if (d.diagram.elided) {
    const drawn = d.diagram.edges.some((e) => e.params.includes(d.param.id));
    parts.push(
      drawn
        ? "Wide layers show their first neurons, ⋮, and the last."
        : "Its neurons are among those left out (⋮): choose j and k among the drawn neurons to see its whole paths.",
    );
  }
  return parts.join(" ");
}

/** Marks, for people and programs (tests, the benchmark), when the first derivation was shown. */
export interface Readiness {
  /** performance.now() when the page's code started building the controls. */
  pageStart: number;
  /** performance.now() when the first derivation was on screen, or null before. */
  firstRender: number | null;
  /** Milliseconds the worker spent on the first derivation (core, viz and KaTeX), or null before. */
  firstDeriveMs: number | null;
  /** Milliseconds the worker spent on the latest derivation shown (its first part). */
  lastDeriveMs: number | null;
  /** Derivations shown so far. */
  renders: number;
  /** Whether everything the page may need is fetched (it works without the server from then on). */
  offline: boolean;
}

/** The derivation mode. */
export class DerivationPage implements Host {
  state: ExplorerState;
  readonly readiness: Readiness = {
    pageStart: performance.now(),
    firstRender: null,
    firstDeriveMs: null,
    lastDeriveMs: null,
    renders: 0,
    offline: false,
  };
  /** Resolves when the first derivation is on screen. */
  readonly firstRendered: Promise<void>;
  private rendered: () => void = () => undefined;
  private derived: Derived | null = null;
  private readonly client: DeriveClient;
  private readonly network: NetworkControls;
  private readonly numbers: NumbersControls;
  private readonly view = new LazyView(byId("view"));
  private readonly fold: ControlsFold;

  constructor(spawn: () => Worker) {
    this.firstRendered = new Promise((resolve) => (this.rendered = resolve));
    this.state = fromHash(location.hash, networkProblem);
    this.network = new NetworkControls(this);
    this.numbers = new NumbersControls(this);
    this.fold = new ControlsFold(byId("controls"));
    byId("controls").replaceChildren(this.fold.button, this.network.root, this.numbers.root);
    buildTabs(byId("view-tabs"), this.state.view, (v) => this.openView(v));
    this.client = new DeriveClient(spawn, {
      onDerived: (d, ms) => {
        this.show(d);
        this.readiness.firstDeriveMs ??= ms;
        this.readiness.lastDeriveMs = ms;
      },
      onMore: (html) => this.view.more(html),
      onFailed: (m) => this.problem(m),
      onBusy: (busy) => {
        document.body.dataset.busy = String(busy);
      },
    });
    byId<HTMLButtonElement>("copy-view").addEventListener(
      "click",
      (e) => void (this.derived && copyText(e.currentTarget as HTMLButtonElement, this.derived.latex)),
    );
    byId<HTMLButtonElement>("copy-diagram").addEventListener(
      "click",
      (e) => void (this.derived && copyText(e.currentTarget as HTMLButtonElement, this.derived.diagram.tikz)),
    );
    window.addEventListener("hashchange", () => {
      if (location.hash.slice(1) === toHash(this.state)) return;
      this.state = fromHash(location.hash, networkProblem);
      this.network.sync(this.state);
      this.client.request(this.state);
    });
    this.client.request(this.state);
  }

  /** Takes a new (already checked) state: the URL follows, the worker derives it. */
  commit(next: ExplorerState): void {
    this.state = next;
    history.replaceState(null, "", `#${toHash(next)}`);
    selectTab(byId("view-tabs"), next.view);
    this.client.request(next);
  }

  private openView(v: ViewId): void {
    if (v !== this.state.view) this.commit({ ...this.state, view: v });
  }

  private problem(message: string): void {
    const p = byId("problem");
    p.textContent = message;
    p.hidden = false;
  }

  /** Shows a derivation: everything on screen comes from this one answer. */
  private show(d: Derived): void {
    this.derived = d;
    byId("problem").hidden = true;
    const head = byId("headline");
    head.dataset.parameters = d.parameters;
    head.dataset.factors = d.factors;
    head.dataset.paths = d.paths;
    head.textContent = `${grouped(d.parameters)} ${d.parameters === "1" ? "parameter needs" : "parameters need"} ${grouped(d.factors)} partial-derivative factors · ${grouped(d.paths)} paths · ${d.deltas} δ terms`;
    const named = d.naming[this.state.notation];
    const name = (a: ParamAddress) => `${named.letter}(${a[0] + named.shift}) ${a[1]},${a[2]}`;
    showDiagram(byId("diagram-svg"), d.diagram, d.param.id, name, (p) => {
      if (p.join() === this.state.param.join()) return;
      this.commit({ ...this.state, param: p });
      this.network.sync(this.state);
    });
    byId("diagram-caption").innerHTML = caption(d);
    const view = byId("view");
    this.view.reset(d.html);
    view.dataset.view = d.view;
    view.dataset.param = d.param.id;
    view.dataset.paramPaths = d.param.paths;
    view.setAttribute("aria-labelledby", `tab-${d.view}`);
    byId("view-note").textContent = VIEW_HINTS[d.view];
    selectTab(byId("view-tabs"), d.view);
    this.network.setNaming(d.naming);
    this.fold.show(`${this.state.network.sizes.join("-")} network · ${d.param.label}`);
    this.network.showParam(d.param.label, d.param.paths);
    this.numbers.update(d, this.state.weights);
    this.readiness.renders++;
    if (this.readiness.firstRender === null) {
      this.readiness.firstRender = performance.now();
      this.rendered();
    }
  }
}
