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


class CfgNode(dict):
    """Pickles as yacs' CfgNode does (a dict subclass with attributes: NEWOBJ, SETITEMS, BUILD), the object MFM's
    save_checkpoint (utils.py) stores under 'config' beside the weights."""
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__['_frozen'] = True


def perturbed(module, seed):
    """module with every parameter and BatchNorm statistic moved off its initial value, as training would."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for t in module.parameters():
            t.add_(torch.randn(t.shape, generator=g) * 0.05)
        for m in module.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)
    return module.eval()


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
        torch.save({'model': {'w': torch.zeros(2), 'b': payloads['system']}}, os.path.join(folder, 'inside.pth'))
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
    if name == 'official_vit':  # MFM's checkpoint of a trained-looking ViT, as save_checkpoint writes it; its features
        import models_reference
        encoder = perturbed(models_reference.VisionTransformer(p['image_size'], p['patch_size'], 192, p['depth'], 3), 5)
        model = collections.OrderedDict(('encoder.' + k, v) for k, v in encoder.state_dict().items())
        decoder = torch.nn.Sequential(torch.nn.Conv2d(192, p['patch_size'] ** 2 * 3, 1), torch.nn.PixelShuffle(p['patch_size']))
        model.update(('decoder.' + k, v) for k, v in decoder.state_dict().items())
        config = CfgNode(MODEL=CfgNode(TYPE='vit', NAME='mfm_pretrain'), DATA=CfgNode(IMG_SIZE=p['image_size']))
        torch.save({'model': model, 'optimizer': {'state': {}}, 'lr_scheduler': {'last_epoch': 299}, 'max_accuracy': 0.0,
                    'epoch': 299, 'config': config}, os.path.join(folder, 'mfm-checkpoint.pth'))
        torch.save({'model': model}, os.path.join(folder, 'mfm-weights.pth'))
        with torch.no_grad():
            features, _ = encoder(torch.from_numpy(x['images']))
        return {'features': features}
    if name == 'official_resnet50':  # MFM's ResNet-50 (timm names under encoder., no fc) and torchvision's; features
        import torchvision
        import models_reference
        state = perturbed(torchvision.models.resnet50(), 6).state_dict()
        trunk = collections.OrderedDict((k, v) for k, v in state.items() if not k.startswith('fc.'))
        torch.save({'model': collections.OrderedDict(('encoder.' + k, v) for k, v in trunk.items()), 'epoch': 299},
                   os.path.join(folder, 'mfm-resnet50.pth'))
        torch.save(state, os.path.join(folder, 'torchvision-resnet50.pth'))
        with torch.no_grad():
            return {'features': models_reference.resnet50_features(trunk, torch.from_numpy(x['images']))}
    if name == 'interpolate_pos_embed':  # MFM's models/utils.py interpolate_pos_embed, restated
        pos = torch.from_numpy(x['pos_embed'])
        size, new = int((pos.shape[1] - 1) ** 0.5), p['grid']
        tokens = pos[:, 1:].reshape(-1, size, size, pos.shape[2]).permute(0, 3, 1, 2)
        tokens = torch.nn.functional.interpolate(tokens, size=(new, new), mode='bicubic', align_corners=False)
        return {'pos_embed': torch.cat((pos[:, :1], tokens.permute(0, 2, 3, 1).flatten(1, 2)), dim=1)}
    if name == 'torchvision_resnet50':
        import torchvision
        torch.save(torchvision.models.resnet50().state_dict(), os.path.join(folder, 'resnet50.pth'))
        return {}
    raise ValueError(f'unknown pth op {name!r}')
