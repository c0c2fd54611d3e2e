/**
 * Notations for layered networks: the post's (θ⁽ˡ⁾_jk, a⁽ˡ⁾_j, J(θ)), Andrew Ng's course
 * (W^[l], b^[l], input layer 0) and Michael Nielsen's book (w^l_jk, b^l_j, cost C).
 *
 * Every function takes layers in the post's numbering (1 = input layer; θ⁽ˡ⁾ connects layer l to
 * l+1) and spells them in the notation's own numbering, so one derivation prints in any notation.
 * Layers may be symbolic (`{ symbol: "l", offset: 1 }` is l+1) for general formulas: a symbol
 * names a layer in the notation's own numbering (L is the output layer in every notation), so a
 * symbolic unit layer prints as it is and a symbolic weight layer carries only the difference
 * between how the notation numbers weights and units (Ng: δ^[l] = (W^[l+1])ᵀ δ^[l+1] ⊙ g′(z^[l])).
 */
import { lookup } from "@chainrule/core";

/** The notation names. */
export const NOTATIONS = ["post", "ng", "nielsen"] as const;
/** A notation name. */
export type NotationName = (typeof NOTATIONS)[number];

/** A layer number, or a symbolic one such as l+1 or L. */
export type LayerIndex = number | { readonly symbol: string; readonly offset: number };
/** A neuron index: a number or a symbol such as j. */
export type Index = number | string;

/** How one notation spells the quantities of a layered network. */
export interface Notation {
  readonly name: NotationName;
  /** One sentence naming the convention, for a document's notation section (math between `$`). */
  readonly source: string;
  /** The weight into neuron j of layer l+1 from neuron k of layer l (post: θ⁽ˡ⁾_jk). */
  weight(l: LayerIndex, j: Index, k: Index): string;
  /** The bias of neuron j of layer l+1 (post: θ⁽ˡ⁾_j0). */
  bias(l: LayerIndex, j: Index): string;
  /** Input k. */
  x(k?: Index): string;
  /** Target j. */
  y(j?: Index): string;
  /** Weighted sum of neuron j of layer l (the vector when j is absent). */
  z(l: LayerIndex, j?: Index): string;
  /** Activation of neuron j of layer l (layer 1 is the input x). */
  a(l: LayerIndex, j?: Index): string;
  /** δ of neuron j of layer l: ∂J/∂z. */
  delta(l: LayerIndex, j?: Index): string;
  /** The weight matrix from layer l to l+1. */
  weightMatrix(l: LayerIndex): string;
  /** The bias vector into layer l+1. */
  biasVector(l: LayerIndex): string;
  /** The cost as it appears in ∂J/∂·. */
  readonly cost: string;
  /** The generic activation function of layer l applied to `arg`, and its derivative. */
  activation(l: LayerIndex, arg: string): string;
  derivative(l: LayerIndex, arg: string): string;
  /** The learning rate. */
  readonly rate: string;
  /** Transposition, as a superscript. */
  readonly transpose: string;
  /** The layer numbering in words, e.g. "layers 1 to L, the input layer is layer 1". */
  layerWord(l: LayerIndex): string;
  /** The number of the input layer in this notation (post and Nielsen 1, Ng 0); the output layer is L. */
  readonly inputLayer: number;
  /**
   * How much further on the notation numbers a weight than the post: a symbolic weight layer
   * `{ symbol: "l", offset: -weightOffset }` prints as layer l (Ng's W^[l], Nielsen's w^l).
   */
  readonly weightOffset: number;
}

/** Spells a (possibly symbolic) layer shifted by `shift`. */
export function layerText(l: LayerIndex, shift = 0): string {
  if (typeof l === "number") return String(l + shift);
  const off = l.offset + shift;
  return off === 0 ? l.symbol : off > 0 ? `${l.symbol}+${off}` : `${l.symbol}-${-off}`;
}

/** Subscript of neuron indices: `_{11}` when every index is one character, else `_{12,3}`. */
export function indexText(...idx: readonly Index[]): string {
  const parts = idx.map(String);
  return parts.every((p) => p.length === 1) ? `_{${parts.join("")}}` : `_{${parts.join(",")}}`;
}

/** Subscript of neuron indices, always separated: `_{1,1}` (a network with an index of 10 or more). */
export function separatedIndexText(...idx: readonly Index[]): string {
  return `_{${idx.map(String).join(",")}}`;
}

const sub = (j: Index | undefined) => (j === undefined ? "" : indexText(j));

