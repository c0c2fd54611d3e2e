/**
 * `chainrule serve` as a child process, the way people run it: it prints its URL on 127.0.0.1
 * (any free port with --port 0) and serves the built page, a taken port is a one-line error and
 * a non-zero exit, and Ctrl-C (SIGINT) or SIGTERM stops it cleanly with exit code 0.
 */
import { spawnSync } from "node:child_process";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, ensureBuilt, ROOT, serve } from "./served.js";

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

describe("chainrule serve", () => {
  beforeAll(() => ensureBuilt(), 240_000);

  it("prints its URL, serves the built page, and stops cleanly on SIGTERM and on Ctrl-C", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const s = await serve();
      expect(s.output().out).toMatch(/^chainrule explorer: http:\/\/127\.0\.0\.1:\d+\/ \(Ctrl-C stops it\)\n$/);
      const page = await fetch(s.url);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await page.text()).toContain("<title>chainrule explorer");
      const exit = await s.stop(signal);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(s.output().out).toContain(`stopped (${signal})`);
      expect(s.output().err).toBe("");
      expect(await accepts("127.0.0.1", s.port)).toBe(false);
    }
  });

  it("listens on 127.0.0.1 only", async () => {
    const s = await serve();
    try {
      const other = Object.values(networkInterfaces())
        .flat()
        .find((a) => a !== undefined && a.family === "IPv4" && !a.internal);
      if (other !== undefined) expect(await accepts(other.address, s.port)).toBe(false);
      expect(await accepts("127.0.0.1", s.port)).toBe(true);
    } finally {
      await s.stop();
    }
  });

  it("says in one line that a taken port is taken, and exits non-zero", async () => {
    const s = await serve();
    try {
      const r = spawnSync(process.execPath, [CLI, "serve", "--port", String(s.port)], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(
        `chainrule: port ${s.port} on 127.0.0.1 is already in use; choose another with --port P, or --port 0 for a free one.\n`,
      );
    } finally {
      await s.stop();
    }
  });
});
