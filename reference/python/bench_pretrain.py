"""The PyTorch side of `folk-lab bench pretrain`: one MFM pre-training step written from the reference.

ViT from models_reference.py, MFM's 1x1-conv + PixelShuffle head, MFM's corruption and masked frequency loss
(mfm_reference.py), backward, clip_grad_norm_(3.0), torch.optim.AdamW((0.9, 0.95), wd 0.05). Eager mode; float32, or
with --bf16 the encoder and head under torch.autocast(bfloat16) as MFM's apex O1 would run them, FFTs and loss in
float32. On the CPU with the given thread count, or on --device cuda (TF32 on, as Folk.Lab sets it).
Prints one JSON object: seconds per step (median) for each case.

Usage: python3 bench_pretrain.py --threads 2 --steps 5 --warmup 2 [--device cuda] [--bf16] --case name:image:patch:dim:depth:heads:batch ...
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

import mfm_reference as ref
import models_reference as models


def step_time(image, patch, dim, depth, heads, batch, steps, warmup, device='cpu', bf16=False):
    torch.manual_seed(0)
    encoder = models.VisionTransformer(image, patch, dim, depth, heads)
    head = nn.Sequential(nn.Conv2d(dim, patch * patch * 3, 1), nn.PixelShuffle(patch))
    params = list(encoder.parameters()) + list(head.parameters())
    decay = [p for p in params if p.ndim > 1]
    no_decay = [p for p in params if p.ndim <= 1]
    optimizer = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.05}, {'params': no_decay, 'weight_decay': 0.0}],
                                  lr=1e-4, betas=(0.9, 0.95))
    encoder.to(device)
    head.to(device)
    images = torch.rand(batch, 3, image, image, device=device)
    radius = 16 * image / 224
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        low = (torch.rand(batch) < 0.5).tolist()
        masks = ref.radial_masks(image, radius, None, low).to(device)
        corrupted = ref.normalize(ref.frequency_transform(images, masks))
        target = ref.normalize(images)
        with torch.autocast(device_type=torch.device(device).type, dtype=torch.bfloat16, enabled=bf16):
            features, _ = encoder(corrupted)
            pred = head(features)
        loss = ref.masked_loss(pred.float(), target, masks)
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
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--bf16', action='store_true')
    parser.add_argument('--case', action='append', default=[])
    a = parser.parse_args()
    torch.set_num_threads(a.threads)
    if a.device.startswith('cuda'):
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    result = {}
    for case in a.case:
        name, image, patch, dim, depth, heads, batch = case.split(':')
        result[name] = step_time(int(image), int(patch), int(dim), int(depth), int(heads), int(batch), a.steps, a.warmup, a.device, a.bf16)
    print(json.dumps({'seconds_per_step': result, 'torch': torch.__version__, 'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    main()
