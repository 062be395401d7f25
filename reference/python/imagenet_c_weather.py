"""ImageNet-C's weather family (snow, frost, fog, brightness), restated for Folk.Lab's parity tests with the libraries
the original uses.

Source of the definitions: hendrycks/robustness ImageNet-C/create_c/make_imagenet_c.py (224x224) and
make_cifar_c.py (CIFAR-10-C, 32x32): snow, frost, fog, brightness and the helper plasma_fractal. Written from those
definitions, not copied.

Differences from the scripts, all at the boundary: images arrive as Folk.Lab's B x 3 x H x W float32 in [0, 1] and
are used as the scripts use np.array(pil) / 255. (float64; float32 where the script asks for float32); results go
back in [0, 1] without the final * 255; the random draws come from the request instead of numpy's global generator:
the snow layer's standard normals and streak angle, the plasma fractal's uniforms in [0, 1), and the frost picture
(the original reads one of its frost photographs; Folk.Lab sends the texture it blends).
Called by serve.py as op 'imagenet_c/weather/<name>'.
"""
import cv2
import numpy as np
import skimage as sk
import skimage.color

from imagenet_c_blur import clipped_zoom, magick_motion_blur

# per-severity constants, (ImageNet-C 224, CIFAR-10-C 32)
SNOW = ([(0.1, 0.3, 3, 0.5, 10, 4, 0.8), (0.2, 0.3, 2, 0.5, 12, 4, 0.7), (0.55, 0.3, 4, 0.9, 12, 8, 0.7),
         (0.55, 0.3, 4.5, 0.85, 12, 8, 0.65), (0.55, 0.3, 2.5, 0.85, 12, 12, 0.55)],
        [(0.1, 0.2, 1, 0.6, 8, 3, 0.95), (0.1, 0.2, 1, 0.5, 10, 4, 0.9), (0.15, 0.3, 1.75, 0.55, 10, 4, 0.9),
         (0.25, 0.3, 2.25, 0.6, 12, 6, 0.85), (0.3, 0.3, 1.25, 0.65, 14, 12, 0.8)])
FROST = ([(1, 0.4), (0.8, 0.6), (0.7, 0.7), (0.65, 0.7), (0.6, 0.75)],
         [(1, 0.2), (1, 0.3), (0.9, 0.4), (0.85, 0.4), (0.75, 0.45)])
FOG = ([(1.5, 2), (2, 2), (2.5, 1.7), (2.5, 1.5), (3, 1.4)],
       [(.2, 3), (.5, 3), (0.75, 2.5), (1, 2), (1.5, 1.75)])
FOG_MAPSIZE = (256, 32)
BRIGHTNESS = ([.1, .2, .3, .4, .5], [.05, .1, .15, .2, .3])


def constants(table, side, severity):
    return table[0 if side == 224 else 1][severity - 1]


class Uniforms:
    """Stands in for np.random.uniform(low, high, shape): the next array of u in [0, 1), mapped as numpy maps it."""

    def __init__(self, draws):
        self.draws = list(draws)

    def uniform(self, low, high, shape):
        u = self.draws.pop(0)
        assert u.shape == tuple(shape), (u.shape, shape)
        return low + (high - low) * u


