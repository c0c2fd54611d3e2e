/**
 * The outside programs the slow tests drive — pdflatex (viz) and Chromium (viz and the explorer) —
 * found once, with one rule for when they are missing (a warning and skipped tests; under CI=true,
 * a failed run), one way to compile a .tex file and one way to start the browser.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Browser, chromium } from "playwright-core";

/** Runs a program, resolving to its output. */
export const run = promisify(execFile);

/** True when a program is on the PATH. */
export async function has(cmd: string): Promise<boolean> {
  try {
    await run("which", [cmd]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a needed tool is there: a CI run (CI=true) needs every test, so a missing one fails it;
 * elsewhere the tests that need it are skipped with a warning naming what to install.
 */
export function required(there: boolean, tool: string, tests: string): boolean {
  if (!there && process.env.CI === "true")
    throw new Error(`${tool} is missing, and a CI run (CI=true) needs every test: run scripts/system-deps.sh`);
  if (!there) console.warn(`${tool} is missing: install it (scripts/system-deps.sh) to run ${tests}`);
  return there;
}

/** pdflatex is on the PATH. */
export const PDFLATEX = await has("pdflatex");

/** Where the browser tests find Chromium. */
export const CHROMIUM = "/usr/bin/chromium";
/** Chromium is installed. */
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** Compiles a .tex in a fresh folder; resolves to the log and the PDF's path, rejects with the log's first errors. */
export async function compileTex(
  name: string,
  tex: string,
  folder = "chainrule-tex-",
): Promise<{ log: string; pdf: string }> {
  const dir = mkdtempSync(join(tmpdir(), folder));
  writeFileSync(join(dir, `${name}.tex`), tex);
  try {
    await run("pdflatex", ["-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", `${name}.tex`], {
      cwd: dir,
      timeout: 120_000,
    });
  } catch {
    const log = readFileSync(join(dir, `${name}.log`), "utf8");
    throw new Error(
      `pdflatex failed on ${name}.tex:\n${log
        .split("\n")
        .filter((l) => l.startsWith("!") || l.startsWith("l."))
        .slice(0, 6)
        .join("\n")}`,
    );
  }
  return { log: readFileSync(join(dir, `${name}.log`), "utf8"), pdf: join(dir, `${name}.pdf`) };
}

/** Headless Chromium, as every browser test starts it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
