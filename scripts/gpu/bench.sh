#!/usr/bin/env bash
# The GPU measurements of the GPU issue, in one go, from the unpacked folder: device check, the MFM step of ViT-B/16
# at 224 with batch 128 in bf16 (Folk.Lab vs the same step in this machine's PyTorch, eager), ViT-S for scale, and
# FOLK's step cost next to MFM's where the build has it. Results: bench-results/*.txt (quote them with date and versions).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/bench-results}"
mkdir -p "$out"
run() { local name="$1"; shift; echo "== $name: $*"; "$here/run.sh" "$@" 2>&1 | tee "$out/$name.txt"; }
run env env --probe-device
"${PYTHON:-python3}" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))' | tee "$out/torch.txt"
nvidia-smi --query-gpu=name,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.txt" || true
run mfm-vitb-bf16 bench pretrain --device cuda --bf16 --batch 128 --steps 10 --warmup 3 --case vit-b/16@224
run mfm-vits-bf16 bench pretrain --device cuda --bf16 --batch 128 --steps 10 --warmup 3 --case vit-s/16@224
run mfm-vitb-fp32 bench pretrain --device cuda --batch 64 --steps 5 --warmup 2 --case vit-b/16@224
if "$here/run.sh" bench pretrain --help 2>/dev/null | grep -q -- "--method"; then
  run folk-vitb-bf16 bench pretrain --device cuda --bf16 --batch 128 --steps 10 --warmup 3 --case vit-b/16@224 --method folk
fi
echo "results in $out"
