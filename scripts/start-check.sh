#!/usr/bin/env bash
# The README's first command, run as a new user would: a clean clone of this checkout, then
# `install && start && run install-cli`. Checks that it finishes, in time, and writes what it
# promises, and that the installed `chainrule` works from another folder with paths relative to
# it. The command is installed under a temporary npm prefix, not into this machine's global one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/chainrule"
cd "$work/chainrule"
npx -y pnpm@10.34.9 install --frozen-lockfile >/dev/null
start=$(date +%s)
npx -y pnpm@10.34.9 start > "$work/out.txt"
took=$(( $(date +%s) - start ))
grep -q "8 parameters need 52 partial-derivative factors" "$work/out.txt"
grep -q "θ⁽¹⁾₁₁ → z⁽²⁾₁ → a⁽²⁾₁ → z⁽³⁾₂ → a⁽³⁾₂ → J" "$work/out.txt"
for f in derivation.tex derivation.md derivation.html network.svg network.tikz model.json loss-curve.svg worked-example.md worked-example.html; do
  test -s "out/$f" || { echo "start: out/$f is missing" >&2; exit 1; }
done
echo "start: ok from a clean clone (build and run: ${took}s)"

export npm_config_prefix="$work/global"
npx -y pnpm@10.34.9 run install-cli > "$work/install.txt" 2>&1 || { cat "$work/install.txt" >&2; exit 1; }
export PATH="$work/global/bin:$PATH"
mkdir "$work/elsewhere"
cd "$work/elsewhere"
version=$(chainrule --version)
test "$version" = "$(node -p 'require(process.argv[1]).version' "$work/chainrule/packages/cli/package.json")"
chainrule count --layers 2,2,2 --no-bias | grep -q 52
chainrule train --dataset xor --layers 2,3,1 --epochs 200 --lr 1 --seed 3 --save rel.json >/dev/null
test -s "$work/elsewhere/rel.json" || { echo "install-cli: train --save rel.json did not write $work/elsewhere/rel.json" >&2; exit 1; }
echo "install-cli: ok (chainrule $version runs from another folder, paths relative to it)"
