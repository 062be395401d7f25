#!/usr/bin/env bash
# Publishes folk-lab self-contained for linux-x64 *without* a libtorch of its own and packs it for a GPU machine,
# which brings its own CUDA libtorch (the one inside its PyTorch). Usage: scripts/gpu/pack.sh [OUT_DIR]
#   → OUT_DIR/folk-lab-linux-x64.tar.xz (default OUT_DIR: artifacts/gpu). Unpack there and use run.sh.
#
# Not trimmed: TorchSharp finds a module's submodules and parameters by reflection, and the notebook kernel compiles
# user code against the whole framework; trimming would break both silently. What is left out instead: the CPU
# libtorch (≈ 475 MB; two libtorch copies in one process crash), ICU (invariant globalisation), symbols, XML docs
# and translated compiler messages. Measured: 124 MB published, 38 MB packed.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-artifacts/gpu}"
stage="$out/folk-lab"
rm -rf "$stage" "$out/folk-lab-linux-x64.tar.xz"
mkdir -p "$out"

dotnet publish src/Folk.Lab.Cli -c Release -r linux-x64 --self-contained true -o "$stage" \
  -p:FolkLabBundleLibTorch=false -p:InvariantGlobalization=true -p:DebugType=none -p:GenerateDocumentationFile=false -p:SatelliteResourceLanguages=en \
  -v quiet -nologo

if ls "$stage"/libtorch_cpu.so "$stage"/runtimes/*/native/libtorch_cpu.so >/dev/null 2>&1; then
  echo "pack.sh: a CPU libtorch ended up in $stage; it must not travel (two libtorch copies crash)." >&2
  exit 1
fi
cp scripts/gpu/run.sh scripts/gpu/bench.sh scripts/gpu/nccl-check.sh scripts/gpu/distributed-equivalence.sh "$stage/"
chmod +x "$stage/run.sh" "$stage/bench.sh" "$stage/nccl-check.sh" "$stage/distributed-equivalence.sh" "$stage/folk-lab"

XZ_OPT="-6 -T0" tar -C "$out" -cJf "$out/folk-lab-linux-x64.tar.xz" folk-lab
echo "pack.sh: $(du -sh "$stage" | cut -f1) published, $(du -h "$out/folk-lab-linux-x64.tar.xz" | cut -f1) packed → $out/folk-lab-linux-x64.tar.xz"
