/**
 * Small DOM helpers: building elements, finding the page's fixed elements, and the message line
 * each control has for invalid input.
 */

/** Attributes of {@link el}: strings, or false/undefined to leave one out. */
type Attrs = { readonly [name: string]: string | number | boolean | undefined };

/** An element with attributes and children (strings become text). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: readonly (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? "" : String(v));
  }
  e.append(...children);
  return e;
}

/** The page element with this id, which index.html always has. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`chainrule explorer: the page has no #${id}.`);
  return e as T;
}

/** A labelled control with a message line under it, for the control panels. */
export interface Field {
  readonly root: HTMLElement;
  /** Shows a message and marks the offending control (default: every control of the field), or clears both (null). */
  message(text: string | null, culprit?: Element): void;
}

/** A field: a label, the control(s), and an initially empty message line. */
export function field(name: string, label: string, ...controls: readonly Node[]): Field {
  const msg = el("p", { class: "msg", id: `msg-${name}`, role: "alert", "aria-live": "polite" });
  const root = el(
    "div",
    { class: "field", "data-field": name },
    el("label", { class: "label" }, label),
    ...controls,
    msg,
  );
  for (const c of controls)
    if (c instanceof HTMLElement && c.matches("input, select")) c.setAttribute("aria-describedby", msg.id);
  return {
    root,
    message(text, culprit) {
      msg.textContent = text ?? "";
      root.classList.toggle("invalid", text !== null);
      for (const c of root.querySelectorAll("input, select"))
        c.setAttribute("aria-invalid", String(text !== null && (culprit === undefined || c === culprit)));
    },
  };
}

/** A select with these options, one selected. */
export function select(
  name: string,
  options: readonly (readonly [value: string, text: string])[],
  selected: string,
): HTMLSelectElement {
  const s = el("select", { name, id: `ctl-${name}` });
  for (const [value, text] of options) s.append(el("option", { value, selected: value === selected }, text));
  return s;
}

/** Calls `f` once `ms` have passed without another call (typing settles before the page derives). */
export function debounce<A extends unknown[]>(f: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
}
