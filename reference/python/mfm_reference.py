"""MFM's and FOLK's frequency operations, written literally from the method descriptions.

This is the *reference* side of Folk.Lab's parity tests and benchmarks: plain PyTorch that follows
the official MFM code (Jiahao000/MFM@c9194b1: data/data_mfm.py, models/mfm.py, models/frequency_loss.py)
and Folk.Lab's reading of FOLK's Com/RCom filters (arXiv 2409.10362, section 3.2.1), with no
attempt at speed. It runs on Debian's python3-torch (1.13) and numpy.

Every function takes and returns torch tensors (float32 unless stated).
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


# --- masks (MFM data/data_mfm.py, FreqMaskGenerator) --------------------------------------------------------

def radial_mask(size, r1, r2=None):
    """FreqMaskGenerator's base array M: ones, zero where r1^2 <= (x-c)^2 + (y-c)^2 < r2^2, c = size // 2."""
    c = size // 2
    y, x = np.ogrid[:size, :size]
    d2 = (x - c) ** 2 + (y - c) ** 2
    m = np.ones((size, size), dtype=np.int64)
    removed = d2 >= r1 * r1
    if r2 is not None:
        removed &= d2 < r2 * r2
    m[removed] = 0
    return torch.from_numpy(m)


def radial_masks(size, r1, r2, low_pass):
    """Per-image masks: M for a low-pass draw, 1 - M for a high-pass draw."""
    m = radial_mask(size, r1, r2)
    return torch.stack([m if low else 1 - m for low in low_pass])


# --- corruption (MFM models/mfm.py, MFM.frequency_transform) ------------------------------------------------

def frequency_transform(x, mask, clamp=True):
    """MFM.frequency_transform: fft2 (backward norm), fftshift, multiply, ifftshift, ifft2, real, clamp."""
    if mask.dim() == 3:
        mask = mask.unsqueeze(1)
    x_freq = torch.fft.fft2(x)
    x_freq = torch.fft.fftshift(x_freq, dim=(-2, -1))
    x_freq = x_freq * mask
    x_freq = torch.fft.ifftshift(x_freq, dim=(-2, -1))
    out = torch.fft.ifft2(x_freq).real
    return torch.clamp(out, min=0., max=1.) if clamp else out


