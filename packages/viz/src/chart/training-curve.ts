/**
 * Training curves as SVG from per-epoch metrics (plain data, so any trainer can feed it): cost on
 * the left axis, accuracy (0–1) on the right, validation series dashed. Non-finite values (a
 * diverging run) break the line instead of bending the axes; the title is escaped.
 */
import { ArgumentError } from "@chainrule/core";
import { MUTED, PATH_COLOURS } from "../colours.js";
import { escapeXml } from "../escape.js";
import { textNumber } from "../latex/numbers.js";

/** One epoch's metrics. */
export interface EpochMetrics {
  readonly epoch: number;
  readonly cost: number;
  readonly accuracy?: number;
  readonly validationCost?: number;
  readonly validationAccuracy?: number;
}

/** Options of {@link trainingCurveSvg}. */
export interface TrainingCurveOptions {
  /** Pixels. Default 640 × 360. */
  readonly width?: number;
  readonly height?: number;
  /** Title (user text, escaped). Default "Training". */
  readonly title?: string;
  /** Cost axis on a log scale (costs must be > 0 to be drawn). Default false. */
  readonly logCost?: boolean;
}

type Key = "cost" | "validationCost" | "accuracy" | "validationAccuracy";
const SERIES: readonly { key: Key; label: string; colour: string; dashed: boolean; axis: "cost" | "accuracy" }[] = [
  { key: "cost", label: "cost", colour: PATH_COLOURS[0]!.hex, dashed: false, axis: "cost" },
  { key: "validationCost", label: "validation cost", colour: PATH_COLOURS[0]!.hex, dashed: true, axis: "cost" },
  { key: "accuracy", label: "accuracy", colour: PATH_COLOURS[1]!.hex, dashed: false, axis: "accuracy" },
  {
    key: "validationAccuracy",
    label: "validation accuracy",
    colour: PATH_COLOURS[1]!.hex,
    dashed: true,
    axis: "accuracy",
  },
];

