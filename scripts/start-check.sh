#!/usr/bin/env bash
# The README's first command, run as a new user would: a clean clone of this checkout, then
# `install && start`. Checks that it finishes, in time, and writes what it promises.
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
