#!/usr/bin/python3
"""Writes the fuzz seed corpus in testdata/fuzz/ (run from embed/).

Each seed is one of the malformed or awkward inputs readers must handle:
truncated binary, absurd header counts, dimension mismatch, CRLF, long
words, invalid UTF-8, NaN/Inf, empty input, missing final newline.
"""
import os
import struct

import numpy as np
import io


def golit(b):
    out = []
    for c in b:
        if c == 0x22:
            out.append('\\"')
        elif c == 0x5c:
            out.append('\\\\')
        elif 0x20 <= c < 0x7f:
            out.append(chr(c))
        else:
            out.append('\\x%02x' % c)
    return '[]byte("%s")' % ''.join(out)


def write(target, name, *args):
    d = os.path.join('testdata', 'fuzz', target)
    os.makedirs(d, exist_ok=True)
    lines = ['go test fuzz v1']
    for a in args:
        lines.append(golit(a) if isinstance(a, bytes) else "byte('\\x%02x')" % a)
    with open(os.path.join(d, name), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def f32(*vals):
    return struct.pack('<%df' % len(vals), *vals)


text = {
    'valid': b'3 2\nthe 0.1 -0.2\nof 1e-3 4\nand 5 6\n',
    'crlf': b'2 2\r\na 1 2\r\nb 3 4\r\n',
    'no-final-newline': b'2 2\na 1 2\nb 3 4',
    'fasttext-trailing-space': b'2 3\na 1 2 3 \nb 4 5 6 \n',
    'header-1e12-words': b'1000000000000 300\na ' + b'0.5 ' * 300 + b'\n',
    'header-dim-1e9': b'1 1000000000\na 1 2 3\n',
    'dim-mismatch': b'3 3\na 1 2 3\nb 1 2\nc 1 2 3 4\n',
    'long-word': b'1 1\n' + b'x' * 1500 + b' 1\n',
    'invalid-utf8': b'2 1\n\xff\xfeab 1\nok 2\n',
    'nan': b'2 2\na 1 2\nb nan 1\n',
    'inf': b'2 2\na 1 2\nb 1 -inf\n',
    'overflow': b'1 2\na 1 1e40\n',
    'empty': b'',
    'blank-lines': b'\n\n2 1\n\na 1\n\nb 2\n\n',
    'truncated': b'5 2\na 1 2\nb 3 4\n',
    'duplicate': b'2 1\na 1\na 2\n',
    'extra-rows': b'1 1\na 1\nb 2\n',
    'spaced-word': b'2 2\na 1 2\n. . . 3 4\n',
}
glove = {
    'valid': b'the 0.1 -0.2 0.3\nof 1 2 3\n',
    'crlf': b'a 1 2\r\nb 3 4\r\n',
    'no-final-newline': b'a 1 2\nb 3 4',
    'dim-mismatch': b'a 1 2 3\nb 1 2\n',
    'long-word': b'x' * 1500 + b' 1\n',
    'invalid-utf8': b'\xc3\x28 1\n',
    'nan': b'a NaN\n',
    'inf': b'a +Inf\n',
    'empty': b'',
    'spaced-word': b'a 1 2\n. . . 3 4\n',
    'word-only': b'lonely\n',
}
binary = {
    'valid': b'2 2\n' + b'a ' + f32(1, 2) + b'\n' + b'b ' + f32(3, 4) + b'\n',
    'no-newlines': b'2 2\n' + b'a ' + f32(1, 2) + b'b ' + f32(3, 4),
    'newline-before-word': b'2 2\n' + b'a ' + f32(1, 2) + b'\nb ' + f32(3, 4) + b'\n',
    'truncated-vector': b'2 2\n' + b'a ' + f32(1, 2) + b'\n' + b'b ' + f32(3)[:3],
    'truncated-word': b'2 2\n' + b'a ' + f32(1, 2) + b'\nbb',
    'missing-rows': b'4 2\n' + b'a ' + f32(1, 2) + b'\n',
    'header-1e12-words': b'1000000000000 300\n' + b'a ' + f32(*range(300)) + b'\n',
    'header-dim-1e9': b'1 1000000000\n' + b'a ' + f32(1, 2, 3),
    'nan': b'1 2\n' + b'a ' + f32(1, float('nan')) + b'\n',
    'inf': b'1 2\n' + b'a ' + f32(float('-inf'), 1) + b'\n',
    'long-word': b'1 1\n' + b'y' * 1500 + b' ' + f32(1),
    'invalid-utf8': b'1 1\n\xff\xfe ' + f32(1) + b'\n',
    'empty': b'',
    'crlf-header': b'1 1\r\n' + b'a ' + f32(1) + b'\n',
    'trailing-garbage': b'1 1\n' + b'a ' + f32(1) + b'\nextra',
    'duplicate': b'2 1\n' + b'a ' + f32(1) + b'\na ' + f32(2) + b'\n',
    'no-header-newline': b'1 1',
}


def npy(arr, **kw):
    b = io.BytesIO()
    np.save(b, arr, **kw)
    return b.getvalue()


m = np.arange(6, dtype=np.float32).reshape(3, 2)
vocab3 = b'a\nb\nc\n'
hdr_1e12 = npy(m)[:10]  # placeholder, rebuilt below


def raw_npy(header, data=b'', major=1):
    h = header.encode() + b'\n'
    if major == 1:
        return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(h)) + h + data
    return b'\x93NUMPY\x02\x00' + struct.pack('<I', len(h)) + h + data


