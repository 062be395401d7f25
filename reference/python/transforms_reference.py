"""The data-augmentation side of Folk.Lab's parity tests: torchvision's own transforms, called on tensors.

Every function takes a 3xHxW float32 image in [0,1] and returns a tensor. They call torchvision's functional
API (tensor path) of Debian's python3-torchvision (0.14); torchvision is imported on first use, so that the other
parity tests run where it is not installed.

Luma: torchvision's tensor path computes grayscale as 0.2989 R + 0.587 G + 0.114 B, while PIL (which MFM's and
DINO's pipelines use, and Folk.Lab follows) computes the ITU-R 601-2 luma 0.299 R + 0.587 G + 0.114 B. With
`luma='itu'` the functions below run torchvision's code with only that formula replaced (`_itu_luma`); with
`luma='torchvision'` they run it unchanged.
"""
import contextlib

import torch


def _tv():
    try:
        import torchvision.transforms.functional as F
        from torchvision.transforms import InterpolationMode
    except ImportError as e:  # pragma: no cover - reported to the C# side
        raise RuntimeError('torchvision is not installed (Debian: sudo apt-get install -y python3-torchvision)') from e
    return F, InterpolationMode


def _functional_tensor():
    try:
        import torchvision.transforms.functional_tensor as ft  # torchvision <= 0.14
    except ImportError:
        import torchvision.transforms._functional_tensor as ft  # later releases
    return ft


@contextlib.contextmanager
def _luma(kind):
    """Runs torchvision with the ITU-R 601-2 luma (kind 'itu') or unchanged (kind 'torchvision')."""
    if kind == 'torchvision':
        yield
        return
    if kind != 'itu':
        raise ValueError(f'luma must be itu or torchvision; got {kind!r}')
    ft = _functional_tensor()
    original = ft.rgb_to_grayscale

    def _itu_luma(img, num_output_channels=1):
        r, g, b = img.unbind(dim=-3)
        luma = (0.299 * r + 0.587 * g + 0.114 * b).to(img.dtype).unsqueeze(dim=-3)
        return luma.expand(img.shape) if num_output_channels == 3 else luma

    ft.rgb_to_grayscale = _itu_luma
    try:
        yield
    finally:
        ft.rgb_to_grayscale = original


def resize(img, size, antialias):
    """F.resize, bicubic, then clamped to [0,1] as Folk.Lab clamps (torchvision clamps only uint8)."""
    F, Mode = _tv()
    return F.resize(img, size, interpolation=Mode.BICUBIC, antialias=antialias).clamp(0, 1)


def resized_crop(img, top, left, height, width, size, antialias):
    """F.resized_crop of a given box, bicubic, clamped: RandomResizedCrop once its box is drawn."""
    F, Mode = _tv()
    return F.resized_crop(img, top, left, height, width, [size, size], interpolation=Mode.BICUBIC,
                          antialias=antialias).clamp(0, 1)


def center_crop(img, size):
    F, _ = _tv()
    return F.center_crop(img, size)


def normalize(img, mean, std):
    F, _ = _tv()
    return F.normalize(img, mean, std)


def grayscale(img, luma):
    F, _ = _tv()
    with _luma(luma):
        return F.rgb_to_grayscale(img, num_output_channels=3).contiguous()


def adjust(img, kind, factor, luma):
    """One of ColorJitter's adjustments with a fixed factor."""
    F, _ = _tv()
    fn = {'brightness': F.adjust_brightness, 'contrast': F.adjust_contrast,
          'saturation': F.adjust_saturation, 'hue': F.adjust_hue}[kind]
    with _luma(luma):
        return fn(img, factor)


def solarize(img, threshold):
    F, _ = _tv()
    return F.solarize(img, threshold)


def gaussian_blur(img, kernel_size, sigma):
    F, _ = _tv()
    return F.gaussian_blur(img, [kernel_size, kernel_size], [sigma, sigma])


def random_resized_crop_fallback(height, width, scale, ratio):
    """The box RandomResizedCrop.get_params returns when no attempt can fit (deterministic then)."""
    _tv()
    import torchvision.transforms as T
    img = torch.zeros(3, height, width)
    return torch.tensor(T.RandomResizedCrop.get_params(img, scale, ratio), dtype=torch.int64)
