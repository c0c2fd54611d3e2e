/**
 * Training progress for people and machines: a progress bar on a terminal, one JSON line per
 * epoch with --json, and about ten plain lines when the output is piped.
 */

import type { EpochRecord } from "@chainrule/nn";
import cliProgress from "cli-progress";
import type { Io } from "./verb.js";

const pct = (v: number | undefined) => (v === undefined ? "" : `${(100 * v).toFixed(1)}%`);

/** One human-readable line for an epoch. */
export function describeEpoch(r: EpochRecord, total: number): string {
  const parts = [`epoch ${r.epoch}/${total}`, `cost ${r.cost.toPrecision(6)}`];
  if (r.accuracy !== undefined) parts.push(`accuracy ${pct(r.accuracy)}`);
  if (r.validationCost !== undefined) parts.push(`validation cost ${r.validationCost.toPrecision(6)}`);
  if (r.validationAccuracy !== undefined) parts.push(`validation accuracy ${pct(r.validationAccuracy)}`);
  return parts.join("  ");
}

/** A percentage for people: 0.9876 → "98.8%". */
export function percent(v: number | undefined): string {
  return pct(v);
}

/** Reports epochs first…first+epochs−1 in the way that suits the output. */
export function epochReporter(
  io: Io,
  json: boolean,
  first: number,
  epochs: number,
): { epoch(r: EpochRecord): void; stop(): void } {
  const last = first + epochs - 1;
  if (json) return { epoch: (r) => io.out(JSON.stringify(r)), stop: () => undefined };
  if (io.stdout.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        stream: io.stdout,
        format: "epoch {value}/{total} |{bar}| {metrics}",
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(last, first - 1, { metrics: "" });
    return {
      epoch: (r) => bar.update(r.epoch, { metrics: describeEpoch(r, last).replace(/^epoch \S+\s+/, "") }),
      stop: () => bar.stop(),
    };
  }
  // piped: about ten lines, always the first and the last epoch run (an early stop's too)
  const every = Math.max(1, Math.ceil(epochs / 10));
  let unprinted: EpochRecord | null = null;
  return {
    epoch: (r) => {
      if ((r.epoch - first) % every === 0 || r.epoch === last) {
        io.out(describeEpoch(r, last));
        unprinted = null;
      } else unprinted = r;
    },
    stop: () => {
      if (unprinted !== null) io.out(describeEpoch(unprinted, last));
      unprinted = null;
    },
  };
}
