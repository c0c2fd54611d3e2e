/**
 * The page's side of the worker, with a worker stand-in that answers when told: only the newest
 * request's answer reaches the page, a request waits while the worker derives, goes straight in
 * while the worker only sends slices, and a worker stuck on an unwanted derivation is replaced.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Derived, DeriveRequest, DeriveResponse } from "../src/protocol.js";
import { DEFAULT_STATE } from "../src/state.js";
import { DeriveClient } from "../src/worker-client.js";

/** A worker that records what it is sent and answers only when the test says so. */
class FakeWorker {
  readonly sent: DeriveRequest[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<DeriveResponse>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(req: DeriveRequest): void {
    this.sent.push(req);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(res: DeriveResponse): void {
    this.onmessage?.({ data: res } as MessageEvent<DeriveResponse>);
  }
}

const derived = (tag: string) => ({ view: "chain", html: tag }) as unknown as Derived;

function setup() {
  const workers: FakeWorker[] = [];
  const log: string[] = [];
  const client = new DeriveClient(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    {
      onDerived: (d) => log.push(`derived ${d.html}`),
      onMore: (html) => log.push(`more ${html}`),
      onFailed: (m) => log.push(`failed ${m}`),
      onBusy: (b) => log.push(b ? "busy" : "idle"),
    },
  );
  return { client, workers, log };
}

afterEach(() => vi.restoreAllMocks());

describe("DeriveClient", () => {
  it("shows an answer in parts and goes idle after the final one", () => {
    const { client, workers, log } = setup();
    client.request(DEFAULT_STATE);
    const w = workers[0]!;
    expect(w.sent.map((r) => r.id)).toEqual([1]);
    w.answer({ id: 1, kind: "derived", derived: derived("a"), ms: 5, final: false });
    w.answer({ id: 1, kind: "more", html: "b", final: false });
    w.answer({ id: 1, kind: "more", html: "c", final: true });
    expect(log).toEqual(["busy", "derived a", "more b", "more c", "idle"]);
  });

  it("holds a newer request while the worker derives, drops the stale answer, and keeps only the newest", () => {
    const { client, workers, log } = setup();
    client.request(DEFAULT_STATE);
    client.request({ ...DEFAULT_STATE, notation: "ng" });
    client.request({ ...DEFAULT_STATE, notation: "nielsen" });
    const w = workers[0]!;
    expect(w.sent.map((r) => r.id)).toEqual([1]);
    w.answer({ id: 1, kind: "derived", derived: derived("stale"), ms: 5, final: false });
    // the worker is free for the newest request (request 2 was replaced by 3)
    expect(w.sent.map((r) => [r.id, r.state.notation])).toEqual([
      [1, "post"],
      [3, "nielsen"],
    ]);
    w.answer({ id: 1, kind: "more", html: "stale rest", final: true });
    w.answer({ id: 3, kind: "derived", derived: derived("fresh"), ms: 5, final: true });
    expect(log.filter((l) => l !== "busy")).toEqual(["derived fresh", "idle"]);
  });

  it("sends a newer request at once while the worker only sends slices of an older view", () => {
    const { client, workers, log } = setup();
    client.request(DEFAULT_STATE);
    const w = workers[0]!;
    w.answer({ id: 1, kind: "derived", derived: derived("a"), ms: 5, final: false });
    client.request({ ...DEFAULT_STATE, view: "delta" });
    expect(w.sent.map((r) => r.id)).toEqual([1, 2]);
    w.answer({ id: 1, kind: "more", html: "old slice", final: false });
    w.answer({ id: 2, kind: "derived", derived: derived("delta"), ms: 5, final: true });
    expect(log.filter((l) => l !== "busy")).toEqual(["derived a", "derived delta", "idle"]);
  });

  it("replaces a worker that has been deriving an unwanted state for too long", () => {
    const now = vi.spyOn(performance, "now").mockReturnValue(1000);
    const { client, workers, log } = setup();
    client.request({ ...DEFAULT_STATE, network: { ...DEFAULT_STATE.network, sizes: [784, 128, 10] } });
    now.mockReturnValue(1000 + 5000);
    client.request(DEFAULT_STATE);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.sent.map((r) => r.id)).toEqual([2]);
    workers[1]!.answer({ id: 2, kind: "derived", derived: derived("small"), ms: 5, final: true });
    expect(log.filter((l) => l !== "busy")).toEqual(["derived small", "idle"]);
  });

  it("reports a failure of the newest request", () => {
    const { client, workers, log } = setup();
    client.request(DEFAULT_STATE);
    workers[0]!.answer({ id: 1, kind: "failed", message: "no" });
    expect(log).toEqual(["busy", "failed no", "idle"]);
  });
});
