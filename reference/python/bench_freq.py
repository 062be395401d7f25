"""The PyTorch side of `folk-lab bench freq`: MFM's per-batch frequency work, written as the reference does it.

Times, on the CPU with a given thread count: frequency_transform (fft2, fftshift, mask, ifftshift, ifft2, real,
clamp), ImageNet normalisation of input and target, FrequencyLoss and the masked reduction (forward), and the
same plus the loss gradient with respect to the prediction. Masks are built before timing, as MFM's data loader
does. Prints one JSON object.

Usage: python3 bench_freq.py --batch 64 --size 224 --threads 2 --repeats 10 --warmup 2
"""
import argparse
import json
import time

import torch

import mfm_reference as ref


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument('--size', type=int, default=224)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--repeats', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0)
    a = parser.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    images = torch.rand(a.batch, 3, a.size, a.size)
    low = torch.rand(a.batch) < 0.5
    masks = ref.radial_masks(a.size, 16 * a.size / 224, None, low.tolist())

    def step(backward):
        start = time.perf_counter()
        corrupted = ref.frequency_transform(images, masks)
        pred = ref.normalize(corrupted)
        if backward:
            pred.requires_grad_(True)
        target = ref.normalize(images)
        loss = ref.masked_loss(pred, target, masks)
        if backward:
            loss.backward()
        else:
            loss.item()
        return time.perf_counter() - start

    for _ in range(a.warmup):
        step(False)
        step(True)
    forward, both = [], []
    for _ in range(a.repeats):
        forward.append(step(False))
        both.append(step(True))
    print(json.dumps({'forward': forward, 'forward_backward': both, 'threads': torch.get_num_threads(),
                      'torch': torch.__version__}))


if __name__ == '__main__':
    main()
