#!/usr/bin/env bash
# The learning-signal experiment on Fashion-MNIST, on a CPU: pre-train each method without labels on the 60,000
# training images (ViT-T widths, depth 6, patch 8, 32² after zero padding), then compare every encoder with a random
# one of the same architecture on k-NN and the linear probe (fitted on a class-balanced 10 % of the training labels,
# 6,000 images) and on fine-tuning with 1 % of the labels (600 images), each scored on the 10,000 test images, over
# three seeds; finally merge the results into the restoration-baseline table. Patch 8 (16 tokens) rather than 4 (64):
# a 2-core CPU trains ViT-T depth 6 at about 4× the images per second, which is what a 15-minute budget allows.
#
#   scripts/learning-signal.sh [OUT]        (environment: EPOCHS, SEEDS, METHODS, FOLK_LAB)
#
# A seed draws the labelled subset of every protocol; it also sets the linear probe's head and feature order,
# fine-tuning's head, data order and augmentation, and a random encoder's initialisation.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/learning-signal}"
epochs="${EPOCHS:-2}"
seeds="${SEEDS:-0 1 2}"
methods="${METHODS:-mfm folk sr deblur denoise}"
if [ -z "${FOLK_LAB:-}" ]; then
  dotnet build src/Folk.Lab.Cli -c Release -v quiet -nologo >/dev/null
  FOLK_LAB="dotnet src/Folk.Lab.Cli/bin/Release/net10.0/folk-lab.dll"
fi
fl() { echo "+ folk-lab $*" >&2; $FOLK_LAB "$@"; }
done_in() { [ -f "$1/result.json" ] && echo "= $1 (done)" >&2; }     # evaluations that finished are not run again
arch=(--model vit-t --image-size 32 --patch-size 8 --depth 6)
data=(--data data-manifests/fashion-mnist.json)

evaluate() {   # evaluate NAME SOURCE: every protocol, every seed
  local name="$1" source="$2" seed
  for seed in $seeds; do
    done_in "$out/eval/$name/knn-s$seed" ||
      fl eval knn --encoder "$source" "${arch[@]}" "${data[@]}" --label-fraction 0.1 --seed "$seed" --out "$out/eval/$name/knn-s$seed" | tail -1
    done_in "$out/eval/$name/linear-s$seed" ||
      fl eval linear --encoder "$source" "${arch[@]}" "${data[@]}" --label-fraction 0.1 --seed "$seed" --out "$out/eval/$name/linear-s$seed" | tail -1
    done_in "$out/eval/$name/finetune1-s$seed" ||
      fl finetune --encoder "$source" "${arch[@]}" "${data[@]}" --label-fraction 0.01 --batch-size 64 --epochs 15 --warmup-epochs 1 --seed "$seed" \
        --out "$out/eval/$name/finetune1-s$seed" 2>/dev/null | tail -1
  done
}

evaluate random random
for method in $methods; do
  extra=()
  [ "$method" = folk ] && extra=(--prototypes 4096)
  fl pretrain --method "$method" "${arch[@]}" "${data[@]}" --batch-size 128 --epochs "$epochs" --warmup-epochs 0.1 --lr 1.5e-3 \
    --checkpoint-every 100 "${extra[@]}" --out "$out/pretrain/$method" 2>/dev/null | tail -2
  evaluate "$method" "$out/pretrain/$method"
done

fl results table "$out"/eval/*/* --paper mfm --format md | tee "$out/table.md"
