"""MFM's encoders written from the official code (Jiahao000/MFM models/vision_transformer.py: BEiT-style ViT;
timm-style ResNet-50 via torchvision, whose resnet50 has the same layout and state_dict keys), for parity tests of
Folk.Lab's models."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3, bias=False)
        self.q_bias = nn.Parameter(torch.zeros(dim))
        self.v_bias = nn.Parameter(torch.zeros(dim))
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        bias = torch.cat((self.q_bias, torch.zeros_like(self.v_bias), self.v_bias))
        qkv = F.linear(x, self.qkv.weight, bias).reshape(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = ((q * (c // self.heads) ** -0.5) @ k.transpose(-2, -1)).softmax(-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, -1)), attn


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential()
        self.mlp.fc1 = nn.Linear(dim, dim * 4)
        self.mlp.act = nn.GELU()
        self.mlp.fc2 = nn.Linear(dim * 4, dim)

    def forward(self, x):
        a, weights = self.attn(self.norm1(x))
        x = x + a
        return x + self.mlp(self.norm2(x)), weights


class VisionTransformer(nn.Module):
    def __init__(self, image_size, patch_size, dim, depth, heads):
        super().__init__()
        self.patch_size = patch_size
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, dim, patch_size, patch_size)
        grid = image_size // patch_size
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, grid * grid + 1, dim))
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, x):
        """MFM's VisionTransformerForMFM.forward: final-norm tokens without cls, as B x D x h x w; and attention."""
        b = x.shape[0]
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        x = torch.cat((self.cls_token.expand(b, -1, -1), x), 1) + self.pos_embed
        attentions = []
        for blk in self.blocks:
            x, w = blk(x)
            attentions.append(w)
        x = self.norm(x)[:, 1:]
        g = int(math.sqrt(x.shape[1]))
        return x.permute(0, 2, 1).reshape(b, -1, g, g), attentions


def vit_from_state(state, image_size, patch_size, heads):
    dim = state['cls_token'].shape[-1]
    depth = len({k.split('.')[1] for k in state if k.startswith('blocks.')})
    model = VisionTransformer(image_size, patch_size, dim, depth, heads)
    model.load_state_dict({k: torch.as_tensor(v) for k, v in state.items()}, strict=True)
    return model.eval()


def resnet50_features(state, images):
    import torchvision  # only this reference needs it
    model = torchvision.models.resnet50()
    model.fc = nn.Identity()
    model.load_state_dict({k: torch.as_tensor(v) for k, v in state.items()}, strict=True)
    model.eval()
    x = model.maxpool(model.relu(model.bn1(model.conv1(images))))
    return model.layer4(model.layer3(model.layer2(model.layer1(x))))
