"""The data-augmentation side of Folk.Lab's parity tests: torchvision's own transforms, called on tensors.

Every function takes a 3xHxW float32 image in [0,1] and returns a tensor. They call torchvision's functional
API of Debian's python3-torchvision (0.14): the tensor path, except RandAugment's operations at the end, which run on
PIL images as timm does. torchvision is imported on first use, so that the other parity tests run where it is not
installed.

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


# RandAugment's operations (timm 0.4.12 timm/data/auto_augment.py runs them on 8-bit PIL images). The image is
# turned into the PIL image whose ToTensor is it (it lies on the 8-bit grid), the operation runs through
# torchvision's functional API on that PIL image (torchvision's PIL path, which calls the same PIL functions timm
# calls), and the result comes back through ToTensor. With path='tensor' the same operation runs through
# torchvision's tensor path on the uint8 tensor instead (pixel operations only: the tensor path of the geometric
# operations has no bicubic filter in torchvision 0.14); with path='float', on the float image without any rounding,
# to measure how far that path lies from timm's.

def _to_pil(img):
    from PIL import Image
    levels = (img * 255).round().clamp(0, 255).to(torch.uint8)
    return Image.fromarray(levels.permute(1, 2, 0).contiguous().numpy(), 'RGB')


def _to_uint8(img):
    return (img * 255).round().clamp(0, 255).to(torch.uint8)


def randaugment_op(img, op, arg, fill, interpolation, path):
    """One operation with a fixed argument. Shears are given as timm's factor f (source x = x + f·y) and passed to
    F.affine as the angle atan(f) about the corner (0, 0); translations as timm's pixels (source x = x + p), passed
    as translate -p; rotations in degrees, counter-clockwise, about the centre."""
    F, Mode = _tv()
    import math
    if path == 'float':  # the tensor path on the float image itself: no 8-bit rounding anywhere
        mode = {'bicubic': Mode.BICUBIC, 'bilinear': Mode.BILINEAR}[interpolation]
        return {
            'color': lambda: F.adjust_saturation(img, arg),
            'contrast': lambda: F.adjust_contrast(img, arg),
            'brightness': lambda: F.adjust_brightness(img, arg),
            'sharpness': lambda: F.adjust_sharpness(img, arg),
            'rotate': lambda: F.rotate(img, arg, interpolation=mode, fill=[v / 255 for v in fill]),
        }[op]()
    if path == 'tensor':
        x = _to_uint8(img)
        out = {
            'autocontrast': lambda: F.autocontrast(x),
            'equalize': lambda: F.equalize(x),
            'invert': lambda: F.invert(x),
            'posterize': lambda: F.posterize(x, int(arg)),
            'solarize': lambda: F.solarize(x, arg),
        }[op]()
        return out.float() / 255
    if path != 'pil':
        raise ValueError(f'path must be pil or tensor; got {path!r}')
    pil = _to_pil(img)
    mode = {'bicubic': Mode.BICUBIC, 'bilinear': Mode.BILINEAR}[interpolation]
    geometric = dict(interpolation=mode, fill=list(fill))
    corner = dict(angle=0.0, scale=1.0, center=[0, 0], **geometric)
    out = {
        'autocontrast': lambda: F.autocontrast(pil),
        'equalize': lambda: F.equalize(pil),
        'invert': lambda: F.invert(pil),
        'posterize': lambda: F.posterize(pil, int(arg)),
        'solarize': lambda: F.solarize(pil, arg),
        'color': lambda: F.adjust_saturation(pil, arg),
        'contrast': lambda: F.adjust_contrast(pil, arg),
        'brightness': lambda: F.adjust_brightness(pil, arg),
        'sharpness': lambda: F.adjust_sharpness(pil, arg),
        'rotate': lambda: F.rotate(pil, arg, **geometric),
        'shear_x': lambda: F.affine(pil, translate=[0, 0], shear=[math.degrees(math.atan(arg)), 0.0], **corner),
        'shear_y': lambda: F.affine(pil, translate=[0, 0], shear=[0.0, math.degrees(math.atan(arg))], **corner),
        'translate_x': lambda: F.affine(pil, translate=[-arg, 0], shear=[0.0, 0.0], **corner),
        'translate_y': lambda: F.affine(pil, translate=[0, -arg], shear=[0.0, 0.0], **corner),
    }[op]()
    return F.to_tensor(out)
