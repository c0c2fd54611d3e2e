/**
 * The explorer's built page as a static site held in memory: every file of the bundle is read once
 * at start, keyed by its URL path, and served with its content type. Only those paths exist, so no
 * request can reach any other file (no directory traversal, whatever the URL says). Requests must
 * name this server as their host (a guard against DNS rebinding), and the page gets a content
 * security policy that allows no other origin at all.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";

/** Content types by file extension. */
export const CONTENT_TYPES: { readonly [ext: string]: string } = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Same origin only. `'unsafe-eval'`: core and nn compile their generated straight-line programs
 * with `new Function`; `'unsafe-inline'` styles: KaTeX positions glyphs with style attributes.
 */
export const PAGE_POLICY =
  "default-src 'self'; script-src 'self' 'unsafe-eval'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** One file of the site. */
export interface SiteFile {
  readonly body: Buffer;
  readonly type: string;
}

/** Every file under `root`, by URL path ("/index.html", "/assets/index-1a2b.js"). */
export function loadSite(root: string): ReadonlyMap<string, SiteFile> {
  const files = new Map<string, SiteFile>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        files.set(`/${relative(root, path).split(sep).join("/")}`, {
          body: readFileSync(path),
          type: CONTENT_TYPES[extname(name).toLowerCase()] ?? "application/octet-stream",
        });
    }
  };
  walk(root);
  return files;
}

/** The URL path a request names: "/" is the page; undefined when it cannot be decoded. */
export function sitePath(url: string | undefined): string | undefined {
  try {
    const path = decodeURIComponent(new URL(url ?? "/", "http://localhost").pathname);
    return path === "/" ? "/index.html" : path;
  } catch {
    return undefined;
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer | string,
  head: boolean,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Content-Length": String(Buffer.byteLength(body)),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    ...extra,
  });
  res.end(head ? undefined : body);
}

/** A request handler serving `files`, answering only requests addressed to one of `hosts`. */
export function siteHandler(
  files: ReadonlyMap<string, SiteFile>,
  hosts: () => readonly string[],
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head)
      return send(res, 405, "text/plain; charset=utf-8", "Only GET and HEAD.\n", false, { Allow: "GET, HEAD" });
    if (!hosts().includes(req.headers.host ?? ""))
      return send(res, 421, "text/plain; charset=utf-8", "This server answers only to its own address.\n", head);
    const path = sitePath(req.url);
    const file = path === undefined ? undefined : files.get(path);
    if (file === undefined) return send(res, 404, "text/plain; charset=utf-8", "Not found.\n", head);
    // the bundle's assets carry a content hash in their names: they never change
    const cache = path!.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    // on every response: the page's own policy, and the worker's (a worker takes its script's)
    send(res, 200, file.type, file.body, head, { "Cache-Control": cache, "Content-Security-Policy": PAGE_POLICY });
  };
}
