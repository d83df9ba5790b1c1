"""A grayscale PNG writer and reader (8-bit, no interlace, filter 0), with zlib only, for the model scripts."""
import struct
import zlib

import numpy as np


def _chunk(kind, data):
    body = kind + data
    return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body) & 0xFFFFFFFF)


def write_gray(path, pixels):
    """Writes a (height, width) uint8 array as an 8-bit grayscale PNG."""
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    h, w = pixels.shape
    raw = b''.join(b'\x00' + pixels[y].tobytes() for y in range(h))
    png = b'\x89PNG\r\n\x1a\n' + _chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
    png += _chunk(b'IDAT', zlib.compress(raw, 9)) + _chunk(b'IEND', b'')
    with open(path, 'wb') as f:
        f.write(png)


def atlas(images, columns):
    """(n, s, s) uint8 tiles -> one (rows * s, columns * s) image, row by row, no gaps."""
    n, s, _ = images.shape
    rows = (n + columns - 1) // columns
    out = np.zeros((rows * s, columns * s), dtype=np.uint8)
    for i in range(n):
        r, c = divmod(i, columns)
        out[r * s:(r + 1) * s, c * s:(c + 1) * s] = images[i]
    return out
