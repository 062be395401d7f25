"""The library filters ImageNet-C's corruptions are built from, called as ImageNet-C calls them, for Folk.Lab's tests.

Each op takes B x C x H x W arrays and applies the library function to every image (and channel where the function
is two-dimensional), so that Folk.Lab's batched restatements can be compared with the libraries themselves:
  pad              numpy.pad(np.arange(n), width, mode)                        -> 'index' (int64)
  gaussian_filter  scipy.ndimage.gaussian_filter over the two spatial axes      -> 'out' (the input's dtype)
  map_coordinates  scipy.ndimage.map_coordinates(order=1, mode='reflect')      -> 'out' (float32)
  affine_matrix    cv2.getAffineTransform(src, dst[b])                          -> 'matrices' (B x 2 x 3 float64)
  warp_affine      cv2.warpAffine(INTER_LINEAR, BORDER_REFLECT_101)             -> 'out' (float32)
  box_resize       PIL Image.resize(BOX) on mode 'F' images, channel by channel -> 'out' (float32)
Entry point: run(name, arrays, params), dispatched by reference/python/serve.py as op imagenet_c/filters/<name>.
The libraries are imported inside the ops, so an op needs only its own library (pad needs numpy alone).
"""
import numpy as np


def pad(arrays, params):
    return {'index': np.pad(np.arange(int(params['n'])), int(params['width']), mode=params['mode']).astype(np.int64)}


def gaussian_filter(arrays, params):
    from scipy.ndimage import gaussian_filter as scipy_gaussian_filter
    x = arrays['images']
    sigma = float(params['sigma'])
    out = scipy_gaussian_filter(x, sigma=(0, 0, sigma, sigma), mode=params['mode'],
                                truncate=float(params.get('truncate', 4.0)))
    return {'out': out.astype(x.dtype)}


def map_coordinates(arrays, params):
    from scipy.ndimage import map_coordinates as scipy_map_coordinates
    images, rows, columns = arrays['images'], arrays['rows'], arrays['columns']
    out = np.empty(images.shape[:2] + rows.shape[1:], dtype=images.dtype)
    for b in range(images.shape[0]):
        for c in range(images.shape[1]):
            out[b, c] = scipy_map_coordinates(images[b, c], [rows[b], columns[b]], order=1, mode='reflect')
    return {'out': out}


def affine_matrix(arrays, params):
    import cv2
    source = arrays['source'].astype(np.float32)
    return {'matrices': np.stack([cv2.getAffineTransform(source, d.astype(np.float32)) for d in arrays['destination']])}


def warp_affine(arrays, params):
    import cv2
    images, matrices = arrays['images'], arrays['matrices']
    out = []
    for b in range(images.shape[0]):
        hwc = np.ascontiguousarray(images[b].transpose(1, 2, 0))
        warped = cv2.warpAffine(hwc, matrices[b], (hwc.shape[1], hwc.shape[0]), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REFLECT_101)
        out.append(warped.reshape(hwc.shape).transpose(2, 0, 1))
    return {'out': np.stack(out).astype(np.float32)}


def box_resize(arrays, params):
    from PIL import Image
    images = arrays['images'].astype(np.float32)
    BOX = getattr(Image, 'Resampling', Image).BOX
    size = (int(params['width']), int(params['height']))
    out = np.empty(images.shape[:2] + (size[1], size[0]), dtype=np.float32)
    for b in range(images.shape[0]):
        for c in range(images.shape[1]):
            out[b, c] = np.asarray(Image.fromarray(images[b, c], mode='F').resize(size, BOX), dtype=np.float32)
    return {'out': out}


def run(name, arrays, params):
    ops = {'pad': pad, 'gaussian_filter': gaussian_filter, 'map_coordinates': map_coordinates,
           'affine_matrix': affine_matrix, 'warp_affine': warp_affine, 'box_resize': box_resize}
    if name not in ops:
        raise ValueError(f'imagenet_c_filters has no op {name!r}')
    return ops[name](arrays, params)
