"""The demo's two networks, in torch: a small UNet epsilon predictor for 16 x 16 grayscale digits and a small
classifier of the same images (the demo's honest measure of which digits its samples are).

UNet (the diffusers-style layout at toy size):
  - timestep t (int64, one per batch item) -> sinusoidal features (64: 32 sines, 32 cosines of t * 10000^-k/32)
    -> Linear(64, 128) -> SiLU -> Linear(128, 128): the time embedding, added per residual block through a
    Linear to its channels;
  - channels (C1, C2, C3) = (16, 32, 64) at 16x16, 8x8 and 4x4: conv 1->C1, res block C1; down (stride-2
    conv) to 8x8, res block C2; down to 4x4, res block C3 (the middle); up (nearest x2, then conv to C2) to
    8x8, concatenate the 8x8 skip, res block 2C2->C2; up to 16x16 (conv to C1), concatenate the 16x16 skip,
    res block 2C1->C1; GroupNorm, SiLU, conv C1->1;
  - residual block: GroupNorm(8), SiLU, conv3x3, + time, GroupNorm(8), SiLU, conv3x3, + (1x1 conv) skip.
Its ONNX export takes `sample` float32 [batch, 1, 16, 16] and `timestep` int64 [batch] and returns
`noise_pred` float32 [batch, 1, 16, 16] (opset 14, batch dynamic).

Classifier: conv 1->16, SiLU, maxpool, conv 16->32, SiLU, maxpool, conv 32->64, SiLU, global mean, Linear(64, 10);
ONNX input `image` float32 [batch, 1, 16, 16] in [-1, 1], output `logits` [batch, 10].
"""
import math

import torch
from torch import nn
import torch.nn.functional as F

TIME_FEATURES = 64
TIME_DIM = 128


def timestep_features(t):
    half = TIME_FEATURES // 2
    freqs = torch.exp(torch.arange(half, dtype=torch.float32) * (-math.log(10000.0) / half))
    angles = t.to(torch.float32)[:, None] * freqs[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.norm1 = nn.GroupNorm(8, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time = nn.Linear(TIME_DIM, cout)
        self.norm2 = nn.GroupNorm(8, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time(emb)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return h + self.skip(x)


class UNet(nn.Module):
    def __init__(self, channels=(16, 32, 64)):
        super().__init__()
        c1, c2, c3 = channels
        self.embed = nn.Sequential(nn.Linear(TIME_FEATURES, TIME_DIM), nn.SiLU(), nn.Linear(TIME_DIM, TIME_DIM))
        self.inp = nn.Conv2d(1, c1, 3, padding=1)
        self.r16 = ResBlock(c1, c1)
        self.down8 = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.r8 = ResBlock(c2, c2)
        self.down4 = nn.Conv2d(c2, c3, 3, stride=2, padding=1)
        self.mid = ResBlock(c3, c3)
        self.up8 = nn.Conv2d(c3, c2, 3, padding=1)
        self.u8 = ResBlock(2 * c2, c2)
        self.up16 = nn.Conv2d(c2, c1, 3, padding=1)
        self.u16 = ResBlock(2 * c1, c1)
        self.norm = nn.GroupNorm(8, c1)
        self.out = nn.Conv2d(c1, 1, 3, padding=1)

    def forward(self, sample, timestep):
        emb = self.embed(timestep_features(timestep))
        h16 = self.r16(self.inp(sample), emb)
        h8 = self.r8(self.down8(h16), emb)
        h = self.mid(self.down4(h8), emb)
        h = self.up8(F.interpolate(h, scale_factor=2.0, mode='nearest'))
        h = self.u8(torch.cat([h, h8], dim=1), emb)
        h = self.up16(F.interpolate(h, scale_factor=2.0, mode='nearest'))
        h = self.u16(torch.cat([h, h16], dim=1), emb)
        return self.out(F.silu(self.norm(h)))


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.c3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, 10)

    def forward(self, image):
        h = F.max_pool2d(F.silu(self.c1(image)), 2)
        h = F.max_pool2d(F.silu(self.c2(h)), 2)
        h = F.silu(self.c3(h)).mean(dim=(2, 3))
        return self.fc(h)
