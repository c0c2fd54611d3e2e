// The packages as a user gets them. Packs every publishable package (scripts/pack.mjs), checks
// what each tarball holds, installs the tarballs with plain npm into an empty project in a
// temporary folder, and there:
//   - runs every ```js block of the README and of the packages' READMEs with plain node;
//   - runs every `chainrule …` and `node …` line of those READMEs' ```sh blocks (model.json,
//     data.csv, post.json and post.csv, which they name, are written first), checks what the
//     verbs write lands in that folder (relative paths), and serves the explorer from the
//     installed package;
//   - checks that the main entries' installed module graphs (dist/index.js and what it imports)
//     import no node module, so they run in a browser bundle; file I/O is the /node entries';
//   - type-checks a TypeScript file that imports every package and the /node entries, under
//     strict and NodeNext, with the packages' declaration files checked too.
// `.ci/run` runs it after the build: node scripts/consumer-test.mjs [--keep]
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { moduleGraph } from "./module-graph.mjs";
import { npmEnv, packAll, ROOT, releaseVersion } from "./pack.mjs";

const keep = process.argv.includes("--keep");
const t0 = performance.now();
const timings = [];
const tmp = mkdtempSync(join(tmpdir(), "chainrule-consumer-"));
const app = join(tmp, "app");

/** Runs one step, timed; a failure names the step. */
async function step(name, fn) {
  const start = performance.now();
  try {
    await fn();
  } catch (e) {
    throw new Error(`${name}: ${e.message}`);
  }
  timings.push(`${name} ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

/** An Error unless `ok`. */
function check(ok, message) {
  if (!ok) throw new Error(message);
}

/** Runs a command; its stdout, or an Error with its output. */
function run(file, args, options = {}) {
  try {
    return execFileSync(file, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 1 << 26,
      timeout: 120_000,
      ...options,
    });
  } catch (e) {
    throw new Error(
      `\`${[file, ...args].join(" ").slice(0, 300)}\` failed (${e.status ?? e.signal}):\n${String(e.stdout ?? "").slice(-2000)}${String(e.stderr ?? "").slice(-2000)}`,
    );
  }
}

/** The fenced blocks of a Markdown file with the given info string. */
function blocks(file, lang) {
  return [...readFileSync(file, "utf8").matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, "gm"))].map(
    (m) => m[1],
  );
}

/** The packages with a `./node` entry (file I/O), beside a main entry that runs in a browser. */
const NODE_ENTRIES = ["@chainrule/nn", "@chainrule/viz"];

const READMES = [
  join(ROOT, "README.md"),
  ...["core", "nn", "viz", "cli"].map((p) => join(ROOT, "packages", p, "README.md")),
];
const rootPackage = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** The post's 2-2-2 model (Mazur's numbers) and data of the same widths, which the READMEs name. */
const MODEL = {
  layers: [2, 2, 2],
  activations: ["sigmoid", "sigmoid"],
  cost: "mse",
  weights: [
    [
      [0.15, 0.2],
      [0.25, 0.3],
    ],
    [
      [0.4, 0.45],
      [0.5, 0.55],
    ],
  ],
  biases: [
    [0.35, 0.35],
    [0.6, 0.6],
  ],
};
const DATA = `${[
  "x1,x2,y1,y2",
  ...Array.from({ length: 40 }, (_, i) =>
    [Math.sin(i), Math.cos(3 * i), (i % 3) / 2, ((i + 1) % 2) * 0.9].map((v) => v.toFixed(3)).join(","),
  ),
].join("\n")}\n`;

