/**
 * Starting derivation workers. Imported first by the entry, so the first worker starts as soon as
 * the page's script runs, before the controls are built.
 */

/** A new derivation worker. */
export function spawnWorker(): Worker {
  return new Worker(new URL("./derive-worker.ts", import.meta.url), { type: "module", name: "derive" });
}

let early: Worker | null = spawnWorker();

/** The worker started at load for the first call, a new one for every later call. */
export function earlyWorker(): Worker {
  const w = early ?? spawnWorker();
  early = null;
  return w;
}
