/**
 * The path palette, measured: every colour reads as coloured text on white (WCAG 2 contrast
 * ≥ 4.5:1, computed here from the sRGB values), the colours stay apart for readers with
 * protanopia, deuteranopia or tritanopia (Machado et al. 2009 simulation, distance in OKLab), and
 * every colour has its own dash pattern, so a black-and-white print still tells the paths apart.
 */
import katex from "katex";
import { describe, expect, it } from "vitest";
import {
  colourDefinitions,
  KATEX_STRICT_OPTIONS,
  MUTED,
  PATH_COLOURS,
  pathColour,
  pathNumberLatex,
} from "../src/index.js";

type Rgb = readonly [number, number, number];

const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as unknown as Rgb;
/** sRGB component to linear light. */
const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
/** WCAG 2 relative luminance. */
const luminance = (c: Rgb) => {
  const [r, g, b] = c.map(linear) as unknown as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
/** WCAG 2 contrast ratio of two colours. */
const contrast = (a: Rgb, b: Rgb) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};
const WHITE: Rgb = [1, 1, 1];

/** Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB. */
const VISION: { readonly [name: string]: readonly (readonly number[])[] } = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

/** A colour as seen with a vision, in OKLab (Björn Ottosson's matrices). */
function seen(c: Rgb, m: readonly (readonly number[])[]): Rgb {
  const lin = c.map(linear);
  const [r, g, b] = m.map((row) =>
    Math.min(1, Math.max(0, row[0]! * lin[0]! + row[1]! * lin[1]! + row[2]! * lin[2]!)),
  ) as [number, number, number];
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const mm = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * mm - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * mm + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * mm - 0.808675766 * s,
  ];
}
const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe("the path palette", () => {
  it("has coloured text of at least 4.5:1 contrast on white, and muted lines of at least 3:1", () => {
    for (const c of PATH_COLOURS) expect(contrast(rgb(c.hex), WHITE), c.name).toBeGreaterThanOrEqual(4.5);
    expect(contrast(rgb(MUTED.hex), WHITE)).toBeGreaterThanOrEqual(3);
    // the formula itself: black on white is 21:1, the post's orange 2.3:1
    expect(contrast([0, 0, 0], WHITE)).toBeCloseTo(21, 6);
    expect(contrast(rgb("#FF8C00"), WHITE)).toBeCloseTo(2.33, 2);
  });

  it("keeps every two colours apart with normal vision and each kind of dichromacy", () => {
    const closest: [string, number][] = [];
    for (const [vision, m] of Object.entries(VISION)) {
      let min = Infinity;
      PATH_COLOURS.forEach((a, i) => {
        for (const b of PATH_COLOURS.slice(i + 1))
          min = Math.min(min, distance(seen(rgb(a.hex), m), seen(rgb(b.hex), m)));
      });
      closest.push([vision, min]);
    }
    // 0.1 in OKLab is several times a just-noticeable difference (about 0.02)
    for (const [vision, d] of closest) expect(d, vision).toBeGreaterThan(0.1);
    // the measure catches what it should: the old palette's seagreen and crimson are far apart
    // with normal vision and close together with deuteranopia
    const apart = (vision: string) =>
      distance(seen(rgb("#2E8B57"), VISION[vision]!), seen(rgb("#DC143C"), VISION[vision]!));
    expect(apart("normal")).toBeGreaterThan(0.3);
    expect(apart("deuteranopia")).toBeLessThan(0.06);
  });

  it("gives each colour its own dash pattern, so paths differ without colour", () => {
    const patterns = PATH_COLOURS.map((c) => c.dash.join(" "));
    expect(new Set(patterns).size).toBe(PATH_COLOURS.length);
    expect(new Set(PATH_COLOURS.map((c) => c.line)).size).toBe(PATH_COLOURS.length);
    for (const c of PATH_COLOURS) {
      expect(c.dash.length % 2).toBe(0);
      for (const v of c.dash) expect(v).toBeGreaterThan(0);
    }
  });

  it("names colours CSS and LaTeX both know, and defines each for pdflatex", () => {
    const defs = colourDefinitions();
    for (const c of [...PATH_COLOURS, MUTED]) {
      expect(c.name).toMatch(/^[a-z]+$/);
      expect(defs).toContain(`\\definecolor{${c.name}}{HTML}{${c.hex.slice(1)}}`);
    }
    expect(pathColour(PATH_COLOURS.length)).toBe(PATH_COLOURS[0]);
    expect(pathColour(-1)).toBe(PATH_COLOURS.at(-1));
  });

  it("writes a path's number as LaTeX that KaTeX accepts in strict mode", () => {
    for (const i of [0, 1, 9]) {
      expect(pathNumberLatex(i)).toContain(String(i + 1));
      expect(() => katex.renderToString(pathNumberLatex(i), KATEX_STRICT_OPTIONS)).not.toThrow();
    }
  });
});