let packed;
let version;
try {
  await step("pack", () => {
    packed = packAll(join(tmp, "packs"));
    version = releaseVersion();
  });

  await step("tarball contents", () => {
    for (const p of packed) {
      const files = p.files.map((f) => f.path);
      const has = (f) => files.includes(f);
      for (const f of ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts"])
        check(has(f), `${p.name}: the tarball has no ${f}`);
      const stray = files.filter(
        (f) =>
          /\.tsbuildinfo$|(^|\/)test\/|\.test\.|(^|\/)node_modules\//.test(f) ||
          !/^(dist|src)\/|^(package\.json|README\.md|LICENSE)$/.test(f),
      );
      check(stray.length === 0, `${p.name}: the tarball holds ${stray.slice(0, 5).join(", ")}`);
      check(p.version === version, `${p.name} is ${p.version}, the release is ${version}`);
    }
  });

  await step("npm install", () => {
    mkdirSync(app);
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2),
    );
    const types = `@types/node@${rootPackage.devDependencies["@types/node"]}`;
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...packed.map((p) => p.filename), types], {
      cwd: app,
      env: npmEnv,
    });
  });

  await step("installed package.json", () => {
    for (const p of packed) {
      const dir = join(app, "node_modules", ...p.name.split("/"));
      const json = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const deps = { ...json.dependencies, ...json.peerDependencies, ...json.optionalDependencies };
      check(!JSON.stringify(deps).includes("workspace:"), `${p.name}: a dependency is still "workspace:"`);
      for (const [name, range] of Object.entries(deps))
        if (name.startsWith("@chainrule/"))
          check(range === version, `${p.name} depends on ${name}@${range}, not ${version}`);
      check(!Object.hasOwn(deps, "@chainrule/explorer"), `${p.name} depends on the private explorer package`);
      check(
        json.type === "module" &&
          json.license === "MIT" &&
          typeof json.description === "string" &&
          json.description.length > 20,
        `${p.name}: type, license or description missing`,
      );
      check(
        typeof json.repository?.url === "string" && typeof json.engines?.node === "string",
        `${p.name}: repository or engines missing`,
      );
      const entry = json.exports?.["."];
      check(
        typeof entry?.types === "string" && existsSync(join(dir, entry.types)) && existsSync(join(dir, entry.default)),
        `${p.name}: exports["."] needs types and default that exist`,
      );
      if (NODE_ENTRIES.includes(p.name)) {
        const node = json.exports?.["./node"];
        check(
          typeof node?.types === "string" && existsSync(join(dir, node.types)) && existsSync(join(dir, node.default)),
          `${p.name}: exports["./node"] needs types and default that exist`,
        );
      }
      check(Array.isArray(json.files), `${p.name}: no files list`);
    }
    const cli = JSON.parse(readFileSync(join(app, "node_modules/@chainrule/cli/package.json"), "utf8"));
    check(existsSync(join(app, "node_modules/@chainrule/cli", cli.bin.chainrule)), "the cli's bin is missing");
    check(
      existsSync(join(app, "node_modules/@chainrule/cli/dist/explorer/index.html")),
      "the cli carries no explorer page (dist/explorer)",
    );
  });

  await step("browser entries", () => {
    for (const name of ["@chainrule/core", ...NODE_ENTRIES]) {
      const g = moduleGraph(join(app, "node_modules", ...name.split("/"), "dist", "index.js"), ["import", "default"]);
      const needNode = [...g.node.map((n) => n.specifier), ...g.globals.map((n) => n.name)];
      check(
        needNode.length === 0,
        `${name}'s main entry (${g.files.length} modules) needs node: ${needNode.slice(0, 5).join(", ")}`,
      );
    }
  });

  await step("README code", () => {
    let n = 0;
    for (const readme of READMES) {
      for (const code of blocks(readme, "js")) {
        const file = join(app, `readme-${++n}.mjs`);
        writeFileSync(file, code);
        const out = run(process.execPath, [file], { cwd: app });
        check(
          out.trim() !== "" || /writeFileSync|writeModelFile/.test(code),
          `${readme.slice(ROOT.length)} block ${n} printed nothing`,
        );
      }
    }
    check(n >= 6, `found ${n} js blocks in the READMEs; expected the root README's three and one per package`);
    check(
      readFileSync(join(app, "derivation.tex"), "utf8").includes("\\end{document}"),
      "the educator's block wrote no complete derivation.tex",
    );
    check(
      JSON.parse(readFileSync(join(app, "xor.json"), "utf8")).layers.length >= 3,
      "the programmer's block wrote no xor.json",
    );
  });

  const bin = join(app, "node_modules", ".bin");
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` };

  await step("chainrule from the project folder", () => {
    check(
      run(join(bin, "chainrule"), ["--version"], { cwd: app }).trim() === version,
      "chainrule --version is not the release version",
    );
    // the files the READMEs' commands name
    for (const name of ["model.json", "post.json"]) writeFileSync(join(app, name), JSON.stringify(MODEL));
    for (const name of ["data.csv", "post.csv"]) writeFileSync(join(app, name), DATA);
    const lines = READMES.flatMap((readme) =>
      blocks(readme, "sh")
        .flatMap((b) => b.split("\n"))
        .map((l) => l.replace(/\s+#.*$/, "").trim())
        .filter((l) => /^(chainrule|node) /.test(l) && !/^chainrule serve\b/.test(l)),
    );
    check(lines.length >= 20, `found only ${lines.length} chainrule commands in the READMEs`);
    for (const line of lines) run("/bin/sh", ["-c", line], { cwd: app, env });
    // what they wrote, where they were run: relative paths are the current folder's
    for (const f of [
      "simple/derivation.html",
      "lecture/derivation.tex",
      "worked/derivation.md",
      "trained.json",
      "xor.json",
      "grad.mjs",
    ])
      check(existsSync(join(app, f)), `${f} was not written in the folder the command ran in`);
    // and the five jobs once more, by name, into relative paths of their own
    run("chainrule", ["count", "--layers", "2,2,2", "--no-bias"], { cwd: app, env });
    const derived = run(
      "chainrule",
      ["derive", "--layers", "2,2,2", "--no-bias", "--param", "1,1,1", "--form", "delta"],
      { cwd: app, env },
    );
    check(derived.includes("delta_"), "derive printed no δ");
    run(
      "chainrule",
      [
        "train",
        "--dataset",
        "xor",
        "--layers",
        "2,3,1",
        "--epochs",
        "300",
        "--lr",
        "1",
        "--seed",
        "3",
        "--save",
        "models-rel.json",
      ],
      { cwd: app, env },
    );
    check(
      JSON.parse(readFileSync(join(app, "models-rel.json"), "utf8")).layers.join() === "2,3,1",
      "train --save models-rel.json wrote elsewhere",
    );
    run("chainrule", ["render", "--layers", "1,1,1", "--no-bias", "--out", "doc-rel"], { cwd: app, env });
    check(statSync(join(app, "doc-rel", "derivation.html")).size > 1000, "render --out doc-rel wrote elsewhere");
    const predicted = run("chainrule", ["predict", "--model", "models-rel.json", "--dataset", "xor", "--seed", "3"], {
      cwd: app,
      env,
    });
    check(predicted.trim().split("\n").length >= 4, "predict printed fewer than four examples");
    const failed = (() => {
      try {
        run("chainrule", ["count", "--layers", "2,x"], { cwd: app, env });
        return null;
      } catch (e) {
        return e.message;
      }
    })();
    check(
      failed !== null && /chainrule: /.test(failed) && !/\n\s+at /.test(failed),
      "a bad argument did not fail with one line",
    );
  });

  await step("chainrule serve", async () => {
    const child = spawn(join(bin, "chainrule"), ["serve", "--port", "0"], {
      cwd: app,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
        child.stdout.on("data", (c) => {
          out += c;
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
        child.once("exit", (code) => reject(new Error(`serve exited (${code}): ${out}`)));
      });
      const page = await fetch(url);
      const html = await page.text();
      check(page.status === 200 && html.includes("<html"), `GET ${url} gave ${page.status}`);
      const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html);
      check(asset !== null, "the page names no script");
      check((await fetch(url + asset[1])).status === 200, `GET ${asset[1]} failed`);
    } finally {
      child.kill("SIGTERM");
    }
  });

  await step("TypeScript (strict, NodeNext)", () => {
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify(
        {
          compilerOptions: {
            strict: true,
            module: "NodeNext",
            moduleResolution: "NodeNext",
            target: "ES2022",
            lib: ["ES2022"],
            types: ["node"],
            noEmit: true,
            skipLibCheck: false,
          },
          files: ["check.ts"],
        },
        null,
        2,
      ),
    );
    writeFileSync(
      join(app, "check.ts"),
      `import { batch, compile, layered, parameterIds, type Graph } from "@chainrule/core";