/** A notation from its layer superscript and per-quantity layer shifts. */
function make(
  name: NotationName,
  source: string,
  sup: (layer: string) => string,
  shift: { readonly unit: number; readonly weight: number },
  letters: {
    readonly weight: string;
    readonly weightMatrix: string;
    readonly cost: string;
    readonly rate: string;
    readonly biasAsWeight: boolean;
  },
  activation: (l: string, arg: string, prime: boolean) => string,
  index: (...idx: readonly Index[]) => string = indexText,
): Notation {
  // numbers move to the notation's numbering; symbols already name the notation's own layers
  const unit = (l: LayerIndex) => layerText(l, typeof l === "number" ? shift.unit : 0);
  const weightLayer = (l: LayerIndex) => layerText(l, typeof l === "number" ? shift.weight : shift.weight - shift.unit);
  const u = (l: LayerIndex) => `^{${sup(unit(l))}}`;
  const w = (l: LayerIndex) => `^{${sup(weightLayer(l))}}`;
  const isInput = (l: LayerIndex) => typeof l === "number" && l === 1;
  return {
    name,
    source,
    weight: (l, j, k) => `${letters.weight}${w(l)}${index(j, k)}`,
    // the post writes a bias as the weight from a constant neuron 0: θ⁽ˡ⁾_j0
    bias: (l, j) => (letters.biasAsWeight ? `${letters.weight}${w(l)}${index(j, 0)}` : `b${w(l)}${indexText(j)}`),
    x: (k) => `x${sub(k)}`,
    y: (j) => `y${sub(j)}`,
    z: (l, j) => `z${u(l)}${sub(j)}`,
    a: (l, j) => (isInput(l) ? `x${sub(j)}` : `a${u(l)}${sub(j)}`),
    delta: (l, j) => `\\delta${u(l)}${sub(j)}`,
    weightMatrix: (l) => `${letters.weightMatrix}${w(l)}`,
    biasVector: (l) => `b${w(l)}`,
    cost: letters.cost,
    activation: (l, arg) => activation(unit(l), arg, false),
    derivative: (l, arg) => activation(unit(l), arg, true),
    rate: letters.rate,
    transpose: "^{\\mathsf{T}}",
    layerWord: (l) => `layer ${unit(l)}`,
    inputLayer: 1 + shift.unit,
    weightOffset: shift.weight - shift.unit,
  };
}

/** The notations by name, with weight indices written by `index`. */
function notations(index: (...idx: readonly Index[]) => string): { readonly [K in NotationName]: Notation } {
  return {
    // θ⁽ˡ⁾_jk: to neuron j of layer l+1, from neuron k of layer l ("read it like a mailing label")
    post: make(
      "post",
      "The post's notation: layers are numbered from 1 (the input layer, $a^{(1)} = x$); $\\theta^{(l)}_{jk}$ is the weight into neuron $j$ of layer $l+1$ from neuron $k$ of layer $l$ (read it like a mailing label: to $j$, from $k$), and $\\theta^{(l)}_{j0}$ is the bias of neuron $j$ of layer $l+1$.",
      (l) => `(${l})`,
      { unit: 0, weight: 0 },
      { weight: "\\theta", weightMatrix: "\\Theta", cost: "J(\\theta)", rate: "\\eta", biasAsWeight: true },
      (_l, arg, prime) => `f${prime ? "'" : ""}\\left(${arg}\\right)`,
      index,
    ),
    // W^[l]_jk: layer l's weights; the input layer is layer 0, so post layer p is Ng's layer p − 1
    ng: make(
      "ng",
      "Andrew Ng's notation: the input layer is layer 0 ($a^{[0]} = x$); $W^{[l]}_{jk}$ is the weight into neuron $j$ of layer $l$ from neuron $k$ of layer $l-1$, $b^{[l]}_{j}$ the bias of neuron $j$ of layer $l$, and $g^{[l]}$ is layer $l$'s activation.",
      (l) => `[${l}]`,
      { unit: -1, weight: 0 },
      { weight: "W", weightMatrix: "W", cost: "J", rate: "\\alpha", biasAsWeight: false },
      (l, arg, prime) => `g^{[${l}]${prime ? "\\prime" : ""}}\\left(${arg}\\right)`,
      index,
    ),
    // w^l_jk: into neuron j of layer l from neuron k of layer l − 1, so post θ⁽ˡ⁾ is w^(l+1)
    nielsen: make(
      "nielsen",
      "Michael Nielsen's notation: layers are numbered from 1 (the input layer, $a^{1} = x$); $w^{l}_{jk}$ is the weight into neuron $j$ of layer $l$ from neuron $k$ of layer $l-1$, $b^{l}_{j}$ the bias of neuron $j$ of layer $l$, and $C$ the cost.",
      (l) => l,
      { unit: 0, weight: 1 },
      { weight: "w", weightMatrix: "w", cost: "C", rate: "\\eta", biasAsWeight: false },
      (_l, arg, prime) => `\\sigma${prime ? "'" : ""}\\left(${arg}\\right)`,
      index,
    ),
  };
}

/** The notations by name. */
export const NOTATION_TABLE: { readonly [K in NotationName]: Notation } = notations(indexText);

/**
 * The notations with weight indices always separated by commas (θ⁽²⁾_{1,10}, θ⁽²⁾_{1,0}), for a
 * network with ten or more neurons in a layer, where θ⁽²⁾_{10} could be read either way.
 */
export const SEPARATED_NOTATION_TABLE: { readonly [K in NotationName]: Notation } = notations(separatedIndexText);

/** The notation with this name, or an UnknownNameError listing the known ones. */
export function notation(name: string): Notation {
  return lookup(NOTATION_TABLE, name, "notation");
}
