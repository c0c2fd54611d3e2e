// Benchmark helpers. The contenders of one measurement run in interleaved rounds (A, B, C, A, B, C, …)
// after each has warmed up, so a busy moment of the machine falls on all of them alike; each reports
// the median of its rounds with the quartiles beside it, and a ratio divides two medians of the same run.
//
//   const r = await compare([{ name: "a", fn: () => work() }, { name: "b", fn: () => other() }]);
//   r.results[1].median / r.results[0].median   // ms per call, medians of the same rounds
//   table(title, header, rows, r)              // prints the table with the date, Node, cores and load

import os from "node:os";

/** The process's CPU time so far (user + system), in ms. */
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The median of xs (the mean of the two middle values when their number is even). */
export function median(xs) {
  return quantile(xs, 0.5);
}

/** The q-quantile of xs, linearly interpolated between order statistics. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[lo + 1] ?? s[lo]) - s[lo]);
}

/** Median, quartiles and extremes of a list of samples. */
export function summary(samples) {
  return {
    median: median(samples),
    q1: quantile(samples, 0.25),
    q3: quantile(samples, 0.75),
    min: Math.min(...samples),
    max: Math.max(...samples),
    n: samples.length,
    samples,
  };
}

/**
 * Times contenders in interleaved rounds and returns, per contender, the median milliseconds per
 * call over the rounds with quartiles — of wall time, and of the process's CPU time (user + system,
 * all its threads: what the work cost, whatever else the machine was running) — plus the 1-minute
 * load average at the start and the end.
 *
 * A contender is { name, fn } or { name, sample }:
 *   - fn(): one call of the work (may return a promise, which is awaited);
 *   - sample(calls): for work timed elsewhere (another process): runs `calls` calls and resolves to
 *     { wall, cpu }, the milliseconds they took as measured there;
 *   - before(): optional, untimed, before every sample and warm-up window (e.g. switching a backend);
 *   - calls: calls per sample; by default calibrated so that a sample lasts at least sampleMs;
 *   - warmMs, warmMaxMs: override the options of the same name for this contender.
 *
 * Warm-up: each contender in turn runs sample-sized windows (at least one) for at least warmMs and
 * until its time per call stops falling (three windows in a row none 10% faster than the best; large
 * generated functions can take seconds to reach the optimising compiler on a busy machine), until
 * warmMaxMs at most. Then `rounds` rounds, each timing one sample of every contender in the order
 * given. No garbage collection is forced between samples: a forced collection clears weak caches (core
 * interns expressions through WeakRefs) and the next sample would time their rebuilding, not the steady
 * state; the interleaving spreads collections over the contenders instead.
 *
 * clock ("wall" or "cpu") chooses the time the warm-up and calibration go by, and which of the two
 * summaries is the result's median, q1 and q3 (both are in `wall` and `cpu`).
 */
export async function compare(
  contenders,
  { rounds = 9, sampleMs = 100, warmMs = 300, warmMaxMs = 15_000, clock = "wall" } = {},
) {
  const loadStart = os.loadavg()[0];
  const timers = contenders.map((c) => {
    if (c.sample) return c.sample;
    const fn = c.fn;
    return async (calls) => {
      const c0 = cpuMs();
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) {
        const r = fn();
        if (r instanceof Promise) await r;
      }
      const wall = performance.now() - t0;
      return { wall, cpu: cpuMs() - c0 };
    };
  });
  const calls = [];
  for (const [i, c] of contenders.entries()) {
    const timer = async (n) => (await timers[i](n))[clock];
    let n = c.calls ?? 1;
    let t = 0;
    const start = performance.now();
    if (c.calls === undefined) {
      for (;;) {
        await c.before?.();
        t = await timer(n);
        if (t >= sampleMs || n >= 1 << 24) break;
        n *= t > 0 ? Math.min(64, Math.max(2, Math.ceil((1.2 * sampleMs) / t))) : 64;
      }
    }
    calls.push(n);
    const minEnd = start + (c.warmMs ?? warmMs);
    const maxEnd = start + (c.warmMaxMs ?? warmMaxMs);
    let best = Number.POSITIVE_INFINITY;
    let still = 0;
    do {
      await c.before?.();
      t = (await timer(n)) / n;
      still = t < best * 0.9 ? 0 : still + 1;
      best = Math.min(best, t);
    } while ((still < 3 || performance.now() < minEnd) && performance.now() < maxEnd);
  }
  const wall = contenders.map(() => []);
  const cpu = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of contenders.entries()) {
      await c.before?.();
      const t = await timers[i](calls[i]);
      wall[i].push(t.wall / calls[i]);
      cpu[i].push(t.cpu / calls[i]);
    }
  }
  return {
    results: contenders.map((c, i) => {
      const w = summary(wall[i]);
      const u = summary(cpu[i]);
      return { name: c.name, calls: calls[i], ...(clock === "cpu" ? u : w), wall: w, cpu: u };
    }),
    rounds,
    load: [loadStart, os.loadavg()[0]],
  };
}