import { Network, builtinDataset, formatModel, train } from "@chainrule/nn";
import { readModelFile, writeFileAtomic, writeModelFile, type OutputOptions } from "@chainrule/nn/node";
import { derivation, exampleValues, katexCss, toHtml } from "@chainrule/viz";
import { readKatexCss } from "@chainrule/viz/node";
import { VERBS, run, type Io } from "@chainrule/cli";

const graph: Graph = layered({ sizes: [2, 2, 2], bias: false });
const grad = new Float64Array(parameterIds(graph).length);
const J: number = compile(graph).run(grad.map(() => 0.1), batch(graph, [[0.05, 0.1]], [[0.01, 0.99]]), grad);
const net = Network.create({ sizes: [2, 3, 1] }, { seed: 1 });
const epochs: number = train(net, builtinDataset("xor"), { epochs: 10, learningRate: 1 }).history.length;
const html: string = toHtml(derivation(graph, { values: exampleValues(graph, 7) }));
const save: OutputOptions = { option: "--save" };
writeModelFile("typed.json", { network: net });
writeFileAtomic("typed-copy.json", formatModel({ network: readModelFile("typed.json").network }), save);
const embedded: boolean = katexCss("none") === readKatexCss("none");
const verbs: readonly string[] = VERBS.map((v) => v.name);
const io: Io = { stdout: process.stdout, stderr: process.stderr, out: (l) => console.log(l), err: (l) => console.error(l) };
const code: Promise<number> = run(["--version"], io);
// @ts-expect-error: the types are real — layered takes a spec, not a list
layered([2, 2, 2]);
console.log(J, epochs, html.length, embedded, verbs, code);
`,
    );
    const tsc = join(ROOT, "node_modules", ".bin", "tsc");
    run(tsc, ["-p", join(app, "tsconfig.json")], { cwd: app });
  });

  console.log(`consumer: ok in ${((performance.now() - t0) / 1000).toFixed(1)} s — ${timings.join(", ")}`);
} catch (e) {
  console.error(`consumer: ${e.message}`);
  console.error(`consumer: the project is in ${app}`);
  process.exitCode = 1;
} finally {
  if (!keep && process.exitCode !== 1) rmSync(tmp, { recursive: true, force: true });
}
