"""ImageNet-C's digital corruptions, restated with the libraries ImageNet-C uses, for Folk.Lab's parity tests and bench.

Restated from hendrycks/robustness ImageNet-C/create_c/make_imagenet_c.py (224x224 constants) and make_cifar_c.py
(32x32 constants): contrast, elastic_transform, pixelate, jpeg_compression (brightness is with the weather family).
contrast and elastic_transform work on float images in [0, 1] as the original does after its / 255.; pixelate and
jpeg_compression work, as the original, on 8-bit PIL images: the request's floats are rounded to 8 bits first and the
8-bit result is divided by 255. The original's final * 255 and 8-bit storage are left out, as Folk.Lab leaves them out.

Entry point for reference/python/serve.py (op imagenet_c/digital/<name>) and bench_corruptions.py:
run(name, arrays, params) with arrays['images'] B x 3 x H x W float32 in [0, 1] and params['severity'] in 1..5.
elastic_transform may carry its draws: 'jitter' (B x 3 x 2 float32, the offsets of the three anchor points) and
'fields' (B x 2 x H x W, the uniform fields in [-1, 1), dx first); without them it draws as the original does.
pixelate_float is pixelate on mode 'F' images, channel by channel, with no 8-bit rounding.
Returns {'out': B x 3 x H x W float32}; elastic_transform also returns 'warped' (after the affine) and 'dx', 'dy'.
"""
from io import BytesIO

import numpy as np

CONTRAST = {224: [0.4, .3, .2, .1, .05], 32: [.75, .5, .4, .3, 0.15]}
JPEG = {224: [25, 18, 15, 10, 7], 32: [80, 65, 58, 50, 40]}
PIXELATE = {224: [0.6, 0.5, 0.4, 0.3, 0.25], 32: [0.95, 0.9, 0.85, 0.75, 0.65]}
ELASTIC = {
    224: [(244 * 2, 244 * 0.7, 244 * 0.1),   # 244 should have been 224, says the original; kept as published
          (244 * 2, 244 * 0.08, 244 * 0.2),
          (244 * 0.05, 244 * 0.01, 244 * 0.02),
          (244 * 0.07, 244 * 0.01, 244 * 0.02),
          (244 * 0.12, 244 * 0.01, 244 * 0.02)],
    32: [(32 * 0, 32 * 0, 32 * 0.08),
         (32 * 0.05, 32 * 0.2, 32 * 0.07),
         (32 * 0.08, 32 * 0.06, 32 * 0.06),
         (32 * 0.1, 32 * 0.04, 32 * 0.05),
         (32 * 0.1, 32 * 0.03, 32 * 0.03)],
}


def contrast(x, severity, side):
    c = CONTRAST[side][severity - 1]
    means = np.mean(x, axis=(0, 1), keepdims=True)
    return np.clip((x - means) * c + means, 0, 1)


def _pil(x):
    from PIL import Image
    return Image.fromarray(np.uint8(np.clip(np.round(x * 255), 0, 255)))


def pixelate(x, severity, side):
    from PIL import Image
    box = getattr(Image, 'Resampling', Image).BOX
    c = PIXELATE[side][severity - 1]
    image = _pil(x)
    image = image.resize((int(side * c), int(side * c)), box)
    image = image.resize((side, side), box)
    return np.asarray(image, dtype=np.float64) / 255.


def pixelate_float(x, severity, side):
    from PIL import Image
    box = getattr(Image, 'Resampling', Image).BOX
    c = PIXELATE[side][severity - 1]
    channels = []
    for k in range(x.shape[2]):
        image = Image.fromarray(x[:, :, k].astype(np.float32), mode='F')
        image = image.resize((int(side * c), int(side * c)), box)
        image = image.resize((side, side), box)
        channels.append(np.asarray(image, dtype=np.float32))
    return np.stack(channels, axis=2)


def jpeg_compression(x, severity, side):
    from PIL import Image
    c = JPEG[side][severity - 1]
    output = BytesIO()
    _pil(x).save(output, 'JPEG', quality=c)
    return np.asarray(Image.open(output), dtype=np.float64) / 255.


def elastic_transform(image, severity, side, jitter=None, fields=None, parts=None):
    """The original with its three random draws optionally given; parts, a dict, receives the intermediate arrays."""
    import cv2
    from scipy.ndimage import map_coordinates
    from skimage.filters import gaussian
    c = ELASTIC[side][severity - 1]

    image = np.asarray(image, dtype=np.float32)
    shape = image.shape
    shape_size = shape[:2]

    # random affine
    center_square = np.float32(shape_size) // 2
    square_size = min(shape_size) // 3
    pts1 = np.float32([center_square + square_size,
                       [center_square[0] + square_size, center_square[1] - square_size],
                       center_square - square_size])
    if jitter is None:
        jitter = np.random.uniform(-c[2], c[2], size=pts1.shape).astype(np.float32)
    pts2 = pts1 + jitter.astype(np.float32)
    M = cv2.getAffineTransform(pts1, pts2)
    image = cv2.warpAffine(image, M, shape_size[::-1], borderMode=cv2.BORDER_REFLECT_101)

    field_x = np.random.uniform(-1, 1, size=shape[:2]) if fields is None else fields[0]
    field_y = np.random.uniform(-1, 1, size=shape[:2]) if fields is None else fields[1]
    dx = (gaussian(field_x, c[1], mode='reflect', truncate=3) * c[0]).astype(np.float32)
    dy = (gaussian(field_y, c[1], mode='reflect', truncate=3) * c[0]).astype(np.float32)
    if parts is not None:
        parts.update(warped=image, dx=dx, dy=dy)
    dx, dy = dx[..., np.newaxis], dy[..., np.newaxis]

    x, y, z = np.meshgrid(np.arange(shape[1]), np.arange(shape[0]), np.arange(shape[2]))
    indices = np.reshape(y + dy, (-1, 1)), np.reshape(x + dx, (-1, 1)), np.reshape(z, (-1, 1))
    return np.clip(map_coordinates(image, indices, order=1, mode='reflect').reshape(shape), 0, 1)


def run(name, arrays, params):
    images = arrays['images']
    side = images.shape[-1]
    severity = int(params['severity'])
    functions = {'contrast': contrast, 'pixelate': pixelate, 'pixelate_float': pixelate_float,
                 'jpeg_compression': jpeg_compression, 'elastic_transform': elastic_transform}
    if name not in functions:
        raise ValueError(f'imagenet_c_digital has no corruption {name!r}')
    outs, parts = [], {'warped': [], 'dx': [], 'dy': []}
    for b in range(images.shape[0]):
        x = images[b].transpose(1, 2, 0)
        if name == 'elastic_transform':
            found = {}
            outs.append(elastic_transform(x, severity, side,
                                          arrays['jitter'][b] if 'jitter' in arrays else None,
                                          arrays['fields'][b] if 'fields' in arrays else None, found))
            for k in parts:
                parts[k].append(found[k])
        else:
            outs.append(functions[name](x if name in ('pixelate', 'pixelate_float', 'jpeg_compression') else x.astype(np.float64),
                                        severity, side))
    result = {'out': np.stack([np.asarray(o).transpose(2, 0, 1) for o in outs]).astype(np.float32)}
    if name == 'elastic_transform':
        result['warped'] = np.stack([w.transpose(2, 0, 1) for w in parts['warped']]).astype(np.float32)
        result['dx'] = np.stack(parts['dx'])
        result['dy'] = np.stack(parts['dy'])
    return result