def normalize(x):
    mean = torch.tensor(IMAGENET_MEAN, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    return (x - mean) / std


# --- frequency loss (MFM models/frequency_loss.py and MFM.forward) ------------------------------------------

def tensor2freq(x, patch_factor=1):
    _, _, h, w = x.shape
    ph, pw = h // patch_factor, w // patch_factor
    patches = [x[:, :, i * ph:(i + 1) * ph, j * pw:(j + 1) * pw]
               for i in range(patch_factor) for j in range(patch_factor)]
    y = torch.stack(patches, 1).float()
    freq = torch.fft.fft2(y, norm='ortho')
    freq = torch.fft.fftshift(freq, dim=(-2, -1))
    return torch.stack([freq.real, freq.imag], -1)


def loss_map(pred, target, loss_gamma=1., matrix_gamma=1., patch_factor=1, ave_spectrum=False,
             with_matrix=False, log_matrix=False, batch_matrix=False):
    """FrequencyLoss.forward: the unreduced map, N x P x C x H x W."""
    pred_freq = tensor2freq(pred, patch_factor)
    target_freq = tensor2freq(target, patch_factor)
    if ave_spectrum:
        pred_freq = torch.mean(pred_freq, 0, keepdim=True)
        target_freq = torch.mean(target_freq, 0, keepdim=True)
    tmp = (pred_freq - target_freq) ** 2
    loss = torch.sqrt(tmp[..., 0] + tmp[..., 1] + 1e-12) ** loss_gamma
    if with_matrix:
        m = (pred_freq - target_freq) ** 2
        m = torch.sqrt(m[..., 0] + m[..., 1]) ** matrix_gamma
        if log_matrix:
            m = torch.log(m + 1.0)
        if batch_matrix:
            m = m / m.max()
        else:
            m = m / m.max(-1).values.max(-1).values[:, :, :, None, None]
        m[torch.isnan(m)] = 0.0
        m = torch.clamp(m, min=0.0, max=1.0)
        loss = m.clone().detach() * loss
    return loss


def masked_loss(pred, target, mask, **options):
    """RECOVER_TARGET_TYPE='masked': sum(d * (1-M)) / sum(1-M) / C / P (mask B x H x W, 1 = kept)."""
    d = loss_map(pred, target, **options)
    mask = mask.unsqueeze(1)  # as in MFM.forward
    return (d * (1 - mask.unsqueeze(1))).sum() / (1 - mask).sum() / pred.shape[1] / d.shape[1]


def mean_loss(pred, target, **options):
    """RECOVER_TARGET_TYPE='normal'."""
    return loss_map(pred, target, **options).mean()


# --- restoration corruptions (MFM models/mfm.py, data/random_degradations.py) -------------------------------

def super_resolution(x, factor=8):
    h, w = x.shape[2:]
    down = F.interpolate(x, size=(h // factor, w // factor), mode='bicubic').clamp(0., 1.)
    return F.interpolate(down, size=(h, w), mode='bicubic').clamp(0., 1.)


def gaussian_kernel_2d(kernel_size, sigma):
    """Isotropic bivariate Gaussian on the grid arange(-k//2 + 1, k//2 + 1), normalised to sum 1."""
    ax = np.arange(-kernel_size // 2 + 1., kernel_size // 2 + 1.)
    xx, yy = np.meshgrid(ax, ax)
    kernel = np.exp(-0.5 * (xx ** 2 + yy ** 2) / (sigma ** 2))
    return kernel / kernel.sum()


def gaussian_blur(x, kernel_sizes, sigma=5.0):
    """cv2.filter2D with BORDER_REFLECT_101 (numpy 'reflect'), per image, no clamp: a direct 2-D correlation."""
    out = []
    for b, k in enumerate(kernel_sizes):
        kernel = torch.from_numpy(gaussian_kernel_2d(k, sigma)).to(x.dtype)
        r = k // 2
        img = torch.from_numpy(np.pad(x[b].numpy(), ((0, 0), (r, r), (r, r)), mode='reflect'))
        weight = kernel.view(1, 1, k, k).repeat(x.shape[1], 1, 1, 1)
        out.append(F.conv2d(img.unsqueeze(0), weight, groups=x.shape[1])[0])
    return torch.stack(out)


# --- spectra ------------------------------------------------------------------------------------------------

def centered_spectrum(x, norm='backward'):
    return torch.fft.fftshift(torch.fft.fft2(x, norm=norm), dim=(-2, -1))


def radial_profile(x):
    """Mean |X|^2 (ortho) over channels and rings round(d) = r, r = 0 .. N/2 - 1, by explicit loops over rings."""
    n = x.shape[-1]
    power = (centered_spectrum(x.double(), 'ortho').abs() ** 2).mean(1)  # B x N x N
    c = n // 2
    y, xx = np.ogrid[:n, :n]
    ring = np.floor(np.sqrt((xx - c) ** 2 + (y - c) ** 2) + 0.5).astype(np.int64)
    out = torch.zeros(x.shape[0], n // 2, dtype=torch.float64)
    for r in range(n // 2):
        sel = torch.from_numpy(ring == r)
        out[:, r] = power[:, sel].mean(1)
    return out


def band_energy(x, edges):
    """Fraction of sum_c |X|^2 in [0,e1), [e1,e2), ..., [e_last, inf)."""
    h, w = x.shape[-2:]
    energy = (centered_spectrum(x.double(), 'ortho').abs() ** 2).sum(1)
    y, xx = np.ogrid[:h, :w]
    d2 = (xx - w // 2) ** 2 + (y - h // 2) ** 2
    bounds = [0.0] + [e * e for e in edges] + [math.inf]
    total = energy.sum((1, 2))
    cols = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        sel = torch.from_numpy((d2 >= lo) & (d2 < hi))
        cols.append(energy[:, sel].sum(1) / total)
    return torch.stack(cols, 1)


# --- FOLK Com / RCom (arXiv 2409.10362, section 3.2.1; Folk.Lab's reading) ----------------------------------

def mirror(t):
    """t at the Hermitian partner -k of every k, shifted layout: index i -> (2*(N//2) - i) mod N on both axes."""
    h, w = t.shape[-2:]
    ri = torch.tensor([(2 * (h // 2) - i) % h for i in range(h)])
    ci = torch.tensor([(2 * (w // 2) - j) % w for j in range(w)])
    return t[..., ri, :][..., :, ci]


def com_mask(x, taus, threshold='keep_fraction', channels='shared', reverse=False):
    """Com: keep the frequencies whose (symmetrised) magnitude is at least the k-th largest, k = ceil(tau*H*W),
    or at least tau * max for threshold='magnitude_fraction'. RCom = 1 - Com."""
    b, c, h, w = x.shape
    if channels == 'luminance':
        weights = torch.tensor([0.299, 0.587, 0.114], dtype=x.dtype).view(1, 3, 1, 1)
        x = (x * weights).sum(1, keepdim=True)
    mag = centered_spectrum(x).abs()                   # B x C x H x W
    if channels in ('shared', 'luminance'):
        mag = mag.sum(1, keepdim=True)
    mag = (mag + mirror(mag)) / 2
    masks = torch.zeros_like(mag)
    for i in range(b):
        for ch in range(mag.shape[1]):
            a = mag[i, ch]
            if threshold == 'keep_fraction':
                k = math.ceil(taus[i] * h * w)
                thr = torch.topk(a.flatten(), k).values[-1]
            else:
                thr = taus[i] * a.max()
            masks[i, ch] = (a >= thr).float()
    if channels != 'per_channel':
        masks = masks[:, 0]
    return 1 - masks if reverse else masks
