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
  /** Waiting for the observer to say where the end of the view is. */
  private checking = false;

  constructor(private readonly host: HTMLElement) {
    this.observer = new IntersectionObserver(
      (entries) => {
        this.checking = false;
        this.near = entries.some((e) => e.isIntersecting);
        if (this.near) this.schedule();
        this.mark();
      },
      { rootMargin: AHEAD },
    );
  }

  /** Replaces the view with its first part; later parts come through {@link more}. */
  reset(html: string): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending = [];
    this.host.innerHTML = html;
    this.host.append(this.sentinel);
    this.recheck();
  }

  /** Another part of the view: shown now if the reader is near the end, else when they get there. */
  more(html: string): void {
    this.pending.push(html);
    this.mark();
    if (this.near) this.schedule();
  }

  private schedule(): void {
    if (this.frame !== 0 || this.pending.length === 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const next = this.pending.shift();
      if (next !== undefined) this.sentinel.insertAdjacentHTML("beforebegin", next);
      this.recheck();
    });
    this.mark();
  }

  /** Asks the observer anew where the end of the view is (observing again reports the current state). */
  private recheck(): void {
    this.checking = true;
    this.near = false;
    this.observer.unobserve(this.sentinel);
    this.observer.observe(this.sentinel);
    this.mark();
  }

  /**
   * On the view, for tests and styles: `data-waiting`, parts held back until the reader nears
   * them; `data-filling`, "true" while parts are going in (the view is about to change).
   */
  private mark(): void {
    this.host.dataset.waiting = String(this.pending.length);
    this.host.dataset.filling = String(this.frame !== 0 || this.checking);
  }
}
