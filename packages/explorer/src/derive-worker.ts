/**
 * The derivation worker: core and viz run here, off the page's thread, so deriving a large network
 * never freezes the controls. A request is answered with the derivation and its view's first part
 * at once, then the rest of the view in slices of a few tens of milliseconds; between slices the
 * worker looks at its messages, and a newer request ends the older one's slices.
 */
import { ChainruleError } from "@chainrule/core";
import type { Block } from "@chainrule/viz";
import { blocksHtml } from "./derive/blocks.js";
import { deriveParts } from "./derive/derive.js";
import type { DeriveRequest, DeriveResponse } from "./protocol.js";

/** The parts of the worker's global scope used here (the DOM library types the page, not workers). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<DeriveRequest>) => void) | null;
  postMessage(message: DeriveResponse): void;
}

const scope = self as unknown as WorkerScope;

/** Milliseconds of rendering per slice of a view's rest. */
const SLICE_MS = 30;

/** The newest request's id: slices of any older one stop. */
let newest = 0;

/** Why a derivation failed, in one line. */
function reason(e: unknown): string {
  // the page checks its input first, so this is a library error worth showing as it is
  return e instanceof ChainruleError
    ? e.message
    : `The derivation failed: ${e instanceof Error ? e.message : String(e)}`;
}

/** Renders and posts the rest of request `id`'s view, a slice per task, while it is the newest. */
function sendRest(id: number, rest: readonly Block[], from: number): void {
  if (id !== newest) return;
  try {
    const t0 = performance.now();
    let i = from;
    const html: string[] = [];
    while (i < rest.length && performance.now() - t0 < SLICE_MS) html.push(blocksHtml([rest[i++]!]));
    const final = i === rest.length;
    scope.postMessage({ id, kind: "more", html: html.join("\n"), final });
    // a timer task lets a newer request's message in before the next slice
    if (!final) setTimeout(() => sendRest(id, rest, i), 0);
  } catch (e) {
    scope.postMessage({ id, kind: "failed", message: reason(e) });
  }
}

scope.onmessage = (event) => {
  const { id, state } = event.data;
  newest = id;
  const t0 = performance.now();
  try {
    const { derived, rest } = deriveParts(state);
    scope.postMessage({ id, kind: "derived", derived, ms: performance.now() - t0, final: rest.length === 0 });
    if (rest.length > 0) setTimeout(() => sendRest(id, rest, 0), 0);
  } catch (e) {
    scope.postMessage({ id, kind: "failed", message: reason(e) });
  }
};
