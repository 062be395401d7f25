"""ImageNet-C's blur family, restated for Folk.Lab's parity tests with the libraries the original uses.

Source of the definitions: hendrycks/robustness ImageNet-C/create_c/make_imagenet_c.py (224x224) and
make_cifar_c.py (CIFAR-10-C, 32x32): defocus_blur, glass_blur, motion_blur, zoom_blur and their helpers disk,
clipped_zoom and the Wand binding of ImageMagick's MotionBlurImage. Written from those definitions, not copied.

Differences from the scripts, all at the boundary: images arrive as Folk.Lab's B x 3 x H x W float32 in [0, 1] and
are used as float64 H x W x 3 (the scripts' np.array(pil) / 255.), except where the script goes through an 8-bit
PIL image (motion blur), where they are rounded to 8 bits first; results go back as float64 in [0, 1] without the
final * 255; the random draws come from the request instead of numpy's global generator.
Called by serve.py as op 'imagenet_c/blur/<name>'.
"""
import ctypes
from io import BytesIO

import cv2
import numpy as np
from PIL import Image as PILImage
from scipy.ndimage import zoom as scizoom
from skimage.filters import gaussian
from wand.api import library as wandlibrary
from wand.image import Image as WandImage

wandlibrary.MagickMotionBlurImage.argtypes = (ctypes.c_void_p, ctypes.c_double, ctypes.c_double, ctypes.c_double)

# per-severity constants, (ImageNet-C 224, CIFAR-10-C 32)
DEFOCUS = ([(3, 0.1), (4, 0.5), (6, 0.5), (8, 0.5), (10, 0.5)],
           [(0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1)])
GLASS = ([(0.7, 1, 2), (0.9, 2, 1), (1, 2, 3), (1.1, 3, 2), (1.5, 4, 2)],
         [(0.05, 1, 1), (0.25, 1, 1), (0.4, 1, 1), (0.25, 1, 2), (0.4, 1, 2)])
MOTION = ([(10, 3), (15, 5), (15, 8), (15, 12), (20, 15)],
          [(6, 1), (6, 1.5), (6, 2), (8, 2), (9, 2.5)])
ZOOM = ([np.arange(1, 1.11, 0.01), np.arange(1, 1.16, 0.01), np.arange(1, 1.21, 0.02),
         np.arange(1, 1.26, 0.02), np.arange(1, 1.31, 0.03)],
        [np.arange(1, 1.06, 0.01), np.arange(1, 1.11, 0.01), np.arange(1, 1.16, 0.01),
         np.arange(1, 1.21, 0.01), np.arange(1, 1.26, 0.01)])


def constants(table, side, severity):
    """The severity's entry of the table for this side (224 -> ImageNet-C, 32 -> CIFAR-10-C)."""
    return table[0 if side == 224 else 1][severity - 1]


def skimage_gaussian(x, sigma):
    """skimage.filters.gaussian(x, sigma, multichannel=True): channel_axis=-1 on scikit-image >= 0.19."""
    try:
        return gaussian(x, sigma=sigma, channel_axis=-1)
    except TypeError:
        return gaussian(x, sigma=sigma, multichannel=True)


def disk(radius, alias_blur=0.1, dtype=np.float32):
    if radius <= 8:
        grid, ksize = np.arange(-8, 8 + 1), (3, 3)
    else:
        grid, ksize = np.arange(-radius, radius + 1), (5, 5)
    xx, yy = np.meshgrid(grid, grid)
    aliased = np.array((xx ** 2 + yy ** 2) <= radius ** 2, dtype=dtype)
    aliased /= np.sum(aliased)
    return cv2.GaussianBlur(aliased, ksize=ksize, sigmaX=alias_blur)


def clipped_zoom(img, zoom_factor):
    h = img.shape[0]
    ch = int(np.ceil(h / zoom_factor))
    top = (h - ch) // 2
    img = scizoom(img[top:top + ch, top:top + ch], (zoom_factor, zoom_factor, 1), order=1)
    trim_top = (img.shape[0] - h) // 2
    return img[trim_top:trim_top + h, trim_top:trim_top + h]


def magick_motion_blur(pixels, radius, sigma, angle):
    """8-bit H x W (grey) or H x W x 3 image -> PNG -> ImageMagick MotionBlurImage -> PNG -> 8-bit array, as
    ImageNet-C's MotionImage.motion_blur and cv2.imdecode do it. Greyscale results come back H x W."""
    output = BytesIO()
    PILImage.fromarray(pixels).save(output, format='PNG')
    with WandImage(blob=output.getvalue()) as image:
        wandlibrary.MagickMotionBlurImage(image.wand, radius, sigma, angle)
        blob = image.make_blob()
    return cv2.imdecode(np.frombuffer(blob, np.uint8), cv2.IMREAD_UNCHANGED)


