"""The PyTorch side of `folk-lab bench pretrain`: one MFM pre-training step written from the reference.

ViT from models_reference.py, MFM's 1x1-conv + PixelShuffle head, MFM's corruption and masked frequency loss
(mfm_reference.py), backward, clip_grad_norm_(3.0), torch.optim.AdamW((0.9, 0.95), wd 0.05). Eager mode, float32,
on the CPU with the given thread count. Prints one JSON object: seconds per step (median) for each case.

Usage: python3 bench_pretrain.py --threads 2 --steps 5 --warmup 2 --case name:image:patch:dim:depth:heads:batch ...
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

import mfm_reference as ref
import models_reference as models


def step_time(image, patch, dim, depth, heads, batch, steps, warmup):
    torch.manual_seed(0)
    encoder = models.VisionTransformer(image, patch, dim, depth, heads)
    head = nn.Sequential(nn.Conv2d(dim, patch * patch * 3, 1), nn.PixelShuffle(patch))
    params = list(encoder.parameters()) + list(head.parameters())
    decay = [p for p in params if p.ndim > 1]
    no_decay = [p for p in params if p.ndim <= 1]
    optimizer = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.05}, {'params': no_decay, 'weight_decay': 0.0}],
                                  lr=1e-4, betas=(0.9, 0.95))
    images = torch.rand(batch, 3, image, image)
    radius = 16 * image / 224
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        low = (torch.rand(batch) < 0.5).tolist()
        masks = ref.radial_masks(image, radius, None, low)
        corrupted = ref.normalize(ref.frequency_transform(images, masks))
        target = ref.normalize(images)
        features, _ = encoder(corrupted)
        loss = ref.masked_loss(head(features), target, masks)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 3.0)
        optimizer.step()
        optimizer.zero_grad()
        loss.item()
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--steps', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--case', action='append', default=[])
    a = parser.parse_args()
    torch.set_num_threads(a.threads)
    result = {}
    for case in a.case:
        name, image, patch, dim, depth, heads, batch = case.split(':')
        result[name] = step_time(int(image), int(patch), int(dim), int(depth), int(heads), int(batch), a.steps, a.warmup)
    print(json.dumps({'seconds_per_step': result, 'torch': torch.__version__, 'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    main()
