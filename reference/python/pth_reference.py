"""Fixtures for Folk.Lab's .pth tests: files written by torch.save, hostile pickles written (never loaded) with
pickle and zipfile, and torch.load(weights_only=True) of Folk.Lab's own files.

Every op returns, per tensor name n: 'bytes.n' (its values' raw bytes in row-major order, as uint8), 'shape.n',
'stride.n', 'offset.n' and 'dtype.n' (an index into DTYPES).
"""
import collections
import io
import os
import pickle
import subprocess
import zipfile

import torch

DTYPES = [torch.float32, torch.float16, torch.bfloat16, torch.float64, torch.int64, torch.int32, torch.int16,
          torch.int8, torch.uint8, torch.bool]


def describe(tensors):
    out = {}
    for name, t in tensors.items():
        out['bytes.' + name] = t.detach().contiguous().reshape(-1).view(torch.uint8).clone()
        out['shape.' + name] = torch.tensor(list(t.shape), dtype=torch.int64)
        out['stride.' + name] = torch.tensor(list(t.stride()), dtype=torch.int64)
        out['offset.' + name] = torch.tensor(t.storage_offset(), dtype=torch.int64)
        out['dtype.' + name] = torch.tensor(DTYPES.index(t.dtype), dtype=torch.int64)
    return out


def state_dict():
    g = torch.Generator().manual_seed(0)
    sd = torch.nn.Linear(3, 2).state_dict()  # an OrderedDict with _metadata, as modules give
    base = torch.randn(6, 8, generator=g)
    sd.update({
        'f32': torch.randn(3, 4, generator=g),
        'f16': torch.randn(5, generator=g).half(),
        'bf16': torch.randn(2, 3, generator=g).bfloat16(),
        'i64': torch.arange(-3, 9, dtype=torch.int64).reshape(3, 4),
        'flag': torch.tensor([True, False, True, True]),
        'base': base,
        'base_t': base.t(),                  # a transpose of base's storage
        'base_slice': base[2:5, 1:7:2],      # an offset, strided view of the same storage
        'scalar': torch.tensor(2.5),         # 0-d
    })
    return sd


class Reduces:
    """Pickles as a call of `function(*args)`; pickling it runs nothing."""
    def __init__(self, function, args):
        self.function, self.args = function, args

    def __reduce__(self):
        return self.function, self.args


class BadView:
    """Pickles as a tensor whose offset reaches past its 4-element storage."""
    def __reduce__(self):
        return torch._utils._rebuild_tensor_v2, (torch.zeros(4).storage(), 10, (4,), (1,), False,
                                                 collections.OrderedDict())


def run(name, x, p):
    folder = p.get('folder')
    if name == 'save':  # the same state dict three ways; returns it as written
        sd = state_dict()
        torch.save(sd, os.path.join(folder, 'zip.pth'))
        torch.save(sd, os.path.join(folder, 'legacy.pth'), _use_new_zipfile_serialization=False)
        optimizer = {'state': {}, 'param_groups': [{'lr': 0.1, 'betas': (0.9, 0.95), 'params': [0, 1]}]}
        checkpoint = {'model': sd, 'optimizer': optimizer, 'epoch': 3}
        torch.save(checkpoint, os.path.join(folder, 'nested.pth'))
        torch.save(checkpoint, os.path.join(folder, 'nested-legacy.pth'), _use_new_zipfile_serialization=False)
        return describe(sd)
    if name == 'load':  # what torch.load(weights_only=True) makes of a file
        return describe(torch.load(p['path'], weights_only=True))
    if name == 'hostile':
        marker = p['marker']
        weights = {'w': torch.zeros(2)}
        payloads = {
            'system': Reduces(os.system, ('touch ' + marker,)),
            'eval': Reduces(eval, ("__import__('os').system('touch %s')" % marker,)),
            'popen': Reduces(subprocess.Popen, (['touch', marker],)),
        }
        for key, payload in payloads.items():  # inside a checkpoint, as a poisoned download would be; protocol 2
            # writes Python 2 names (posix.system), protocol 4 the Python 3 ones through STACK_GLOBAL
            torch.save({'model': weights, 'extra': payload}, os.path.join(folder, key + '.pth'),
                       pickle_protocol=2 if key == 'system' else 4)
        with open(os.path.join(folder, 'system-raw.pth'), 'wb') as f:  # a bare pickle, protocol 4 (STACK_GLOBAL)
            f.write(pickle.dumps(payloads['system'], protocol=4))
        buffer = io.BytesIO()
        torch.save(state_dict(), buffer)
        with open(os.path.join(folder, 'truncated.pth'), 'wb') as f:
            f.write(buffer.getvalue()[:len(buffer.getvalue()) // 2])
        torch.save({'w': BadView()}, os.path.join(folder, 'offset.pth'))
        return {}
    if name == 'mfm_vit':  # the official MFM training checkpoint's layout (models/mfm.py), ViT-T sized
        import models_reference
        encoder = models_reference.VisionTransformer(p['image_size'], 16, 192, 12, 3)
        model = collections.OrderedDict(('encoder.' + k, v) for k, v in encoder.state_dict().items())
        decoder = torch.nn.Sequential(torch.nn.Conv2d(192, 16 ** 2 * 3, 1), torch.nn.PixelShuffle(16))
        model.update(('decoder.' + k, v) for k, v in decoder.state_dict().items())
        torch.save({'model': model, 'optimizer': {'state': {}}, 'epoch': 299}, os.path.join(folder, 'mfm.pth'))
        return {}
    if name == 'torchvision_resnet50':
        import torchvision
        torch.save(torchvision.models.resnet50().state_dict(), os.path.join(folder, 'resnet50.pth'))
        return {}
    raise ValueError(f'unknown pth op {name!r}')
