"""Measures the statistics of ImageNet-C's frost photographs that Folk.Lab's procedural frost texture is matched to.

ImageNet-C's frost (hendrycks/robustness ImageNet-C/create_c/make_imagenet_c.py and make_cifar_c.py) blends a random
crop of one of frost1.png, frost2.png, frost3.png, frost4.jpg, frost5.jpg (np.random.randint(5) never picks
frost6.jpg). Folk.Lab does not ship them; src/Folk.Lab/Corruptions/Common/FrostTexture.cs holds the numbers printed
here, and tests/Folk.Lab.Tests/Corruptions/Common/WeatherCorruptionsTests.cs the spectral ones.

Crops are made as each script makes them: cv2.imread (BGR, alpha dropped) turned to RGB; for ImageNet-C a 224 x 224
crop of the photograph; for CIFAR-10-C a 32 x 32 crop after cv2.resize(fx=0.2, fy=0.2) (bilinear, which at 0.2
samples pixels 2, 7, 12, ...). Per photograph: the per-channel mean and standard deviation over a crop, averaged over
the crops. Over all five: the grey level's (0.299 R + 0.587 G + 0.114 B, mean removed) radial power-spectrum slope,
a least-squares line of log power on log radius over rings 2 ... N/2 - 1 (rings: distance from DC rounded), and the
share of its energy at a distance of N/4 or more from DC.

Usage: /usr/bin/python3 reference/python/frost_statistics.py <checkout of hendrycks/robustness> [crops per picture]
"""
import os
import sys

import cv2
import numpy as np

PICTURES = ['frost1.png', 'frost2.png', 'frost3.png', 'frost4.jpg', 'frost5.jpg']


def grey(crop):
    g = crop @ np.array([0.299, 0.587, 0.114])
    return g - g.mean()


def power(g):
    return np.abs(np.fft.fftshift(np.fft.fft2(g))) ** 2


def radius(n):
    y, x = np.indices((n, n)) - n // 2
    return np.hypot(x, y)


def slope(g):
    n = g.shape[0]
    rings = radius(n).round().astype(int).ravel()
    profile = np.bincount(rings, power(g).ravel()) / np.bincount(rings)
    f = np.arange(2, n // 2)
    return np.polyfit(np.log(f), np.log(profile[f]), 1)[0]


def high_share(g):
    n = g.shape[0]
    p = power(g)
    return p[radius(n) >= n / 4].sum() / p.sum()


def main(root, crops):
    rng = np.random.default_rng(0)
    folder = os.path.join(root, 'ImageNet-C', 'create_c')
    for side, scale in ((224, 1.0), (32, 0.2)):
        slopes, shares = [], []
        print(f'{side}x{side} crops' + (f' of the photographs resized by {scale}' if scale != 1 else ''))
        for name in PICTURES:
            picture = cv2.imread(os.path.join(folder, name))
            if picture is None:
                sys.exit(f'cannot read {os.path.join(folder, name)}: pass the root of a hendrycks/robustness checkout')
            if scale != 1:
                picture = cv2.resize(picture, (0, 0), fx=scale, fy=scale)
            picture = picture[..., [2, 1, 0]].astype(np.float64) / 255
            means, stds = [], []
            for _ in range(crops):
                top = rng.integers(0, picture.shape[0] - side)
                left = rng.integers(0, picture.shape[1] - side)
                crop = picture[top:top + side, left:left + side]
                means.append(crop.mean(axis=(0, 1)))
                stds.append(crop.std(axis=(0, 1)))
                slopes.append(slope(grey(crop)))
                shares.append(high_share(grey(crop)))
            print(f'  {name}: mean {np.round(np.mean(means, 0), 3)} std {np.round(np.mean(stds, 0), 3)}')
        print(f'  all: slope {np.mean(slopes):.2f} +- {np.std(slopes):.2f}, share beyond N/4 {np.mean(shares):.3f} '
              f'(5th-95th percentile {np.percentile(shares, 5):.3f} ... {np.percentile(shares, 95):.3f})')


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 500)
