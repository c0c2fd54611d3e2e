/**
 * A view whose HTML arrives in parts and goes on the page only as the reader gets near it. Long
 * views (every parameter's chains of a large network) are megabytes of KaTeX; parsing and laying
 * that out at once would stall the page, so the parts wait until a sentinel at the end of the view
 * comes within about a screen of the viewport, and go in one per frame.
 */
import { el } from "./dom.js";

/** How far below the viewport the end of the view may be when the next part goes in. */
const AHEAD = "0px 0px 800px 0px";

/** The view's element, filled lazily. */
export class LazyView {
  private readonly sentinel: HTMLElement = el("div", { class: "view-end", "aria-hidden": "true" });
  private readonly observer: IntersectionObserver;
  private pending: string[] = [];
  private near = false;
  private frame = 0;

  constructor(private readonly host: HTMLElement) {
    this.observer = new IntersectionObserver(
      (entries) => {
        this.near = entries.some((e) => e.isIntersecting);
        if (this.near) this.schedule();
      },
      { rootMargin: AHEAD },
    );
    this.observer.observe(this.sentinel);
  }

  /** Replaces the view with its first part; later parts come through {@link more}. */
  reset(html: string): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending = [];
    this.host.innerHTML = html;
    this.host.append(this.sentinel);
    this.mark();
  }

  /** Another part of the view: shown now if the reader is near the end, else when they get there. */
  more(html: string): void {
    this.pending.push(html);
    this.mark();
    if (this.near) this.schedule();
  }

  /** Parts not on the page yet. */
  get waiting(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.frame !== 0 || this.pending.length === 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const next = this.pending.shift();
      if (next === undefined) return;
      this.sentinel.insertAdjacentHTML("beforebegin", next);
      this.mark();
      // look again where the end of the view is now: observing anew reports the current state
      this.observer.unobserve(this.sentinel);
      this.near = false;
      this.observer.observe(this.sentinel);
    });
  }

  /** `data-waiting` on the view: how many parts are held back (for tests and styles). */
  private mark(): void {
    this.host.dataset["waiting"] = String(this.pending.length);
  }
}
