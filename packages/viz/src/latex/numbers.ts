/**
 * Numbers in LaTeX and in plain text: a fixed number of significant digits, trailing zeros
 * dropped, scientific notation (a × 10ⁿ) outside a readable range, and the non-finite values
 * spelt out. Exact small fractions (½, ⅓, …) are recognised so the printer can write 1/(2m).
 */

/** How numbers are written. */
export interface NumberStyle {
  /** Significant digits (1–17). */
  readonly digits: number;
  /** Plain notation for magnitudes in [minPlain, maxPlain); scientific outside. */
  readonly minPlain: number;
  readonly maxPlain: number;
}

/** The default style: 6 significant digits, plain between 10⁻⁴ and 10⁶. */
export const DEFAULT_NUMBER_STYLE: NumberStyle = { digits: 6, minPlain: 1e-4, maxPlain: 1e6 };

/** Mantissa and exponent of a finite non-zero number at `digits` significant digits. */
function parts(v: number, digits: number): { mantissa: string; exponent: number } {
  const [m, e] = Math.abs(v)
    .toExponential(Math.max(0, Math.min(16, digits - 1)))
    .split("e");
  return { mantissa: trim(m!), exponent: Number(e) };
}

/** Drops trailing zeros after a decimal point ("1.2500" → "1.25", "3.000" → "3"). */
function trim(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** Plain decimal spelling of a finite number at `digits` significant digits. */
function plain(v: number, digits: number): string {
  const s = Math.abs(v).toPrecision(Math.max(1, Math.min(17, digits)));
  // toPrecision may answer in exponent form for large or small numbers; expand it.
  if (s.includes("e")) {
    const x = Number(s);
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(x))));
    return trim(x.toFixed(Math.min(100, decimals)));
  }
  return trim(s);
}

/** Whether a finite number is written plainly (not scientific) in a style. */
function isPlain(v: number, style: NumberStyle): boolean {
  const a = Math.abs(v);
  if (a === 0) return true;
  // the magnitude after rounding decides (9.99999e-5 rounds to 1e-4)
  const rounded = Number(a.toPrecision(Math.max(1, Math.min(17, style.digits))));
  return rounded >= style.minPlain && rounded < style.maxPlain;
}

/** A number in LaTeX: `0.741514`, `-2.5`, `4.38 \times 10^{-5}`, `\infty`, `\text{NaN}`. */
export function latexNumber(v: number, style: NumberStyle = DEFAULT_NUMBER_STYLE): string {
  if (Number.isNaN(v)) return "\\text{NaN}";
  if (!Number.isFinite(v)) return v > 0 ? "\\infty" : "-\\infty";
  const sign = v < 0 ? "-" : "";
  if (isPlain(v, style)) return sign + plain(v, style.digits);
  const { mantissa, exponent } = parts(v, style.digits);
  return mantissa === "1" ? `${sign}10^{${exponent}}` : `${sign}${mantissa} \\times 10^{${exponent}}`;
}

/** A number in plain text (SVG labels, prose): `0.741514`, `4.38e-5`, `NaN`, `Infinity`. */
export function textNumber(v: number, style: NumberStyle = DEFAULT_NUMBER_STYLE): string {
  if (!Number.isFinite(v)) return String(v);
  const sign = v < 0 ? "−" : "";
  if (isPlain(v, style)) return sign + plain(v, style.digits);
  const { mantissa, exponent } = parts(v, style.digits);
  return `${sign}${mantissa}e${exponent}`;
}

/**
 * Reads back a number printed by {@link latexNumber} (for checks: a document's numbers can be
 * parsed and compared with the values it was built from). Returns NaN for anything else.
 */
export function parseLatexNumber(s: string): number {
  const t = s.trim();
  if (t === "\\text{NaN}") return NaN;
  if (t === "\\infty") return Infinity;
  if (t === "-\\infty") return -Infinity;
  const sci = /^(-?)(?:(\d+(?:\.\d+)?) \\times )?10\^\{(-?\d+)\}$/.exec(t);
  if (sci !== null) return Number(`${sci[1]}${sci[2] ?? "1"}e${sci[3]}`);
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

/** If v is 1/n for a whole n in 2…1000, that n; else null (0.5 → 2, so ½ prints as a fraction). */
export function reciprocalOf(v: number): number | null {
  if (v <= 0 || v >= 1) return null;
  const n = Math.round(1 / v);
  return n >= 2 && n <= 1000 && Math.abs(1 / n - v) <= 1e-12 * Math.abs(v) ? n : null;
}
