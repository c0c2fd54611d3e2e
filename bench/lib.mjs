// Benchmark helpers: peers run side by side in one process, figures are ratios.
// Usage: const t = time(() => work(), { minMs: 300 }); → median ms per call over batches.

/** Median milliseconds per call of fn, measured in batches for at least minMs (after warm-up). */
export function time(fn, { minMs = 300, warmMs = 100, batch = 0 } = {}) {
  let n = batch;
  if (n === 0) {
    // Calibrate: enough calls for ~5 ms per batch.
    n = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn();
      if (performance.now() - t0 > 5 || n > 1 << 24) break;
      n *= 2;
    }
  }
  // Warm up for at least warmMs, then until the per-call time stops falling (the engine has
  // finished optimising: large generated functions can take seconds on a busy machine), at most 15 s.
  const warmEnd = performance.now() + warmMs;
  while (performance.now() < warmEnd) for (let i = 0; i < n; i++) fn();
  const window = () => {
    const t0 = performance.now();
    let calls = 0;
    while (performance.now() - t0 < 100) {
      for (let i = 0; i < n; i++) fn();
      calls += n;
    }
    return (performance.now() - t0) / calls;
  };
  let best = window();
  for (let still = 0, end = performance.now() + 15_000; still < 3 && performance.now() < end; ) {
    const t = window();
    if (t < best * 0.9) still = 0;
    else still++;
    best = Math.min(best, t);
  }
  const samples = [];
  const end = performance.now() + minMs;
  while (performance.now() < end || samples.length < 5) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    samples.push((performance.now() - t0) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** Async variant of time() for peers whose step returns a promise. */
export async function timeAsync(fn, { minMs = 300, warmRuns = 3 } = {}) {
  for (let i = 0; i < warmRuns; i++) await fn();
  const samples = [];
  const end = performance.now() + minMs;
  while (performance.now() < end || samples.length < 5) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** Formats a number of milliseconds. */
export function ms(x) {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x >= 0.001 ? x.toFixed(4) : x.toExponential(2);
}

/** Prints a Markdown table with a title. */
export function table(title, header, rows) {
  const lines = [
    `### ${title}`,
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
  ];
  console.log(lines.join("\n"));
  return lines.join("\n");
}
