/**
 * The train mode: a small network on a built-in 2-D dataset, trained a slice at a time between
 * animation frames, with the decision boundary (canvas) and viz's training curve (SVG) following
 * live. Pause, resume, reset; invalid settings show a message and leave the run as it was.
 */
import { DivergenceError, OPTIMIZERS, type OptimizerName } from "@chainrule/nn";
import { trainingCurveSvg } from "@chainrule/viz";
import { drawBoundary, type Frame, frameOf, gridPoints } from "../train/boundary.js";
import {
  DEFAULT_TRAIN,
  HIDDEN_ACTIVATIONS,
  TRAIN_DATASETS,
  type TrainConfig,
  TrainingSession,
  thin,
} from "../train/session.js";
import { checkHidden, checkNumber } from "../validate.js";
import { byId, el, type Field, field, select } from "./dom.js";

/** Milliseconds of training per frame at most: leaves most of a 60 Hz frame to the page. */
const SLICE_MS = 10;
/** Epochs per frame people can choose: slow enough to watch the boundary move, or fast. */
const SPEEDS = [1, 5, 20, 100, 1000] as const;
/** The default: xor takes a few seconds, the spirals half a minute. */
const DEFAULT_SPEED = 5;
/** Grid cells per side of the decision boundary. */
const GRID = 64;
/** Milliseconds between redraws of the training curve. */
const CURVE_EVERY_MS = 200;

/** The train mode. */
export class TrainPage {
  private config: TrainConfig = DEFAULT_TRAIN;
  private session = new TrainingSession(DEFAULT_TRAIN);
  private running = false;
  private frame = 0;
  private lastCurve = 0;
  private frameOfData: Frame;
  private grid: Float64Array;
  private readonly toggle: HTMLButtonElement;
  private readonly stats: HTMLElement;
  private readonly fields: { readonly [name: string]: Field };
  private readonly inputs: {
    dataset: HTMLSelectElement;
    hidden: HTMLInputElement;
    activation: HTMLSelectElement;
    rate: HTMLInputElement;
    optimizer: HTMLSelectElement;
  };
  private readonly speed: HTMLSelectElement;

  constructor() {
    const c = this.config;
    this.inputs = {
      dataset: select(
        "dataset",
        TRAIN_DATASETS.map((d) => [d, d] as const),
        c.dataset,
      ),
      hidden: el("input", {
        id: "ctl-hidden",
        name: "hidden",
        type: "text",
        inputmode: "numeric",
        autocomplete: "off",
        value: c.hidden.join(", "),
      }),
      activation: select(
        "train-activation",
        HIDDEN_ACTIVATIONS.map((a) => [a, a] as const),
        c.activation,
      ),
      rate: el("input", {
        id: "ctl-rate",
        name: "rate",
        class: "small",
        type: "text",
        inputmode: "decimal",
        autocomplete: "off",
        value: c.learningRate,
      }),
      optimizer: select(
        "optimizer",
        OPTIMIZERS.map((o) => [o, o] as const),
        c.optimizer,
      ),
    };
    this.fields = {
      dataset: field("dataset", "Dataset", this.inputs.dataset),
      hidden: field("hidden", "Hidden layers", this.inputs.hidden),
      activation: field("train-activation", "Hidden activation", this.inputs.activation),
      rate: field("rate", "Learning rate η", this.inputs.rate),
      optimizer: field("optimizer", "Optimizer", this.inputs.optimizer),
    };
    this.speed = select(
      "speed",
      SPEEDS.map((n) => [String(n), `${n} ${n === 1 ? "epoch" : "epochs"} per frame`] as const),
      String(DEFAULT_SPEED),
    );
    this.toggle = el("button", { type: "button", id: "train-toggle", class: "primary" }, "Train");
    const reset = el("button", { type: "button", id: "train-reset" }, "Reset");
    this.stats = el("p", { id: "train-stats", class: "stats", "aria-live": "polite" });
    byId("train-controls").replaceChildren(
      el(
        "section",
        { class: "group" },
        el("h2", {}, "Network and data"),
        ...Object.values(this.fields).map((f) => f.root),
        field("speed", "Speed", this.speed).root,
        el("div", { class: "buttons" }, this.toggle, reset),
        this.stats,
      ),
    );
    for (const i of Object.values(this.inputs)) i.addEventListener("change", () => this.reconfigure());
    this.toggle.addEventListener("click", () => (this.running ? this.pause() : this.start()));
    reset.addEventListener("click", () => this.replace(this.config));
    this.frameOfData = frameOf(this.session.data.x, this.session.data.m);
    this.grid = gridPoints(this.frameOfData, GRID);
    this.draw(true);
  }

