"""The digit dataset the demo's network is trained on: the 5x7 glyph font of cli/src/digitFont.ts drawn as
strokes of random width under random affine maps, anti-aliased, 16 x 16, grayscale.

How one image is drawn:
  - the font's ink cells are the nodes of a stroke graph: two ink cells are joined when they touch along an
    edge, or diagonally when neither of the two cells they share a corner with is ink (so a diagonal
    staircase becomes one slanted stroke, and an L corner is not filled in); an ink cell with no neighbour
    is a dot;
  - cell (column c, row r) sits at ((c - 2) * 2, (r - 3) * 2) pixels from the glyph's centre, so the glyph
    spans 8 x 12 pixels between stroke centres before the affine map;
  - the affine map: scale x in [0.80, 1.10], scale y in [0.85, 1.10], shear (italic) in [-0.30, 0.30],
    rotation in [-12, 12] degrees, then a shift of [-1.2, 1.2] pixels in x and y from the image centre 7.5;
  - stroke width in [0.9, 2.3] pixels; a pixel's ink is clip(w / 2 - d + 0.5, 0, 1), d the distance from the
    pixel centre to the nearest stroke segment (a one-pixel linear anti-aliasing ramp);
  - the ink is quantized to a byte (round(255 * ink)); the network sees byte / 127.5 - 1, in [-1, 1].
All random numbers come from numpy's PCG64 seeded by the caller, drawn in a fixed order, so a seed gives the
same bytes on every machine with IEEE doubles (numpy's own sin/cos are the only libm calls).

Image i of a dataset is digit i % 10 (balanced, no label file needed).
"""
import os
import re

import numpy as np

SIZE = 16

# The font's rows, '#' for ink, read from the command line's own font (cli/src/digitFont.ts), so that
# the network learns exactly the glyphs the CLI draws: ten lines of seven quoted 5-character rows.
FONT_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'cli', 'src', 'digitFont.ts')


def _font():
    with open(FONT_SOURCE, encoding='utf8') as f:
        text = f.read()
    rows = [re.findall(r"'([.#]{5})'", line) for line in text.splitlines()]
    font = [r for r in rows if len(r) == 7]
    if len(font) != 10:
        raise SystemExit(f'{FONT_SOURCE}: expected the rows of 10 digits, found {len(font)}')
    return font


FONT = _font()


def segments(digit):
    """The stroke segments of a digit, as an (n, 4) array of (x0, y0, x1, y1) in glyph pixels."""
    rows = FONT[digit]
    ink = {(c, r) for r, row in enumerate(rows) for c, ch in enumerate(row) if ch == '#'}
    segs = []
    for (c, r) in sorted(ink):
        joined = False
        for dc, dr in ((1, 0), (0, 1), (-1, 0), (0, -1)):
            if (c + dc, r + dr) in ink:
                joined = True
                if (dc, dr) in ((1, 0), (0, 1)):
                    segs.append((c, r, c + dc, r + dr))
        for dc, dr in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            if (c + dc, r + dr) in ink and (c + dc, r) not in ink and (c, r + dr) not in ink:
                joined = True
                if dc == 1:
                    segs.append((c, r, c + dc, r + dr))
        if not joined:
            segs.append((c, r, c, r))
    a = np.array(segs, dtype=np.float64)
    return np.stack([(a[:, 0] - 2) * 2, (a[:, 1] - 3) * 2, (a[:, 2] - 2) * 2, (a[:, 3] - 3) * 2], axis=1)


SEGMENTS = [segments(d) for d in range(10)]
_YS, _XS = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)


def draw(digit, rng):
    """One image as SIZE x SIZE bytes, drawing its parameters from rng in a fixed order."""
    sx = rng.uniform(0.80, 1.10)
    sy = rng.uniform(0.85, 1.10)
    shear = rng.uniform(-0.30, 0.30)
    angle = np.deg2rad(rng.uniform(-12.0, 12.0))
    tx = rng.uniform(-1.2, 1.2)
    ty = rng.uniform(-1.2, 1.2)
    width = rng.uniform(0.9, 2.3)
    # glyph (x, y) -> image: rotate(shear(scale(p))) + centre + shift; y grows downwards in both
    m = np.array([[sx, -shear * sy], [0.0, sy]])
    c, s = np.cos(angle), np.sin(angle)
    m = np.array([[c, -s], [s, c]]) @ m
    seg = SEGMENTS[digit]
    p0 = seg[:, 0:2] @ m.T + (7.5 + tx, 7.5 + ty)
    p1 = seg[:, 2:4] @ m.T + (7.5 + tx, 7.5 + ty)
    px = _XS[..., None]
    py = _YS[..., None]
    dx = p1[:, 0] - p0[:, 0]
    dy = p1[:, 1] - p0[:, 1]
    length2 = dx * dx + dy * dy
    with np.errstate(invalid='ignore', divide='ignore'):
        u = ((px - p0[:, 0]) * dx + (py - p0[:, 1]) * dy) / length2
    u = np.where(length2 > 0, np.clip(u, 0.0, 1.0), 0.0)
    qx = p0[:, 0] + u * dx - px
    qy = p0[:, 1] + u * dy - py
    d = np.sqrt(qx * qx + qy * qy).min(axis=-1)
    ink = np.clip(width / 2 - d + 0.5, 0.0, 1.0)
    return np.rint(ink * 255).astype(np.uint8)


def dataset(n, seed):
    """n images (n, SIZE, SIZE) uint8, image i of digit i % 10, from numpy's PCG64 with the given seed."""
    rng = np.random.Generator(np.random.PCG64(seed))
    return np.stack([draw(i % 10, rng) for i in range(n)])


def to_model(images):
    """Bytes (n, 16, 16) -> float32 (n, 1, 16, 16) in [-1, 1], as the network sees them."""
    return (images.astype(np.float32) / np.float32(127.5) - np.float32(1.0))[:, None, :, :]