/** About `count` round tick values (1, 2 or 5 × 10ⁿ apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  // multiples of the step, rounded to its decimals; none outside [lo, hi] (float error aside)
  const decimals = Math.min(20, Math.max(0, -Math.floor(Math.log10(step)) + 1));
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) {
    const v = Number((k * step).toFixed(decimals));
    if (v >= lo - step * 1e-9 && v <= hi + step * 1e-9) ticks.push(v === 0 ? 0 : v);
  }
  return ticks;
}

function check(history: readonly EpochMetrics[]): void {
  if (!Array.isArray(history))
    throw new ArgumentError(
      "invalid-argument",
      "trainingCurveSvg needs an array of { epoch, cost, … } records, one per epoch.",
      history,
    );
  history.forEach((h, i) => {
    if (typeof h !== "object" || h === null || typeof h.epoch !== "number" || !Number.isFinite(h.epoch)) {
      throw new ArgumentError(
        "invalid-value",
        `Record ${i} of the history needs a finite number \`epoch\`; got ${JSON.stringify(h)}.`,
        h,
      );
    }
    if (typeof h.cost !== "number")
      throw new ArgumentError(
        "invalid-value",
        `Record ${i} of the history needs a number \`cost\` (NaN marks a failed epoch).`,
        h,
      );
  });
}

const f = (v: number) => (Math.round(v * 10) / 10).toString();

/** [min, max] of the values, [0, 1] for none (no spread of huge arrays onto the stack). */
function extent(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** The training curve of a run as an SVG document. */
export function trainingCurveSvg(history: readonly EpochMetrics[], options: TrainingCurveOptions = {}): string {
  check(history);
  const W = options.width ?? 640;
  const H = options.height ?? 360;
  if (!(W >= 200 && H >= 150 && Number.isFinite(W) && Number.isFinite(H))) {
    throw new ArgumentError(
      "invalid-value",
      `A training curve needs width ≥ 200 and height ≥ 150 pixels; got ${W} × ${H}.`,
      [W, H],
    );
  }
  const log = options.logCost ?? false;
  const title = options.title ?? "Training";
  const present = SERIES.filter((s) => history.some((h) => typeof h[s.key] === "number"));
  const hasAcc = present.some((s) => s.axis === "accuracy");
  const box = { left: 64, right: W - (hasAcc ? 56 : 20), top: 40, bottom: H - 62 };
  const usable = (v: number | undefined): v is number => typeof v === "number" && Number.isFinite(v) && (!log || v > 0);
  const tx = (v: number) => (log ? Math.log10(v) : v);
  const costs = history.flatMap((h) => [h.cost, h.validationCost].filter(usable).map(tx));
  const epochs = history.map((h) => h.epoch);
  let [x0, x1] = extent(epochs);
  if (x1 === x0) x1 = x0 + 1;
  let [c0, c1] = extent(costs);
  if (!log) c0 = Math.min(0, c0);
  if (c1 === c0) c1 = c0 + 1;
  const X = (e: number) => box.left + ((e - x0) / (x1 - x0)) * (box.right - box.left);
  const Yc = (v: number) => box.bottom - ((tx(v) - c0) / (c1 - c0)) * (box.bottom - box.top);
  const Ya = (v: number) => box.bottom - v * (box.bottom - box.top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>text{font-family:"Helvetica Neue",Arial,sans-serif;font-size:11px;fill:#333}.t{font-size:14px;font-weight:bold}</style>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text class="t" x="${box.left}" y="22">${escapeXml(title)}</text>`,
    `<rect x="${box.left}" y="${box.top}" width="${f(box.right - box.left)}" height="${f(box.bottom - box.top)}" fill="none" stroke="${MUTED.hex}"/>`,
  ];
  // Axes: epochs below, cost left, accuracy right.
  for (const e of niceTicks(x0, x1, 6).filter((e) => Number.isInteger(e) || x1 - x0 < 6)) {
    out.push(
      `<line x1="${f(X(e))}" y1="${box.bottom}" x2="${f(X(e))}" y2="${box.bottom + 4}" stroke="${MUTED.hex}"/>`,
      `<text x="${f(X(e))}" y="${box.bottom + 16}" text-anchor="middle">${textNumber(e)}</text>`,
    );
  }
  out.push(`<text x="${f((box.left + box.right) / 2)}" y="${box.bottom + 32}" text-anchor="middle">epoch</text>`);
  for (const t of niceTicks(c0, c1, 5)) {
    const y = box.bottom - ((t - c0) / (c1 - c0)) * (box.bottom - box.top);
    const label = log
      ? textNumber(10 ** t, { digits: 3, minPlain: 1e-3, maxPlain: 1e5 })
      : textNumber(t, { digits: 4, minPlain: 1e-3, maxPlain: 1e5 });
    out.push(
      `<line x1="${box.left}" y1="${f(y)}" x2="${box.right}" y2="${f(y)}" stroke="#eee"/>`,
      `<text x="${box.left - 6}" y="${f(y + 4)}" text-anchor="end">${label}</text>`,
    );
  }
  out.push(
    `<text transform="translate(14 ${f((box.top + box.bottom) / 2)}) rotate(-90)" text-anchor="middle">${log ? "cost (log scale)" : "cost"}</text>`,
  );
  if (hasAcc) {
    for (const t of [0, 0.25, 0.5, 0.75, 1])
      out.push(`<text x="${box.right + 6}" y="${f(Ya(t) + 4)}">${t * 100}%</text>`);
    out.push(
      `<text transform="translate(${W - 10} ${f((box.top + box.bottom) / 2)}) rotate(90)" text-anchor="middle">accuracy</text>`,
    );
  }
  // Series: a polyline per run of usable values.
  for (const s of present) {
    const runs: string[][] = [[]];
    for (const h of history) {
      const v = h[s.key];
      if (typeof v !== "number" || !(s.axis === "cost" ? usable(v) : Number.isFinite(v))) {
        if (runs[runs.length - 1]!.length > 0) runs.push([]);
        continue;
      }
      const y = s.axis === "cost" ? Yc(v) : Ya(Math.min(1, Math.max(0, v)));
      runs[runs.length - 1]!.push(`${f(X(h.epoch))},${f(y)}`);
    }
    for (const r of runs.filter((r) => r.length > 0)) {
      const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
      out.push(
        r.length === 1
          ? `<circle cx="${r[0]!.split(",")[0]}" cy="${r[0]!.split(",")[1]}" r="2.5" fill="${s.colour}"/>`
          : `<polyline points="${r.join(" ")}" fill="none" stroke="${s.colour}" stroke-width="2"${dash}/>`,
      );
    }
  }
  // Legend: one row under the plot, clear of the curves.
  present.forEach((s, i) => {
    const y = H - 8;
    const x = box.left + i * 140;
    out.push(
      `<line x1="${x}" y1="${y - 4}" x2="${x + 22}" y2="${y - 4}" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
      `<text x="${x + 28}" y="${y}">${s.label}</text>`,
    );
  });
  if (history.length === 0)
    out.push(
      `<text x="${f((box.left + box.right) / 2)}" y="${f((box.top + box.bottom) / 2)}" text-anchor="middle">no epochs yet</text>`,
    );
  out.push("</svg>");
  return out.join("\n");
}