  /** Reads the controls; a valid change starts a new run (still running if it was). */
  private reconfigure(): void {
    const hidden = checkHidden(this.inputs.hidden.value);
    if (!hidden.ok) {
      this.fields.hidden!.message(hidden.message);
      return;
    }
    this.fields.hidden!.message(null);
    const rate = checkNumber(this.inputs.rate.value, "The learning rate", 1e-6, 10);
    if (!rate.ok) {
      this.fields.rate!.message(rate.message);
      return;
    }
    this.fields.rate!.message(null);
    this.replace({
      ...this.config,
      dataset: this.inputs.dataset.value as TrainConfig["dataset"],
      hidden: hidden.value,
      activation: this.inputs.activation.value as TrainConfig["activation"],
      learningRate: rate.value,
      optimizer: this.inputs.optimizer.value as OptimizerName,
    });
  }

  private replace(config: TrainConfig): void {
    this.config = config;
    this.session = new TrainingSession(config);
    this.frameOfData = frameOf(this.session.data.x, this.session.data.m);
    this.grid = gridPoints(this.frameOfData, GRID);
    byId("train-problem").hidden = true;
    this.draw(true);
  }

  /** Trains until paused. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.toggle.textContent = "Pause";
    this.toggle.setAttribute("aria-pressed", "true");
    this.frame = requestAnimationFrame(() => this.tick());
  }

  /** Stops after the current slice; the run can continue where it stopped. */
  pause(): void {
    this.running = false;
    cancelAnimationFrame(this.frame);
    this.toggle.textContent = "Train";
    this.toggle.setAttribute("aria-pressed", "false");
    this.draw(true);
  }

  private tick(): void {
    if (!this.running) return;
    try {
      this.session.step(SLICE_MS, Number(this.speed.value));
    } catch (e) {
      if (!(e instanceof DivergenceError)) throw e;
      this.pause();
      const p = byId("train-problem");
      p.textContent = `Training diverged in epoch ${e.epoch}: ${e.message} Lower the learning rate and reset.`;
      p.hidden = false;
      return;
    }
    this.draw(false);
    this.frame = requestAnimationFrame(() => this.tick());
  }

  /** The boundary every frame; the curve a few times a second (or now, when `all`). */
  private draw(all: boolean): void {
    const s = this.session;
    const k = s.data.outputs;
    drawBoundary(
      byId<HTMLCanvasElement>("boundary"),
      this.frameOfData,
      GRID,
      s.predict(this.grid, GRID * GRID),
      k,
      s.data,
    );
    const last = s.history[s.history.length - 1];
    const first = s.history[0];
    this.stats.dataset.epoch = String(s.epochs);
    if (last !== undefined && first !== undefined) {
      this.stats.dataset.cost = String(last.cost);
      this.stats.dataset.firstCost = String(first.cost);
      const acc = last.accuracy !== undefined ? ` · accuracy ${(100 * last.accuracy).toFixed(1)}%` : "";
      this.stats.textContent = `epoch ${s.epochs} · cost ${last.cost.toPrecision(4)}${acc}`;
    } else
      this.stats.textContent = `${s.network.spec.sizes.join("-")} network, ${s.network.parameterCount} parameters, not trained yet`;
    const now = performance.now();
    if (!all && now - this.lastCurve < CURVE_EVERY_MS) return;
    this.lastCurve = now;
    const history = thin(s.history).map((r) => ({
      epoch: r.epoch,
      cost: r.cost,
      ...(r.accuracy !== undefined ? { accuracy: r.accuracy } : {}),
    }));
    // the cost falls by orders of magnitude: a log axis shows the whole descent
    const logCost = history.length > 0 && history.every((r) => r.cost > 0);
    byId("curve").innerHTML =
      history.length === 0
        ? `<p class="muted">Press Train: the cost per epoch appears here.</p>`
        : trainingCurveSvg(history, {
            width: 560,
            height: 320,
            logCost,
            title: `${s.data.name}: ${s.network.spec.sizes.join("-")} network`,
          });
  }
}
