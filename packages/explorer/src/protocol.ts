/**
 * Messages between the page and the derivation worker. The page sends the whole state; the worker
 * answers with everything the derivation views show for it, already rendered (KaTeX HTML, the
 * SVG diagram) plus the plain data the page needs to make the diagram clickable.
 */
import type { ExplorerState, NotationChoice, ViewId } from "./state.js";

/** Derive the views for this state. */
export interface DeriveRequest {
  readonly id: number;
  readonly state: ExplorerState;
}

/** A line of the diagram between two units, carrying parameters (none for a → J). */
export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly params: readonly string[];
}

/** One highlighted path: its colour and the unit-to-unit hops it takes. */
export interface DiagramPath {
  readonly colour: string;
  readonly hops: readonly (readonly [string, string])[];
}

/** The network diagram: viz's SVG, and its edges and highlighted paths as data. */
export interface DiagramData {
  readonly svg: string;
  /** The same diagram as TikZ, with the preamble it needs as comments (for "copy LaTeX"). */
  readonly tikz: string;
  /** In the order the SVG draws them. */
  readonly edges: readonly DiagramEdge[];
  readonly paths: readonly DiagramPath[];
  /** Neurons left out of wide layers (drawn as ⋮). */
  readonly elided: boolean;
}

/** Parameters, inputs or targets of the worked example: ids, KaTeX labels and values. */
export interface ValueTable {
  readonly ids: readonly string[];
  readonly labels: readonly string[];
  readonly values: readonly number[];
}

/** How a notation writes the parameter the controls choose (θ⁽ˡ⁾_jk in the post's). */
export interface ParamNaming {
  /** The weight into neuron j from neuron k and the bias of neuron j, as KaTeX HTML (W^[l]_jk, b^[l]_j). */
  readonly weight: string;
  readonly bias: string;
  /** The weight's letter as plain text (θ, W, w), for messages and labels read aloud. */
  readonly letter: string;
  /** The notation's number for the post's θ⁽¹⁾ is 1 + shift: the controls show l + shift. */
  readonly shift: number;
}

/** What the views show for one state. */
export interface Derived {
  /** The view rendered. */
  readonly view: ViewId;
  /** Counts from core, as decimal strings (they can exceed 2^53). */
  readonly parameters: string;
  readonly paths: string;
  readonly factors: string;
  /** δ terms: one per weighted sum. */
  readonly deltas: number;
  /** The chosen parameter: node id, KaTeX label, number of paths to the cost. */
  readonly param: { readonly id: string; readonly label: string; readonly paths: string };
  readonly diagram: DiagramData;
  /** The view as HTML (its first part when more follows), and the whole view as LaTeX for "copy LaTeX". */
  readonly html: string;
  readonly latex: string;
  /** The worked example's numbers, for typing over; null for networks too large to type into. */
  readonly values: { readonly theta: ValueTable; readonly x: ValueTable; readonly y: ValueTable } | null;
  /** A remark about the numbers (e.g. typed numbers that no longer fit the network), or null. */
  readonly note: string | null;
  /** How each notation writes the chosen parameter's kind, for the controls' labels. */
  readonly naming: { readonly [K in NotationChoice]: ParamNaming };
}

/**
 * The worker's answers to one request: the derivation with the view's first part (up to its first
 * equation group, so something is on screen soon), then — unless that was all — the rest of the
 * view in slices, the last one marked final; or why it failed. A newer request stops the slices.
 */
export type DeriveResponse =
  | {
      readonly id: number;
      readonly kind: "derived";
      readonly derived: Derived;
      readonly ms: number;
      readonly final: boolean;
    }
  | { readonly id: number; readonly kind: "more"; readonly html: string; readonly final: boolean }
  | { readonly id: number; readonly kind: "failed"; readonly message: string };