npys = {
    'valid-f4': (npy(m), vocab3),
    'valid-f8': (npy(m.astype(np.float64)), vocab3),
    'fortran': (npy(np.asfortranarray(m)), vocab3),
    'big-endian': (npy(m.astype('>f4')), vocab3),
    'counts': (npy(m), b'a\t10\nb\t5\nc\t1\n'),
    'truncated': (npy(m)[:-5], vocab3),
    'shape-1e12': (raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 300), }", b'\0' * 64), vocab3),
    'dim-1e9': (raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1000000000), }", b'\0' * 64), vocab3),
    'huge-header-len': (b'\x93NUMPY\x02\x00\xff\xff\xff\xff{', vocab3),
    'header-no-newline': (b'\x93NUMPY\x01\x00\x10\x00{\'descr\': \'<f4\'', vocab3),
    'nan': (npy(np.array([[1, np.nan]], dtype=np.float32)), b'a\n'),
    'short-vocab': (npy(m), b'a\nb\n'),
    'long-vocab': (npy(m), b'a\nb\nc\nd\n'),
    'dup-vocab': (npy(m), b'a\nb\na\n'),
    'int-matrix': (npy(np.arange(6, dtype=np.int32).reshape(3, 2)), vocab3),
    '1d': (npy(np.arange(3, dtype=np.float32)), vocab3),
    'empty': (b'', b''),
    'crlf-vocab': (npy(m), b'a\r\nb\r\nc'),
}

for name, b in text.items():
    write('FuzzReadText', name, b, 0)
    write('FuzzReadAuto', 'text-' + name, b, 0)
write('FuzzReadText', 'valid-limit', text['valid'], 2)
for name, b in glove.items():
    write('FuzzReadGloVe', name, b, 0)
    write('FuzzReadAuto', 'glove-' + name, b, 0)
for name, b in binary.items():
    write('FuzzReadBinary', name, b, 0)
    write('FuzzReadAuto', 'binary-' + name, b, 0)
write('FuzzReadBinary', 'valid-limit', binary['valid'], 1)
for name, (mat, voc) in npys.items():
    write('FuzzReadNPY', name, mat, voc, 0)
write('FuzzReadNPY', 'valid-limit', npys['valid-f4'][0], vocab3, 2)
write('FuzzReadNPY', 'fortran-limit', npys['fortran'][0], vocab3, 2)
