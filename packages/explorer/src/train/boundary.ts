/**
 * The decision boundary on a canvas: the network's output over a grid covering the data, each
 * cell coloured by its predicted class (paler where the network is unsure), then the examples as
 * dots in their class colour. The colours are viz's path colours, so class 1 is the post's blue.
 */
import { PATH_COLOURS } from "@chainrule/viz";

/** The plane shown: the data's bounding box with a margin. */
export interface Frame {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** A square frame around m points (x: m × 2), with a 15% margin. */
export function frameOf(x: Float64Array, m: number): Frame {
  let lo0 = Infinity,
    hi0 = -Infinity,
    lo1 = Infinity,
    hi1 = -Infinity;
  for (let e = 0; e < m; e++) {
    lo0 = Math.min(lo0, x[2 * e]!);
    hi0 = Math.max(hi0, x[2 * e]!);
    lo1 = Math.min(lo1, x[2 * e + 1]!);
    hi1 = Math.max(hi1, x[2 * e + 1]!);
  }
  const c0 = (lo0 + hi0) / 2;
  const c1 = (lo1 + hi1) / 2;
  const half = (Math.max(hi0 - lo0, hi1 - lo1, 1e-9) / 2) * 1.15;
  return { x0: c0 - half, x1: c0 + half, y0: c1 - half, y1: c1 + half };
}

/** The grid points (cell centres, row by row from the top) at which the network is evaluated. */
export function gridPoints(f: Frame, n: number): Float64Array {
  const pts = new Float64Array(2 * n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const i = r * n + c;
      pts[2 * i] = f.x0 + ((c + 0.5) / n) * (f.x1 - f.x0);
      pts[2 * i + 1] = f.y1 - ((r + 0.5) / n) * (f.y1 - f.y0);
    }
  }
  return pts;
}

/** Class of an example and the network's confidence in it: one output (p ≥ ½ → class 1) or the largest of several. */
export function classOf(out: ArrayLike<number>, i: number, k: number): { cls: number; p: number } {
  if (k === 1) {
    const p = out[i]!;
    return p >= 0.5 ? { cls: 1, p } : { cls: 0, p: 1 - p };
  }
  let best = 0;
  for (let c = 1; c < k; c++) if (out[i * k + c]! > out[i * k + best]!) best = c;
  return { cls: best, p: out[i * k + best]! };
}

function rgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Class colours: blue, brown, purple, teal (the path palette). */
const CLASS_RGB = PATH_COLOURS.map((c) => rgb(c.hex));

/**
 * Draws the boundary: `out` holds the network's outputs at `gridPoints(frame, n)` (k per point),
 * then the m examples (x: m × 2, y: m × k targets) on top.
 */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  frame: Frame,
  n: number,
  out: ArrayLike<number>,
  k: number,
  data: { x: Float64Array; y: Float64Array; m: number },
): void {
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  const W = canvas.width;
  const H = canvas.height;
  const cells = new ImageData(n, n);
  const classes = Math.max(2, k);
  for (let i = 0; i < n * n; i++) {
    const { cls, p } = classOf(out, i, k);
    // sure (p → 1) is a strong tint, unsure (p → 1/classes) almost white
    const t = 0.12 + 0.5 * Math.max(0, (p - 1 / classes) / (1 - 1 / classes));
    const [r, g, b] = CLASS_RGB[cls % CLASS_RGB.length]!;
    cells.data[4 * i] = Math.round(255 - t * (255 - r));
    cells.data[4 * i + 1] = Math.round(255 - t * (255 - g));
    cells.data[4 * i + 2] = Math.round(255 - t * (255 - b));
    cells.data[4 * i + 3] = 255;
  }
  // scale the n × n cells to the canvas through an offscreen canvas, smoothly
  const small = document.createElement("canvas");
  small.width = n;
  small.height = n;
  small.getContext("2d")!.putImageData(cells, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, W, H);
  const sx = (v: number) => ((v - frame.x0) / (frame.x1 - frame.x0)) * W;
  const sy = (v: number) => ((frame.y1 - v) / (frame.y1 - frame.y0)) * H;
  const radius = data.m <= 8 ? 9 : 4;
  ctx.lineWidth = 1.2;
  ctx.strokeStyle = "#222";
  for (let e = 0; e < data.m; e++) {
    const { cls } = classOf(data.y, e, k);
    const [r, g, b] = CLASS_RGB[cls % CLASS_RGB.length]!;
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.beginPath();
    ctx.arc(sx(data.x[2 * e]!), sy(data.x[2 * e + 1]!), radius, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}
