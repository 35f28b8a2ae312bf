#!/usr/bin/env bash
# Rebuilds FOGRA39L-300.icc from the FOGRA39 characterization data in Debian's icc-profiles-free
# (FOGRA39L.ti3, zlib licence) with ArgyllCMS's colprof (apt-get install argyll icc-profiles-free).
# The profile is an altered (derived) work of that data and is marked so in its description.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
cd "$work"
# -qh high quality (finer tables: light tints within ΔE ~1.5), -kr ramp black generation,
# -l300 total ink limit 300 %, -L98 black limit; colorimetric tables only (we convert
# relative colorimetric), no gamut-mapped perceptual tables. About 6 minutes on one core.
colprof -qh -kr -l300 -L98 -nc \
  -A "FOGRA (characterization data)" -M "ISO 12647-2 coated paper (PC1/PC2)" \
  -D "FOGRA39L coated 300% (infographic, ArgyllCMS colprof)" \
  -C "Made with ArgyllCMS colprof from FOGRA39L.ti3 of Debian icc-profiles-free (Kai-Uwe Behrmann, zlib licence). No warranty." \
  FOGRA39L
cp FOGRA39L.icc "$here/FOGRA39L-300.icc"