def defocus_blur(x, severity):
    radius, alias = constants(DEFOCUS, x.shape[0], severity)
    kernel = disk(radius=radius, alias_blur=alias)
    channels = np.array([cv2.filter2D(x[:, :, d], -1, kernel) for d in range(3)]).transpose((1, 2, 0))
    return np.clip(channels, 0, 1)


def glass_blur(x, severity, offsets):
    """offsets[i, a, c] = (dx, dy) for the pixel visited at h = S - delta - a, w = S - delta - c in iteration i."""
    side = x.shape[0]
    sigma, delta, iterations = constants(GLASS, side, severity)
    x = np.uint8(skimage_gaussian(x, sigma) * 255)
    for i in range(iterations):
        for a, h in enumerate(range(side - delta, delta, -1)):
            for c, w in enumerate(range(side - delta, delta, -1)):
                dx, dy = offsets[i, a, c]
                h_prime, w_prime = h + dy, w + dx
                x[h, w], x[h_prime, w_prime] = x[h_prime, w_prime], x[h, w]   # the published line, views and all
    return np.clip(skimage_gaussian(x / 255., sigma), 0, 1)


def glass_offsets(side, severity):
    """The original's draws when the request brings none: np.random.randint(-delta, delta, size=(2,)) per visited pixel
    and iteration, in the loop's order (drawn at once here; the same distribution, not the same stream)."""
    _, delta, iterations = constants(GLASS, side, severity)
    visited = len(range(side - delta, delta, -1))
    return np.random.randint(-delta, delta, size=(iterations, visited, visited, 2))


def motion_blur(x, severity, angle):
    radius, sigma = constants(MOTION, x.shape[0], severity)
    pixels = np.uint8(np.round(x * 255))
    out = magick_motion_blur(pixels, radius, sigma, angle)
    out = out[..., [2, 1, 0]] if out.ndim == 3 else np.stack([out, out, out], axis=-1)
    return np.clip(out, 0, 255) / 255.


def zoom_blur(x, severity):
    factors = constants(ZOOM, x.shape[0], severity)
    x = x.astype(np.float32)
    out = np.zeros_like(x)
    for zoom_factor in factors:
        out += clipped_zoom(x, zoom_factor)
    x = (x + out) / (len(factors) + 1)
    return np.clip(x, 0, 1)


def run(name, arrays, params):
    images = arrays['images'].astype(np.float64).transpose(0, 2, 3, 1)      # B x H x W x 3
    if name in ('defocus_blur', 'glass_blur', 'motion_blur', 'zoom_blur'):
        severity = params['severity']
        out = []
        for b, x in enumerate(images):
            if name == 'defocus_blur':
                out.append(defocus_blur(x, severity))
            elif name == 'glass_blur':
                offsets = arrays['offsets'][b] if 'offsets' in arrays else glass_offsets(x.shape[0], severity)
                out.append(glass_blur(x, severity, offsets))
            elif name == 'motion_blur':
                angle = float(arrays['angles'][b]) if 'angles' in arrays else np.random.uniform(-45, 45)
                out.append(motion_blur(x, severity, angle))
            else:
                out.append(zoom_blur(x, severity))
        return {'out': np.stack(out).transpose(0, 3, 1, 2).astype(np.float64)}
    if name == 'clipped_zoom':                                                # per image, every channel
        return {'out': np.stack([clipped_zoom(x, params['factor']) for x in images]).transpose(0, 3, 1, 2)}
    if name == 'scipy_zoom':
        return {'out': np.stack([scizoom(x, (params['factor'], params['factor'], 1), order=1)
                                 for x in images]).transpose(0, 3, 1, 2)}
    if name == 'magick_motion_blur':                                          # 8-bit in, 8-bit out, per image
        out = []
        for b, x in enumerate(images):
            pixels = np.uint8(np.round(x * 255))
            blurred = magick_motion_blur(pixels, params['radius'], params['sigma'], float(arrays['angles'][b]))
            out.append(blurred[..., [2, 1, 0]] if blurred.ndim == 3 else np.stack([blurred] * 3, axis=-1))
        return {'out': np.stack(out).transpose(0, 3, 1, 2).astype(np.float64) / 255.}
    if name == 'disk':
        return {'kernel': disk(params['radius'], params['alias_blur']).astype(np.float64)}
    raise ValueError(f'unknown blur op {name!r}')
