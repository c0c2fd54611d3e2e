/**
 * A Python 3 with NumPy, for the tests that run generated NumPy modules: Debian's /usr/bin/python3
 * with python3-numpy (scripts/system-deps.sh installs it), else a `python3` on the PATH that
 * imports numpy, or null.
 */
import { execFileSync } from "node:child_process";

function withNumpy(python: string): boolean {
  try {
    execFileSync(python, ["-c", "import numpy"], { stdio: "ignore", timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** The Python that imports numpy, or null when there is none. */
export const PYTHON_NUMPY: string | null = ["/usr/bin/python3", "python3"].find(withNumpy) ?? null;
