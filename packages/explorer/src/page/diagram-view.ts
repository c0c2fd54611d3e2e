/**
 * The network diagram: viz's SVG as it stands, made clickable. viz draws one grey line per edge of
 * its layout, in the layout's order, as the paths of the first group; each gets the edge's data
 * (`data-from`, `data-to`, `data-params`, `data-highlighted` when one of the chosen parameter's
 * paths runs along it) and a wide invisible twin on top that takes clicks and the keyboard.
 */
import type { DiagramData, DiagramEdge } from "../protocol.js";
import { type ParamAddress, paramAddressOf } from "../state.js";

const SVG_NS = "http://www.w3.org/2000/svg";

/** Whether the SVG's edge lines line up with the layout's edges (viz's drawing order). */
function edgeLines(svg: SVGSVGElement, edges: readonly DiagramEdge[]): SVGPathElement[] | null {
  const group = svg.querySelector(":scope > g");
  const lines = group === null ? [] : [...group.querySelectorAll<SVGPathElement>(":scope > path")];
  return lines.length === edges.length ? lines : null;
}

/** The unit-to-unit hops of the highlighted paths ("from→to"), each with the colours of the paths using it. */
function highlightedHops(d: DiagramData): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of d.paths) {
    for (const [a, b] of p.hops) {
      if (a === b) continue; // z → a inside one neuron is not an edge
      const key = `${a}→${b}`;
      out.set(key, [...(out.get(key) ?? []), p.colour]);
    }
  }
  return out;
}

/**
 * Shows `d` in `host`; clicking (or Enter on) an edge that carries a parameter calls `choose`.
 * `name` words a parameter for screen readers, in the chosen notation.
 */
export function showDiagram(
  host: HTMLElement,
  d: DiagramData,
  chosen: string,
  name: (p: ParamAddress) => string,
  choose: (p: ParamAddress) => void,
): void {
  host.innerHTML = d.svg;
  const svg = host.querySelector("svg");
  if (svg === null) return;
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  const lines = edgeLines(svg, d.edges);
  host.dataset.interactive = String(lines !== null);
  if (lines === null) return;
  const hot = highlightedHops(d);
  const hits = document.createElementNS(SVG_NS, "g");
  hits.setAttribute("class", "hits");
  d.edges.forEach((e, i) => {
    const line = lines[i]!;
    const key = `${e.from}→${e.to}`;
    line.classList.add("edge");
    line.dataset.from = e.from;
    line.dataset.to = e.to;
    line.dataset.params = e.params.join(" ");
    if (hot.has(key)) {
      line.dataset.highlighted = "true";
      line.dataset.colours = hot.get(key)!.join(" ");
    }
    if (e.params.includes(chosen)) line.classList.add("chosen");
    const address = e.params.map(paramAddressOf).find((a) => a !== null);
    if (address === undefined) return;
    const hit = document.createElementNS(SVG_NS, "path");
    hit.setAttribute("d", line.getAttribute("d") ?? "");
    hit.setAttribute("class", e.params.includes(chosen) ? "hit chosen" : "hit");
    hit.setAttribute("tabindex", "0");
    hit.setAttribute("role", "button");
    hit.setAttribute("aria-label", `choose ${name(address)}`);
    hit.dataset.param = e.params[0]!;
    const pick = () => choose(address);
    hit.addEventListener("click", pick);
    hit.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        pick();
      }
    });
    hits.append(hit);
  });
  svg.append(hits);
}
