/**
 * The page's side of the derivation worker. Only the newest request matters. While the worker is
 * computing a derivation, a newer request waits (replacing any older waiting one) — unless the
 * worker has been at it for a while (a large network), in which case a fresh worker takes the new
 * request. Once a derivation's first part is back, the worker is only sending the rest of its
 * view in slices, and a newer request goes straight to it (the worker drops the old slices).
 */
import type { Derived, DeriveRequest, DeriveResponse } from "./protocol.js";
import type { ExplorerState } from "./state.js";

/** What the client reports. */
export interface ClientEvents {
  /** The answer to the newest request (its view's first part when more follows). */
  onDerived(derived: Derived, ms: number): void;
  /** More of the newest answer's view. */
  onMore(html: string): void;
  /** The newest request failed; the message says why. */
  onFailed(message: string): void;
  /** Busy (true) while a request is out, idle (false) once the newest is answered in full. */
  onBusy(busy: boolean): void;
}

/** Milliseconds after which a worker busy deriving is replaced rather than waited for. */
const PATIENCE_MS = 300;

/** The request the worker is on: computing its derivation ("first"), or sending its view's rest. */
interface Running {
  readonly id: number;
  readonly since: number;
  phase: "first" | "rest";
}

/** Sends states to a derivation worker and hands back the newest answer. */
export class DeriveClient {
  private worker: Worker;
  private nextId = 1;
  private running: Running | null = null;
  private waiting: DeriveRequest | null = null;

  constructor(
    private readonly spawn: () => Worker,
    private readonly events: ClientEvents,
  ) {
    this.worker = this.start();
  }

  /** Asks for the views of `state`; earlier requests are dropped. */
  request(state: ExplorerState): void {
    const req: DeriveRequest = { id: this.nextId++, state };
    this.events.onBusy(true);
    if (this.running === null || this.running.phase === "rest") {
      this.send(req);
      return;
    }
    if (performance.now() - this.running.since > PATIENCE_MS) {
      // a long derivation nobody wants now: a fresh worker is faster than waiting for it
      this.worker.terminate();
      this.worker = this.start();
      this.send(req);
      return;
    }
    this.waiting = req;
  }

  private start(): Worker {
    const w = this.spawn();
    w.onmessage = (e: MessageEvent<DeriveResponse>) => this.answered(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      this.running = null;
      this.events.onFailed(
        `The derivation worker stopped: ${e.message || "unknown error"}. Change a control to try again.`,
      );
      this.events.onBusy(false);
    };
    return w;
  }

  private send(req: DeriveRequest): void {
    this.running = { id: req.id, since: performance.now(), phase: "first" };
    this.waiting = null;
    this.worker.postMessage(req);
  }

  private answered(res: DeriveResponse): void {
    const run = this.running;
    if (run === null || res.id !== run.id) return;
    if (this.waiting !== null && res.kind !== "more") {
      // the derivation is out of date: the worker is free for the newer one (it drops any slices)
      this.send(this.waiting);
      return;
    }
    const final = res.kind === "failed" || res.final;
    if (res.kind === "derived") this.events.onDerived(res.derived, res.ms);
    else if (res.kind === "more") this.events.onMore(res.html);
    else this.events.onFailed(res.message);
    if (final) {
      this.running = null;
      this.events.onBusy(false);
    } else run.phase = "rest";
  }
}

/** A new derivation worker. */
export function spawnWorker(): Worker {
  return new Worker(new URL("./derive-worker.ts", import.meta.url), { type: "module", name: "derive" });
}

// Started when the page's script is evaluated (the entry imports this module first), so the
// worker loads core and viz while the page builds its controls.
let early: Worker | null = typeof Worker === "function" ? spawnWorker() : null;

/** The worker started at load for the first call, a new one for every later call. */
export function earlyWorker(): Worker {
  const w = early ?? spawnWorker();
  early = null;
  return w;
}