/** A summary scaled by k (e.g. per step when a call is several steps, or µs from ms). */
export function scaled(r, k) {
  return { ...r, median: r.median * k, q1: r.q1 * k, q3: r.q3 * k, min: r.min * k, max: r.max * k };
}

/** A compare() result with both its summaries scaled by k. */
export function per(r, k) {
  return { ...scaled(r, k), wall: scaled(r.wall, k), cpu: scaled(r.cpu, k) };
}

/** Column headers of cells(): wall and CPU time, each median, interquartile range and ratio. */
export function timeHeaders(unit, against) {
  return [
    `wall ${unit} (median)`,
    "wall IQR",
    `wall ÷ ${against}`,
    `CPU ${unit} (median)`,
    "CPU IQR",
    `CPU ÷ ${against}`,
  ];
}

/**
 * One row's time cells (timeHeaders()): the wall-time median, its interquartile range and its ratio to
 * ref's median, then the same for CPU time. Times are multiplied by k (1e3: µs from ms).
 */
export function timeCells(r, ref, { k = 1, digits = 2, bold = false } = {}) {
  const b = (x) => (bold ? `**${x}**` : x);
  return [
    ms(r.wall.median * k),
    iqr(r.wall, k),
    b(ratio(r.wall.median, ref.wall.median, digits)),
    ms(r.cpu.median * k),
    iqr(r.cpu, k),
    b(ratio(r.cpu.median, ref.cpu.median, digits)),
  ];
}

/** Formats a number of milliseconds. */
export function ms(x) {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x >= 0.001 ? x.toFixed(4) : x.toExponential(2);
}

/** The interquartile range of a result, as "q1–q3" in the unit of ms(). */
export function iqr(r, scale = 1) {
  return `${ms(r.q1 * scale)}–${ms(r.q3 * scale)}`;
}

/** a ÷ b as "1.23×". */
export function ratio(a, b, digits = 2) {
  return `${(a / b).toFixed(digits)}×`;
}

/** The date, Node, cores and the load average now: the line printed with every table. */
export function environment() {
  const [l1, l5, l15] = os.loadavg().map((x) => x.toFixed(2));
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  const date = new Date().toISOString().replace("T", " ").slice(0, 16);
  return `${date} UTC · Node ${process.version} · ${os.availableParallelism()} cores (${cpu}) · load average ${l1} / ${l5} / ${l15} (1 / 5 / 15 min)`;
}

/**
 * Prints a Markdown table with a title and, under the title, the date, Node, cores and load average
 * at printing time; given compare()'s result (or several), also the 1-minute load average at the
 * start and end of the measurement and the number of rounds.
 */
export function table(title, header, rows, ...measured) {
  const m = measured.filter(Boolean);
  const during =
    m.length === 0
      ? ""
      : ` · measured in ${m.map((x) => x.rounds).join(" + ")} interleaved rounds, 1-min load ${m
          .map((x) => `${x.load[0].toFixed(2)} → ${x.load[1].toFixed(2)}`)
          .join(", ")}`;
  const lines = [
    `### ${title}`,
    "",
    `<sub>${environment()}${during}</sub>`,
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
  ];
  console.log(lines.join("\n"));
  return lines.join("\n");
}
