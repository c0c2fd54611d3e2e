// `npx -y pnpm@10.34.9 run install-cli` (after the build): makes `chainrule` a command that works
// from any folder, with nothing but Node and npm. It packs the built packages (scripts/pack.mjs)
// and installs the tarballs with `npm install -g`, as a user would install them from the
// registry. When npm's global folder cannot be written (npm's default prefix as a user without
// root), it installs under ~/.local instead and says so if ~/.local/bin is not on PATH.
// npm's own settings apply: `npm_config_prefix=/some/where` installs there.
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { npmEnv, packAll, ROOT } from "./pack.mjs";

const windows = process.platform === "win32";
const npm = windows ? "npm.cmd" : "npm";

/** The folder npm -g writes packages into and the one it puts commands in, for a prefix. */
function layout(prefix) {
  return windows
    ? { lib: join(prefix, "node_modules"), bin: prefix }
    : { lib: join(prefix, "lib", "node_modules"), bin: join(prefix, "bin") };
}

/** Whether a folder can be written, or created inside a writable parent. */
function writable(dir) {
  for (let d = dir; ; ) {
    if (existsSync(d)) {
      try {
        accessSync(d, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    }
    const up = join(d, "..");
    if (up === d) return false;
    d = up;
  }
}

try {
  const tarballs = packAll(join(ROOT, "packs")).map((p) => p.filename);
  let prefix = execFileSync(npm, ["prefix", "-g"], { encoding: "utf8", env: npmEnv }).trim();
  const args = ["install", "-g", "--no-audit", "--no-fund"];
  if (!Object.values(layout(prefix)).every(writable)) {
    const fallback = join(homedir(), ".local");
    console.log(`install-cli: npm's global folder ${prefix} is not writable; installing under ${fallback}`);
    prefix = fallback;
    mkdirSync(prefix, { recursive: true });
    args.push("--prefix", prefix);
  }
  execFileSync(npm, [...args, ...tarballs], { stdio: "inherit", env: npmEnv });
  const { bin } = layout(prefix);
  const command = join(bin, windows ? "chainrule.cmd" : "chainrule");
  // from a folder outside the repository, as a user would run it
  const version = execFileSync(command, ["--version"], { cwd: tmpdir(), encoding: "utf8", shell: windows }).trim();
  console.log(`install-cli: chainrule ${version} installed as ${command}`);
  const onPath = (process.env.PATH ?? "").split(delimiter).some((d) => d !== "" && join(d) === join(bin));
  if (!onPath)
    console.log(
      `install-cli: ${bin} is not on your PATH; add it (e.g. export PATH="${bin}:$PATH" in ~/.profile) to run \`chainrule\` by name`,
    );
} catch (e) {
  console.error(`install-cli: ${e.message.split("\n")[0]}`);
  process.exitCode = 1;
}
