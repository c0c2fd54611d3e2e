/**
 * The explorer's server, in process, on a folder of test files: content types, only the folder's
 * files (no way out of it, however the path is spelled), requests for other hosts refused, the
 * page's security policy, HEAD without a body, other methods refused, a one-line error for a
 * missing page, and `serve` in the verb list with its options checked.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBundle, type ExplorerServer, startExplorerServer } from "../src/verbs/serve.js";
import { cli } from "./capture.js";

interface Reply {
  readonly status: number;
  readonly type: string | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw request: the path goes out exactly as written (no URL normalisation). */
function get(port: number, path: string, options: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: options.method ?? "GET",
        headers: { host: options.host ?? `127.0.0.1:${port}` },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () =>
          resolve({ status: res.statusCode!, type: res.headers["content-type"], headers: res.headers, body }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("the explorer's server", () => {
  let dir: string;
  let root: string;
  let server: ExplorerServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "chainrule-serve-"));
    root = join(dir, "dist");
    mkdirSync(join(root, "assets"), { recursive: true });
    writeFileSync(join(dir, "secret.txt"), "outside the page");
    writeFileSync(join(root, "index.html"), "<!DOCTYPE html><title>page</title>");
    writeFileSync(join(root, "assets", "app-1a2b.js"), "export {};");
    writeFileSync(join(root, "assets", "style.css"), "body{}");
    writeFileSync(join(root, "assets", "font.woff2"), "wOF2");
    writeFileSync(join(root, "favicon.svg"), "<svg/>");
    server = await startExplorerServer(0, root);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("listens on 127.0.0.1 at the port it reports", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
  });

  it("serves the page and its files with their content types", async () => {
    const cases: [string, string, string][] = [
      ["/", "text/html; charset=utf-8", "<!DOCTYPE html><title>page</title>"],
      ["/index.html", "text/html; charset=utf-8", "<!DOCTYPE html><title>page</title>"],
      ["/assets/app-1a2b.js", "text/javascript; charset=utf-8", "export {};"],
      ["/assets/style.css", "text/css; charset=utf-8", "body{}"],
      ["/assets/font.woff2", "font/woff2", "wOF2"],
      ["/favicon.svg", "image/svg+xml", "<svg/>"],
    ];
    for (const [path, type, body] of cases) {
      const r = await get(server.port, path);
      expect([path, r.status, r.type, r.body]).toEqual([path, 200, type, body]);
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
    }
    // hashed assets are cached for good, the page is revalidated
    expect((await get(server.port, "/assets/app-1a2b.js")).headers["cache-control"]).toMatch(/immutable/);
    expect((await get(server.port, "/")).headers["cache-control"]).toBe("no-cache");
  });

  it("gives the page a policy that allows no other origin", async () => {
    const csp = String((await get(server.port, "/")).headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it("serves nothing outside the page's folder, however the path is spelled", async () => {
    for (const path of [
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/..%5csecret.txt",
      "//etc/passwd",
      "/assets",
      "/assets/",
      "/missing.js",
      "/%ZZ",
      "/index.html%00.js",
    ]) {
      const r = await get(server.port, path);
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.body).not.toContain("outside the page");
    }
  });

  it("answers only requests addressed to itself", async () => {
    expect((await get(server.port, "/", { host: "evil.example" })).status).toBe(421);
    expect((await get(server.port, "/", { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it("answers HEAD without a body and refuses other methods", async () => {
    const head = await get(server.port, "/", { method: "HEAD" });
    expect([head.status, head.body, head.headers["content-length"]]).toEqual([
      200,
      "",
      String("<!DOCTYPE html><title>page</title>".length),
    ]);
    const post = await get(server.port, "/", { method: "POST" });
    expect([post.status, post.headers.allow]).toEqual([405, "GET, HEAD"]);
  });

  it("says in one line to run the build when the page is missing", () => {
    expect(() => checkBundle(dir)).toThrow(
      /^the explorer page is not built \(.*index\.html is missing\); run `npx -y pnpm@10\.34\.9 run build` in the repository first\.$/,
    );
    expect(checkBundle(root)).toBe(root);
  });
});

describe("chainrule serve", () => {
  it("is in the verb list, with its port option in the help", async () => {
    expect((await cli("--help")).out).toMatch(/serve\s+serve the interactive derivation explorer/);
    const help = await cli("serve", "--help");
    expect(help.out).toContain("--port <P>");
    expect(help.out).toContain("chainrule serve --port 0");
  });

  it("refuses a bad port before starting anything", async () => {
    for (const port of ["70000", "-1", "abc"]) {
      const r = await cli("serve", "--port", port);
      expect([r.code, r.out]).toEqual([2, ""]);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(/--port/);
    }
  });
});
