#!/usr/bin/env bash
# The segmentation miniature on a CPU: pre-train MFM briefly on the synthetic images (no labels; ViT-T widths, depth 6,
# patch 8, 32²), then train UperNet on that encoder and on a random one of the same architecture with the synthetic
# images' per-pixel labels (11 classes: the background and the ten objects; the miniature preset of `folk-lab segment`,
# 2,000 iterations of 16 crops, about 10 minutes each on 2 cores), for each seed, and merge the results into MFM's table
# (mIoU and pixel accuracy on 500 held-out images, mean ± std over the seeds).
#
#   scripts/segmentation-miniature.sh [OUT]        (environment: EPOCHS, IMAGES, SEEDS, FOLK_LAB, CENTRED)
#
# CENTRED=1 also trains each segmenter with --centre-tokens (a diagnostic, not the papers' protocol: each image's mean
# token is subtracted from the blocks UperNet reads), into segment-centred/, filed in a column of its own.
#
# A seed draws the heads' (and a random encoder's) initialisation, the data order and the augmentation; the pre-training
# is one run, shared by the seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/segmentation-miniature}"
epochs="${EPOCHS:-2}"
images="${IMAGES:-10000}"
seeds="${SEEDS:-0 1 2}"
if [ -z "${FOLK_LAB:-}" ]; then
  dotnet build src/Folk.Lab.Cli -c Release -v quiet -nologo >/dev/null
  FOLK_LAB="dotnet src/Folk.Lab.Cli/bin/Release/net10.0/folk-lab.dll"
fi
fl() { echo "+ folk-lab $*" >&2; $FOLK_LAB "$@"; }
done_in() { [ -f "$1/result.json" ] && echo "= $1 (done)" >&2; }     # runs that finished are not run again
arch=(--model vit-t --image-size 32 --patch-size 8 --depth 6)

fl pretrain --method mfm "${arch[@]}" --data synthetic --synthetic-count "$images" --batch-size 64 --epochs "$epochs" \
  --warmup-epochs 0.2 --lr 1.5e-3 --checkpoint-every 50 --out "$out/pretrain/mfm" 2>/dev/null | tail -2

for seed in $seeds; do
  done_in "$out/segment/mfm-s$seed" ||
    fl segment --encoder "$out/pretrain/mfm" --seed "$seed" --out "$out/segment/mfm-s$seed" 2>/dev/null | tail -1
  done_in "$out/segment/random-s$seed" ||
    fl segment --encoder random "${arch[@]}" --seed "$seed" --out "$out/segment/random-s$seed" 2>/dev/null | tail -1
  if [ "${CENTRED:-0}" = 1 ]; then
    done_in "$out/segment-centred/mfm-s$seed" ||
      fl segment --encoder "$out/pretrain/mfm" --centre-tokens --seed "$seed" --out "$out/segment-centred/mfm-s$seed" 2>/dev/null | tail -1
    done_in "$out/segment-centred/random-s$seed" ||
      fl segment --encoder random "${arch[@]}" --centre-tokens --seed "$seed" --out "$out/segment-centred/random-s$seed" 2>/dev/null | tail -1
  fi
done

fl results table "$out"/segment/* $([ "${CENTRED:-0}" = 1 ] && echo "$out"/segment-centred/*) --paper mfm --format md | tee "$out/table.md"
