/**
 * Plane geometry of the diagrams: boxes, the routes edges take (straight, or a bow around the
 * units between their ends), points and tangents along a route, and the tests the label placer
 * and the tests use — does a stroke cross a box, how far is a point from a stroke.
 */

/** A point of the picture (y grows downwards, as in SVG). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** An axis-aligned box: left, top, right, bottom. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/**
 * Where an edge runs: from (x1, y1) to (x2, y2), straight, or a cubic whose two control points
 * are both `control` (a bow).
 */
export interface Route {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly control: Point | null;
}

/** The box grown by `d` on every side. */
export function inflate(b: Box, d: number): Box {
  return { x0: b.x0 - d, y0: b.y0 - d, x1: b.x1 + d, y1: b.y1 + d };
}

/** Whether two boxes share interior points (touching edges do not count). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Whether box `inner` lies within box `outer`. */
export function boxInside(inner: Box, outer: Box): boolean {
  return inner.x0 >= outer.x0 && inner.x1 <= outer.x1 && inner.y0 >= outer.y0 && inner.y1 <= outer.y1;
}

/** The route moved down by `dy` (parallel paths along one edge). */
export function shifted(r: Route, dy: number): Route {
  return {
    x1: r.x1,
    y1: r.y1 + dy,
    x2: r.x2,
    y2: r.y2 + dy,
    control: r.control === null ? null : { x: r.control.x, y: r.control.y + dy },
  };
}

/** The point at parameter t ∈ [0, 1] along a route. */
export function pointAt(r: Route, t: number): Point {
  const c = r.control;
  if (c === null) return { x: r.x1 + t * (r.x2 - r.x1), y: r.y1 + t * (r.y2 - r.y1) };
  // B(t) = (1−t)³P₁ + 3(1−t)t·C + t³P₂ (both control points at C)
  const u = 1 - t;
  const k = 3 * u * t;
  return { x: u * u * u * r.x1 + k * c.x + t * t * t * r.x2, y: u * u * u * r.y1 + k * c.y + t * t * t * r.y2 };
}

/** The unit tangent at parameter t along a route. */
export function tangentAt(r: Route, t: number): Point {
  const c = r.control;
  let dx: number;
  let dy: number;
  if (c === null) {
    dx = r.x2 - r.x1;
    dy = r.y2 - r.y1;
  } else {
    // B′(t) = 3(1−t)²(C − P₁) + 3t²(P₂ − C) with both control points at C
    const u = 1 - t;
    const a = -3 * u * u;
    const b = 3 * u * u - 3 * t * t;
    const d = 3 * t * t;
    dx = a * r.x1 + b * c.x + d * r.x2;
    dy = a * r.y1 + b * c.y + d * r.y2;
  }
  const n = Math.hypot(dx, dy) || 1;
  return { x: dx / n, y: dy / n };
}

/** A route as a polyline: its two ends when straight, `steps` + 1 points along a bow. */
export function polyline(r: Route, steps = 32): Point[] {
  if (r.control === null)
    return [
      { x: r.x1, y: r.y1 },
      { x: r.x2, y: r.y2 },
    ];
  return Array.from({ length: steps + 1 }, (_, i) => pointAt(r, i / steps));
}

/** Whether the segment p–q meets the box (Liang–Barsky clipping). */
export function segmentHitsBox(p: Point, q: Point, b: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const clip = (den: number, num: number): boolean => {
    // the part of the segment with den·t ≤ num
    if (den === 0) return num >= 0;
    const t = num / den;
    if (den > 0) {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    } else {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    }
    return true;
  };
  return clip(-dx, p.x - b.x0) && clip(dx, b.x1 - p.x) && clip(-dy, p.y - b.y0) && clip(dy, b.y1 - p.y) && t0 <= t1;
}

/** Whether a polyline meets the box. */
export function polylineHitsBox(points: readonly Point[], b: Box): boolean {
  for (let i = 1; i < points.length; i++) if (segmentHitsBox(points[i - 1]!, points[i]!, b)) return true;
  return false;
}

/** The distance from p to the segment a–b. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** The distance from p to a polyline. */
export function distanceToPolyline(p: Point, points: readonly Point[]): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) best = Math.min(best, distanceToSegment(p, points[i - 1]!, points[i]!));
  return best;
}

/** The bounding box of some points. */
export function boundsOf(points: readonly Point[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  return { x0, y0, x1, y1 };
}

/**
 * The outline of a rounded rectangle (a pill when the radius is half its height) centred at
 * (x, y), as a closed polyline: `hw`, `hh` half width and height, corner radius `r`.
 */
export function roundedRect(x: number, y: number, hw: number, hh: number, r: number, steps = 6): Point[] {
  const out: Point[] = [];
  const corner = (cx: number, cy: number, from: number) => {
    for (let i = 0; i <= steps; i++) {
      const a = from + (i / steps) * (Math.PI / 2);
      out.push({ x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
    }
  };
  // clockwise from the top-right corner, y downwards
  corner(x + hw - r, y - hh + r, -Math.PI / 2);
  corner(x + hw - r, y + hh - r, 0);
  corner(x - hw + r, y + hh - r, Math.PI / 2);
  corner(x - hw + r, y - hh + r, Math.PI);
  out.push(out[0]!);
  return out;
}

/** The distance from a box to a polyline (0 when it meets the box). */
export function distanceBoxToPolyline(b: Box, points: readonly Point[]): number {
  if (polylineHitsBox(points, b)) return 0;
  const corners = [
    { x: b.x0, y: b.y0 },
    { x: b.x1, y: b.y0 },
    { x: b.x1, y: b.y1 },
    { x: b.x0, y: b.y1 },
  ];
  const toBox = (p: Point) => Math.hypot(Math.max(b.x0 - p.x, 0, p.x - b.x1), Math.max(b.y0 - p.y, 0, p.y - b.y1));
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const [p, q] = [points[i - 1]!, points[i]!];
    best = Math.min(best, toBox(p), toBox(q), ...corners.map((c) => distanceToSegment(c, p, q)));
  }
  return best;
}
