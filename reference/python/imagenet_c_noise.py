"""ImageNet-C's noise corruptions, restated with the libraries ImageNet-C uses, for Folk.Lab's parity tests and bench.

Restated from hendrycks/robustness ImageNet-C/create_c/make_imagenet_c.py (224x224 constants) and make_cifar_c.py
(32x32 constants): gaussian_noise, shot_noise, impulse_noise. The functions work on one H x W x 3 float64 image in
[0, 1] (the original's np.array(x) / 255.) and return it in [0, 1]; the original's final * 255 and its 8-bit storage
are left out, as Folk.Lab leaves them out.

Where Folk.Lab's deterministic core takes random draws, the request may carry the same draws; without them the
function draws as the original does (numpy's global generator, skimage's default_rng).

Entry point for reference/python/serve.py (op imagenet_c/noise/<name>) and bench_corruptions.py:
run(name, arrays, params) with arrays['images'] B x 3 x H x W float32 and params['severity'] in 1..5.
Draws, all B x 3 x H x W: 'noise' (standard normal) for gaussian_noise, 'counts' (Poisson) for shot_noise,
'replace' and 'salt' (uniform in [0, 1)) for impulse_noise. Returns {'out': B x 3 x H x W float32}.
Op impulse_noise_skimage runs skimage itself with seeds params['seed'] + i and returns the draws skimage made.
"""
import inspect

import numpy as np

GAUSSIAN = {224: [.08, .12, 0.18, 0.26, 0.38], 32: [0.04, 0.06, .08, .09, .10]}
SHOT = {224: [60, 25, 12, 5, 3], 32: [500, 250, 100, 75, 50]}
IMPULSE = {224: [.03, .06, .09, 0.17, 0.27], 32: [.01, .02, .03, .05, .07]}


def gaussian_noise(x, severity, side, noise=None):
    c = GAUSSIAN[side][severity - 1]
    if noise is None:
        return np.clip(x + np.random.normal(size=x.shape, scale=c), 0, 1)
    return np.clip(x + noise * c, 0, 1)     # numpy's normal(scale=c) is c times a standard normal


def shot_noise(x, severity, side, counts=None):
    c = SHOT[side][severity - 1]
    if counts is None:
        counts = np.random.poisson(x * c)
    return np.clip(counts / c, 0, 1)


def impulse_noise(x, severity, side, replace=None, salt=None):
    c = IMPULSE[side][severity - 1]
    if replace is None:
        import skimage.util
        return np.clip(skimage.util.random_noise(x, mode='s&p', amount=c), 0, 1)
    # skimage.util.random_noise(mode='s&p', salt_vs_pepper=0.5): replaced where u1 <= amount, salt (1) where
    # u2 <= 0.5, pepper (low_clip = 0 for an image without negative values) elsewhere
    out = x.copy()
    flipped = replace <= c
    salted = salt <= 0.5
    out[flipped & salted] = 1
    out[flipped & ~salted] = 0
    return np.clip(out, 0, 1)


def _skimage_with_draws(x, amount, seed):
    """skimage's own s&p noise on one image, and the two uniform arrays its generator produced, in drawing order."""
    import skimage.util
    keyword = 'rng' if 'rng' in inspect.signature(skimage.util.random_noise).parameters else 'seed'
    out = skimage.util.random_noise(x, mode='s&p', amount=amount, **{keyword: seed})
    rng = np.random.default_rng(seed)
    replace = rng.random(x.shape)
    salt = rng.random(x.shape)
    return out, replace, salt


def _hwc(images, b):
    return images[b].transpose(1, 2, 0).astype(np.float64)


def _chw(batch):
    return np.stack([np.asarray(x, dtype=np.float64).transpose(2, 0, 1) for x in batch]).astype(np.float32)


def run(name, arrays, params):
    images = arrays['images']
    side = images.shape[-1]
    severity = int(params['severity'])
    if name == 'impulse_noise_skimage':
        amount = IMPULSE[side][severity - 1]
        outs, replaces, salts = [], [], []
        for b in range(images.shape[0]):
            out, replace, salt = _skimage_with_draws(_hwc(images, b), amount, int(params['seed']) + b)
            outs.append(np.clip(out, 0, 1))
            replaces.append(replace)
            salts.append(salt)
        return {'out': _chw(outs),
                'replace': np.stack([r.transpose(2, 0, 1) for r in replaces]),
                'salt': np.stack([s.transpose(2, 0, 1) for s in salts])}
    functions = {'gaussian_noise': (gaussian_noise, ['noise']),
                 'shot_noise': (shot_noise, ['counts']),
                 'impulse_noise': (impulse_noise, ['replace', 'salt'])}
    if name not in functions:
        raise ValueError(f'imagenet_c_noise has no corruption {name!r}')
    function, draw_names = functions[name]
    outs = []
    for b in range(images.shape[0]):
        draws = {k: _hwc(arrays[k], b) for k in draw_names if k in arrays}
        outs.append(function(_hwc(images, b), severity, side, **draws))
    return {'out': _chw(outs)}
