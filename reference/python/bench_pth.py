"""The PyTorch side of `folk-lab bench pth`: torch.load(weights_only=True) of one .pth file, timed.

The file is read once untimed (so both sides find it in the page cache), then `repeats` times timed.
Prints one JSON object: the file's bytes, the seconds of each timed load (weights_only=True, and the default
unpickler as 'seconds_default'), the tensors loaded and the versions.

Usage: python3 bench_pth.py --file weights.pth --repeats 3 --threads 2
"""
import argparse
import json
import os
import time

import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--file', required=True)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    state = torch.load(args.file, weights_only=True)
    del state
    timings = {}
    for key, weights_only in (('seconds', True), ('seconds_default', False)):
        timings[key] = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            state = torch.load(args.file, weights_only=weights_only)
            timings[key].append(time.perf_counter() - start)
            count = len(state)
            del state
    print(json.dumps({'bytes': os.path.getsize(args.file), **timings, 'tensors': count, 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
