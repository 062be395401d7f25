"""The PyTorch side of `folk-lab bench finetune`: one fine-tuning step of a ViT classifier written from the reference.

The encoder's blocks from models_reference.py (MFM's BEiT-style ViT, Jiahao000/MFM models/vision_transformer.py) in
their fine-tuning form (MFM's finetune configs: mean of the patch tokens -> fc_norm -> head, no final norm);
cross-entropy on hard labels, backward, torch.optim.AdamW(betas=(0.9, 0.999)) with weight decay 0.05 outside 1-D
tensors, biases, pos_embed and cls_token; zero_grad. A fixed random batch; eager mode, float32, on the CPU with the
given threads or on --device cuda.
Prints one JSON object: seconds per step (median) for each case.

Usage: python3 bench_finetune.py --threads 2 --steps 3 --warmup 1 [--device cuda] --case name:image:patch:dim:depth:heads:classes:batch ...
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

import models_reference as models


class Classifier(nn.Module):
    def __init__(self, image, patch, dim, depth, heads, classes):
        super().__init__()
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, dim, patch, patch)
        grid = image // patch
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, grid * grid + 1, dim))
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        self.blocks = nn.ModuleList([models.Block(dim, heads) for _ in range(depth)])
        self.fc_norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        b = x.shape[0]
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        x = torch.cat((self.cls_token.expand(b, -1, -1), x), 1) + self.pos_embed
        for blk in self.blocks:
            x, _ = blk(x)
        return self.head(self.fc_norm(x[:, 1:].mean(1)))


def step_time(image, patch, dim, depth, heads, classes, batch, steps, warmup, device):
    torch.manual_seed(0)
    model = Classifier(image, patch, dim, depth, heads, classes).to(device).train()
    no_decay = lambda n, p: p.ndim <= 1 or n.endswith('.bias') or n in ('pos_embed', 'cls_token')
    named = list(model.named_parameters())
    optimizer = torch.optim.AdamW([
        {'params': [p for n, p in named if not no_decay(n, p)], 'weight_decay': 0.05},
        {'params': [p for n, p in named if no_decay(n, p)], 'weight_decay': 0.0},
    ], lr=1e-3, betas=(0.9, 0.999))
    images = torch.rand(batch, 3, image, image, device=device)
    labels = torch.randint(classes, (batch,), device=device)
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        loss.item()
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--steps', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--case', action='append', default=[])
    a = parser.parse_args()
    torch.set_num_threads(a.threads)
    if a.device.startswith('cuda'):
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    result = {}
    for case in a.case:
        name, image, patch, dim, depth, heads, classes, batch = case.split(':')
        result[name] = step_time(int(image), int(patch), int(dim), int(depth), int(heads), int(classes), int(batch),
                                 a.steps, a.warmup, a.device)
    print(json.dumps({'seconds_per_step': result, 'torch': torch.__version__, 'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    main()
