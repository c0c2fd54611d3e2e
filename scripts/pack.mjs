// Packs every publishable package (packages/* not marked private) from its built dist/ into
// tarballs, with pnpm, which writes each `workspace:*` dependency as the version it stands for.
//   node scripts/pack.mjs [folder]      → folder/chainrule-<name>-<version>.tgz (default: packs/)
// The tarballs install with plain `npm install`; scripts/install-cli.mjs and
// scripts/consumer-test.mjs use them.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

const rootPackage = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** pnpm, as the README runs it: the version the root package.json names, through npx. */
export const PNPM = ["npx", "-y", rootPackage.packageManager];

/**
 * The environment for npm: pnpm and npx pass settings of their own as npm_config_* variables,
 * which npm warns about; npm gets only the ones it knows that say where and how to install.
 */
const NPM_SETTINGS =
  /^npm_config_(prefix|registry|cache|userconfig|globalconfig|cafile|ca|cert|key|proxy|https_proxy|noproxy|strict_ssl|offline|prefer_offline|prefer_online|loglevel|fetch_[a-z_]+|@[^:]+:registry|\/\/.*)$/i;
export const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k) || NPM_SETTINGS.test(k)),
);

/** The packages that are published: { dir, name, version } of each non-private packages/*. */
export function publishable() {
  return readdirSync(join(ROOT, "packages"))
    .map((name) => join(ROOT, "packages", name))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, json: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ json }) => json.private !== true)
    .map(({ dir, json }) => ({ dir, name: json.name, version: json.version }));
}

/** The one version all published packages carry (an Error if they differ). */
export function releaseVersion(packages = publishable()) {
  const versions = new Set(packages.map((p) => p.version));
  if (versions.size !== 1)
    throw new Error(
      `the published packages must share one version; found ${packages.map((p) => `${p.name}@${p.version}`).join(", ")}`,
    );
  return [...versions][0];
}

/** An Error naming what is missing when the packages are not built. */
function checkBuilt(packages) {
  const missing = packages.flatMap((p) => {
    const need = [join(p.dir, "dist", "index.js")];
    // the CLI carries the explorer's page, which the explorer's build writes into it
    if (p.name === "@chainrule/cli") need.push(join(p.dir, "dist", "explorer", "index.html"));
    return need.filter((f) => !existsSync(f));
  });
  if (missing.length > 0)
    throw new Error(
      `not built (${missing.map((f) => f.slice(ROOT.length)).join(", ")} missing); run \`npx -y ${rootPackage.packageManager} run build\` first`,
    );
}

/**
 * Packs every publishable package into `dest` (old chainrule tarballs there are removed first).
 * Returns pnpm's account of each: { name, version, filename, files: [{ path }] }.
 */
export function packAll(dest = join(ROOT, "packs")) {
  const packages = publishable();
  releaseVersion(packages);
  checkBuilt(packages);
  mkdirSync(dest, { recursive: true });
  for (const f of readdirSync(dest)) if (/^chainrule-.*\.tgz$/.test(f)) rmSync(join(dest, f));
  const filters = packages.flatMap((p) => ["--filter", p.name]);
  const out = execFileSync(
    PNPM[0],
    [...PNPM.slice(1), "-r", ...filters, "pack", "--pack-destination", resolve(dest), "--json"],
    { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: npmEnv },
  );
  const packed = JSON.parse(out);
  const list = Array.isArray(packed) ? packed : [packed];
  if (list.length !== packages.length)
    throw new Error(`pnpm packed ${list.length} packages, expected ${packages.length}`);
  return list;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const p of packAll(process.argv[2] ?? join(ROOT, "packs"))) console.log(p.filename);
  } catch (e) {
    console.error(`pack: ${e.message}`);
    process.exitCode = 1;
  }
}