def plasma_fractal(mapsize, wibbledecay, random):
    """Diamond-square height map in [0, 1], float64, as make_imagenet_c.py's plasma_fractal."""
    assert mapsize & (mapsize - 1) == 0
    maparray = np.empty((mapsize, mapsize), dtype=np.float64)
    maparray[0, 0] = 0
    stepsize = mapsize
    wibble = 100

    def wibbledmean(array):
        return array / 4 + wibble * random.uniform(-wibble, wibble, array.shape)

    def fillsquares():
        cornerref = maparray[0:mapsize:stepsize, 0:mapsize:stepsize]
        squareaccum = cornerref + np.roll(cornerref, shift=-1, axis=0)
        squareaccum += np.roll(squareaccum, shift=-1, axis=1)
        maparray[stepsize // 2:mapsize:stepsize, stepsize // 2:mapsize:stepsize] = wibbledmean(squareaccum)

    def filldiamonds():
        size = maparray.shape[0]
        drgrid = maparray[stepsize // 2:size:stepsize, stepsize // 2:size:stepsize]
        ulgrid = maparray[0:size:stepsize, 0:size:stepsize]
        ltsum = (drgrid + np.roll(drgrid, 1, axis=0)) + (ulgrid + np.roll(ulgrid, -1, axis=1))
        maparray[0:size:stepsize, stepsize // 2:size:stepsize] = wibbledmean(ltsum)
        ttsum = (drgrid + np.roll(drgrid, 1, axis=1)) + (ulgrid + np.roll(ulgrid, -1, axis=0))
        maparray[stepsize // 2:size:stepsize, 0:size:stepsize] = wibbledmean(ttsum)

    while stepsize >= 2:
        fillsquares()
        filldiamonds()
        stepsize //= 2
        wibble /= wibbledecay

    maparray -= maparray.min()
    return maparray / maparray.max()


def fog(x, severity, plasma):
    strength, _ = constants(FOG, x.shape[0], severity)
    side = x.shape[0]
    max_val = x.max()
    x = x + strength * plasma[:side, :side][..., np.newaxis]
    return np.clip(x * max_val / (max_val + strength), 0, 1)


def fog_plasma(side, severity):
    """The original's draw when the request brings none: plasma_fractal(mapsize, wibbledecay=c[1]) with numpy's own
    generator."""
    _, decay = constants(FOG, side, severity)
    return plasma_fractal(FOG_MAPSIZE[0 if side == 224 else 1], decay, np.random)


def frost(x, severity, picture):
    """picture: the H x W x 3 frost texture in [0, 1] standing in for the photograph crop (0..255 in the original)."""
    image_weight, frost_weight = constants(FROST, x.shape[0], severity)
    return np.clip(image_weight * (x * 255) + frost_weight * (picture * 255), 0, 255) / 255.


def brightness(x, severity):
    shift = constants(BRIGHTNESS, x.shape[0], severity)
    x = sk.color.rgb2hsv(x)
    x[:, :, 2] = np.clip(x[:, :, 2] + shift, 0, 1)
    x = sk.color.hsv2rgb(x)
    return np.clip(x, 0, 1)


def snow(x, severity, normals, angle):
    side = x.shape[0]
    c = constants(SNOW, side, severity)
    x = x.astype(np.float32)
    snow_layer = c[0] + c[1] * normals                                        # np.random.normal(loc, scale)
    snow_layer = clipped_zoom(snow_layer[..., np.newaxis], c[2])
    snow_layer[snow_layer < c[3]] = 0
    pixels = (np.clip(snow_layer.squeeze(), 0, 1) * 255).astype(np.uint8)
    snow_layer = magick_motion_blur(pixels, c[4], c[5], angle) / 255.    # via the script's PIL 'L' image and PNG
    snow_layer = snow_layer[..., np.newaxis]
    x = c[6] * x + (1 - c[6]) * np.maximum(x, cv2.cvtColor(x, cv2.COLOR_RGB2GRAY).reshape(side, side, 1) * 1.5 + 0.5)
    return np.clip(x + snow_layer + np.rot90(snow_layer, k=2), 0, 1)


def run(name, arrays, params):
    images = arrays['images'].astype(np.float64).transpose(0, 2, 3, 1)      # B x H x W x 3
    if name == 'plasma_fractal':                                              # uniforms u0, u1, ... each B x m x m
        count = len([k for k in arrays if k.startswith('u')])
        draws = [arrays[f'u{i}'] for i in range(count)]
        maps = [plasma_fractal(params['mapsize'], params['decay'], Uniforms([d[b] for d in draws]))
                for b in range(draws[0].shape[0])]
        return {'out': np.stack(maps)}
    if name == 'rgb2hsv':
        return {'out': np.stack([sk.color.rgb2hsv(x) for x in images]).transpose(0, 3, 1, 2)}
    severity = params['severity']
    out = []
    for b, x in enumerate(images):
        if name == 'brightness':
            out.append(brightness(x, severity))
        elif name == 'fog':
            out.append(fog(x, severity, arrays['plasma'][b] if 'plasma' in arrays else fog_plasma(x.shape[0], severity)))
        elif name == 'frost':
            # the original reads one of six frost photographs from disk and crops it at random; without them the
            # blend is timed on a uniform stand-in, which leaves out the photograph's decoding
            picture = (arrays['frost'][b].astype(np.float64).transpose(1, 2, 0) if 'frost' in arrays
                       else np.random.uniform(0, 1, x.shape))
            out.append(frost(x, severity, picture))
        elif name == 'snow':
            normals = arrays['normals'][b] if 'normals' in arrays else np.random.normal(size=x.shape[:2])
            angle = float(arrays['angles'][b]) if 'angles' in arrays else np.random.uniform(-135, -45)
            out.append(snow(x, severity, normals, angle))
        else:
            raise ValueError(f'unknown weather op {name!r}')
    return {'out': np.stack(out).transpose(0, 3, 1, 2).astype(np.float64)}
