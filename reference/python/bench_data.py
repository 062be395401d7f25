"""The PyTorch side of `folk-lab bench data`: MFM's pre-training input pipeline in torchvision and PIL.

What MFM's data/data_mfm.py runs per image (written from its description, not copied): torchvision ImageFolder
(PIL decode, convert to RGB), RandomResizedCrop(size, scale=(min_scale, 1), bicubic), RandomHorizontalFlip(),
ToTensor(); a DataLoader with `workers` worker processes (persistent across epochs), shuffled, drop_last=False.
The first epoch warms up (worker start, file cache) and is not timed; then `repeats` epochs are timed (the caller
reports the fastest).
Prints one JSON object: images per epoch, the wall-clock seconds and the CPU seconds (this process and its workers,
from /proc) of each timed epoch, and the versions.

Usage: python3 bench_data.py --root DIR --workers 2 --batch 32 --size 224 --min-scale 0.2 --repeats 2
"""
import argparse
import json
import os
import time

import PIL
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def cpu_seconds(pids):
    """User + system CPU seconds of the processes (fields 14 and 15 of /proc/<pid>/stat); None where /proc is missing."""
    total = 0
    for pid in pids:
        try:
            with open(f'/proc/{pid}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            return None
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf('SC_CLK_TCK')


def workers_of(loader):
    """The worker processes' ids (torch's DataLoader keeps them on its iterator while they persist)."""
    iterator = getattr(loader, '_iterator', None)
    return [w.pid for w in getattr(iterator, '_workers', [])]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--root', required=True)
    parser.add_argument('--workers', type=int, default=1)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--size', type=int, default=224)
    parser.add_argument('--min-scale', type=float, default=0.2)
    parser.add_argument('--repeats', type=int, default=2)
    args = parser.parse_args()

    torch.manual_seed(0)
    transform = transforms.Compose([
        transforms.RandomResizedCrop(args.size, scale=(args.min_scale, 1.0), interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
    ])
    dataset = datasets.ImageFolder(args.root, transform)   # PIL loader: Image.open(f).convert('RGB')
    loader = DataLoader(dataset, batch_size=args.batch, shuffle=True, num_workers=args.workers,
                        persistent_workers=args.workers > 0, drop_last=False)
    seconds, cpu = [], []
    for epoch in range(1 + args.repeats):
        pids = [os.getpid()] + workers_of(loader)
        cpu_start = cpu_seconds(pids)
        start = time.perf_counter()
        count = 0
        for images, labels in loader:
            count += images.shape[0]
        if epoch > 0:
            seconds.append(time.perf_counter() - start)
            cpu_end = cpu_seconds(pids)
            cpu.append(None if cpu_start is None or cpu_end is None or len(pids) < 1 + args.workers else cpu_end - cpu_start)
    print(json.dumps({'images': count, 'seconds': seconds, 'cpu_seconds': cpu, 'torch': torch.__version__,
                      'torchvision': torchvision.__version__, 'pil': PIL.__version__}))


if __name__ == '__main__':
    main()
