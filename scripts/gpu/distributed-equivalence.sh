#!/usr/bin/env bash
# Two GPUs against one: MFM pre-training with batch B on 2 processes (one per GPU, NCCL) must give the per-step losses
# of one process with batch 2B on one GPU. Ranks are started by mpirun when Open MPI is installed, otherwise by hand
# with torchrun's variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT), which needs no MPI.
# Usage, in the unpacked folk-lab folder: PYTHON=/path/to/venv/bin/python ./distributed-equivalence.sh [out-folder]
# Exit 0 when every step's loss agrees within TOLERANCE (default 2e-3 relative: bfloat16 products blocked for B rows
# instead of 2B, and cuBLAS/cuDNN kernels that are not bit-reproducible across batch sizes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$(mktemp -d)}"
tolerance="${TOLERANCE:-2e-3}"
recipe=(pretrain --method mfm --model vit-s --image-size 112 --epochs 2 --warmup-epochs 1 --synthetic-count 2048 --log-every 1 --device cuda)

"$here/run.sh" "${recipe[@]}" --batch-size 128 --out "$out/one-gpu"
if command -v mpirun >/dev/null; then
  mpirun -n 2 $( [ "$(id -u)" = 0 ] && echo --allow-run-as-root ) "$here/run.sh" "${recipe[@]}" --batch-size 64 --distributed --out "$out/two-gpus"
else
  for rank in 0 1; do
    RANK=$rank WORLD_SIZE=2 LOCAL_RANK=$rank LOCAL_WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT="${MASTER_PORT:-29500}" \
      "$here/run.sh" "${recipe[@]}" --batch-size 64 --distributed --out "$out/two-gpus" &
  done
  wait
fi
"${PYTHON:-python3}" - "$out/one-gpu/metrics.jsonl" "$out/two-gpus/metrics.jsonl" "$tolerance" <<'PY'
import json, sys
one = [json.loads(l)["loss"] for l in open(sys.argv[1])]
two = [json.loads(l)["loss"] for l in open(sys.argv[2])]
tolerance = float(sys.argv[3])
assert len(one) == len(two), f"{len(one)} steps on one GPU, {len(two)} on two"
worst = max(abs(a - b) / abs(a) for a, b in zip(one, two))
print(f"{len(one)} steps, largest relative difference {worst:.2e} (tolerance {tolerance:g})")
sys.exit(0 if worst <= tolerance else 1)
PY
