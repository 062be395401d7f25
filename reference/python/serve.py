"""Answers Folk.Lab's parity tests: one JSON request per line on stdin, one line on stdout.

Request: {"op": name, "inputs": "in.npz", "output": "out.npz", "params": {...}}
Reply:   "ok" once out.npz is written, or "error: <message>".
Run with Debian's python3-torch: /usr/bin/python3 reference/python/serve.py
"""
import importlib
import json
import sys
import traceback

import numpy as np
import torch

import mfm_reference as ref
import models_reference as models
import pth_reference
import transforms_reference as tref


def run(op, x, p):
    if op == 'echo':  # numpy round trip of every array, dtypes unchanged
        return {k: torch.from_numpy(np.array(v)) for k, v in x.items()}
    if op.startswith('imagenet_c/'):  # imagenet_c/<family>/<name>: imagenet_c_<family>.py restates ImageNet-C's code
        family, name = op[len('imagenet_c/'):].split('/', 1)
        outputs = importlib.import_module('imagenet_c_' + family).run(name, x, p)
        return {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in outputs.items()}
    if op.startswith('pth/'):  # pth/<name>: .pth files written and read by torch (pth_reference.py)
        return pth_reference.run(op[len('pth/'):], x, p)
    t = {k: torch.from_numpy(v) for k, v in x.items()}
    if op == 'radial_mask':
        return {'mask': ref.radial_mask(p['size'], p['r1'], p.get('r2'))}
    if op == 'filter':
        return {'out': ref.frequency_transform(t['images'], t['mask'], p.get('clamp', True))}
    if op == 'spectrum':
        s = ref.centered_spectrum(t['images'], p.get('norm', 'backward'))
        return {'real': s.real.contiguous(), 'imag': s.imag.contiguous()}
    if op == 'inverse':
        s = torch.complex(t['real'], t['imag'])
        out = torch.fft.ifft2(torch.fft.ifftshift(s, dim=(-2, -1)), norm=p.get('norm', 'backward'))
        return {'real': out.real.contiguous(), 'imag': out.imag.contiguous()}
    if op == 'radial_profile':
        return {'power': ref.radial_profile(t['images'])}
    if op == 'band_energy':
        return {'fractions': ref.band_energy(t['images'], p['edges'])}
    if op in ('loss_map', 'loss_masked', 'loss_mean'):
        pred = t['pred'].clone().requires_grad_(True)
        options = p.get('options', {})
        if op == 'loss_map':
            return {'map': ref.loss_map(pred, t['target'], **options).detach()}
        loss = (ref.masked_loss(pred, t['target'], t['mask'], **options) if op == 'loss_masked'
                else ref.mean_loss(pred, t['target'], **options))
        loss.backward()
        return {'loss': loss.detach().reshape(()), 'grad': pred.grad}
    if op == 'com':
        return {'mask': ref.com_mask(t['images'], p['taus'], p.get('threshold', 'keep_fraction'),
                                     p.get('channels', 'shared'), p.get('reverse', False))}
    if op == 'sr':
        return {'out': ref.super_resolution(t['images'], p.get('factor', 8))}
    if op == 'blur':
        return {'out': ref.gaussian_blur(t['images'], p['kernel_sizes'], p.get('sigma', 5.0))}
    if op == 'vit':
        state = {k[len('state.'):]: v for k, v in x.items() if k.startswith('state.')}
        model = models.vit_from_state(state, p['image_size'], p['patch_size'], p['heads'])
        with torch.no_grad():
            features, attentions = model(t['images'])
        return {'features': features, 'attention_last': attentions[-1]}
    if op == 'resnet50':
        state = {k[len('state.'):]: v for k, v in x.items() if k.startswith('state.')}
        with torch.no_grad():
            return {'features': models.resnet50_features(state, t['images'])}
    if op == 'adamw':  # torch.optim.AdamW with two groups, three steps with given gradients and rates
        w = torch.nn.Parameter(t['w'].clone())
        b = torch.nn.Parameter(t['b'].clone())
        optimizer = torch.optim.AdamW([{'params': [w], 'weight_decay': p['weight_decay']},
                                       {'params': [b], 'weight_decay': 0.0}],
                                      lr=1.0, betas=tuple(p['betas']), eps=p['eps'])
        for i, rate in enumerate(p['rates']):
            optimizer.param_groups[0]['lr'] = rate
            optimizer.param_groups[1]['lr'] = rate * p['b_scale']
            w.grad = t[f'gw{i}'].clone()
            b.grad = t[f'gb{i}'].clone()
            optimizer.step()
        return {'w': w.detach(), 'b': b.detach()}
    if op == 'lamb':  # timm's Lamb (timm/optim/lamb.py, defaults) in float64: timm is not packaged, so written from it
        w, b = t['w'].double().clone(), t['b'].double().clone()
        state = {'w': [torch.zeros_like(w), torch.zeros_like(w)], 'b': [torch.zeros_like(b), torch.zeros_like(b)]}
        beta1, beta2 = p['betas']
        for i, rate in enumerate(p['rates']):
            grads = {'w': t[f'gw{i}'].double(), 'b': t[f'gb{i}'].double()}
            global_norm = torch.linalg.vector_norm(torch.stack([g.norm() for g in grads.values()]))
            clip = max(1.0, float(global_norm) / p['max_grad_norm'])
            step = i + 1
            for name, param, wd, lr in (('w', w, p['weight_decay'], rate), ('b', b, 0.0, rate * p['b_scale'])):
                g = grads[name] / clip
                m, v = state[name]
                m.mul_(beta1).add_(g, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                update = (m / (1 - beta1 ** step)) / ((v.sqrt() / (1 - beta2 ** step) ** 0.5) + p['eps'])
                if wd != 0:
                    update = update + wd * param
                    w_norm, u_norm = param.norm(), update.norm()
                    if w_norm > 0 and u_norm > 0:
                        update = update * (w_norm / u_norm)
                param.add_(update, alpha=-lr)
        return {'w': w.float(), 'b': b.float()}
    if op == 'bce':  # binary cross-entropy with logits, targets binarised at a threshold as timm's BinaryCrossEntropy
        targets = t['targets']
        if p['threshold'] is not None:
            targets = (targets > p['threshold']).to(targets.dtype)
        return {'loss': torch.nn.functional.binary_cross_entropy_with_logits(t['logits'], targets).reshape(1)}
    if op == 'tv_resize':
        return {'out': tref.resize(t['image'], p['size'], p['antialias'])}
    if op == 'tv_resized_crop':
        return {'out': tref.resized_crop(t['image'], p['top'], p['left'], p['height'], p['width'], p['size'],
                                         p['antialias'])}
    if op == 'tv_center_crop':
        return {'out': tref.center_crop(t['image'], p['size'])}
    if op == 'tv_normalize':
        return {'out': tref.normalize(t['image'], p['mean'], p['std'])}
    if op == 'tv_grayscale':
        return {'out': tref.grayscale(t['image'], p['luma'])}
    if op == 'tv_adjust':
        return {'out': tref.adjust(t['image'], p['kind'], p['factor'], p['luma'])}
    if op == 'tv_solarize':
        return {'out': tref.solarize(t['image'], p['threshold'])}
    if op == 'tv_gaussian_blur':
        return {'out': tref.gaussian_blur(t['image'], p['kernel_size'], p['sigma'])}
    if op == 'tv_randaugment_op':
        return {'out': tref.randaugment_op(t['image'], p['op'], p.get('arg', 0), p.get('fill', [0, 0, 0]),
                                           p.get('interpolation', 'bicubic'), p.get('path', 'pil'))}
    if op == 'soft_target_ce':  # timm SoftTargetCrossEntropy, written out
        x = t['logits'].clone().requires_grad_(True)
        loss = torch.sum(-t['target'] * torch.nn.functional.log_softmax(x, dim=-1), dim=-1).mean()
        loss.backward()
        return {'loss': loss.detach().reshape(()), 'grad': x.grad}
    if op == 'label_smoothing_ce':  # torch's own label smoothing (torch >= 1.10)
        x = t['logits'].clone().requires_grad_(True)
        loss = torch.nn.functional.cross_entropy(x, t['labels'], label_smoothing=p['smoothing'])
        loss.backward()
        return {'loss': loss.detach().reshape(()), 'grad': x.grad}
    if op == 'tv_rrc_fallback':
        return {'box': tref.random_resized_crop_fallback(p['height'], p['width'], p['scale'], p['ratio'])}
    raise ValueError(f'unknown op {op!r}')


def main():
    torch.set_num_threads(1)
    print('ready', flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            with np.load(request['inputs']) as z:
                inputs = {k: z[k] for k in z.files}
            outputs = run(request['op'], inputs, request.get('params', {}))
            np.savez(request['output'], **{k: v.detach().numpy() for k, v in outputs.items()})
            print('ok', flush=True)
        except Exception as e:  # report and keep serving
            print('error: ' + repr(e).replace('\n', ' ') + ' | ' +
                  traceback.format_exc().replace('\n', ' | '), flush=True)


if __name__ == '__main__':
    main()
