# Differential cases for test/unit/simulate/izerDifferential.test.ts: runs izer's own per-layer simulation
# functions (izer/simulate.py, unmodified, imported from AI8X_SYNTHESIS_PATH) on random single layers, in the order
# of the create_net simulation loop (split, element-wise, reshape, pooling, element-wise, flatten, operator),
# and writes the layer settings, input and izer's output as JSON.
# Usage: python izerLayerCases.py <seed> <count> <out.json>
import sys, json, random
import numpy as np
from izer import tornadocnn as tc, state, op
from izer.simulate import conv2d_layer, convtranspose2d_layer, conv1d_layer, passthrough_layer, eltwise_layer, pooling_layer
tc.dev = tc.get_device(87)
state.output_layer = [False] * 200
state.verbose = False
state.verbose_all = False
state.debug = False
state.in_sequences = [None] * 200

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
N = int(sys.argv[2]) if len(sys.argv) > 2 else 300
ELT = {'add': op.ELTWISE_ADD, 'sub': op.ELTWISE_SUB, 'or': op.ELTWISE_OR, 'xor': op.ELTWISE_XOR}
ACT = {None: None, 'relu': op.ACT_RELU, 'abs': op.ACT_ABS}

def case():
    kind = rng.choice(['conv2d', 'conv2d', 'linear', 'convtranspose2d', 'conv1d', 'conv1d', 'none'])
    operands = 1
    elt = None
    if rng.random() < 0.35:
        elt = rng.choice(list(ELT))
        operands = rng.randint(2, 4)
    pool_first = True if operands == 1 else rng.random() < 0.5
    c = rng.randint(1, 6)
    if kind == 'conv1d':
        L = rng.randint(6, 30)
        in_dim = [L, 1]
        shape = (c * operands, L)
    else:
        H, W = rng.randint(2, 9), rng.randint(2, 9)
        in_dim = [H, W]
        shape = (c * operands, H, W)
    data = np.array([rng.randint(-128, 127) for _ in range(int(np.prod(shape)))], dtype=np.int64).reshape(shape)
    # pooling
    pool = [1, 1]; stride = [1, 1]; dil = [1, 1]; avg = False
    if rng.random() < 0.5:
        p = rng.randint(1, 3); s = rng.randint(1, 3)
        d = 1
        if kind == 'conv1d':
            d = rng.randint(1, 3) if p > 1 else 1
            pool = [p, 1]; stride = [s, 1]; dil = [d, 1]
        else:
            if p == 2 and rng.random() < 0.3: d = 2
            pool = [p, p]; stride = [s, s]; dil = [d, d]
        avg = rng.random() < 0.5
    if kind == 'conv1d' and operands > 1:
        pool_first = False
        if pool[0] == 1: pool = [2, 1]; stride = [2, 1]
    if operands > 1 and not pool_first and pool[0] == 1 and pool[1] == 1:
        pool_first = True
    rounding = rng.random() < 0.5
    bits = rng.choice([8, 8, 4, 2, 1, -1])
    act = rng.choice([None, 'relu', 'abs'])
    width = 32 if rng.random() < 0.2 else 8
    if kind == 'none':
        act = None; width = 8
    shift = rng.randint(-3, 4) + (8 - abs(bits))
    return dict(kind=kind, operands=operands, elt=elt, pool_first=pool_first, c=c, in_dim=in_dim, data=data,
                pool=pool, stride=stride, dil=dil, avg=avg, rounding=rounding, bits=bits, act=act, width=width, shift=shift)

def weights(n, bits):
    if bits == -1: return np.array([rng.choice([-1, 1]) for _ in range(n)], dtype=np.int64)
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return np.array([rng.randint(lo, hi) for _ in range(n)], dtype=np.int64)

out = []
while len(out) < N:
    k = case()
    ll = 0
    data = k['data']
    operands = k['operands']
    try:
        if operands > 1:
            data = np.array(np.split(data, operands, axis=0))
        else:
            data = np.expand_dims(data, 0)
        if operands > 1 and not k['pool_first']:
            data = np.expand_dims(eltwise_layer(ELT[k['elt']], ll, data[0].shape, 0, data, output_width=8, operands=operands)[0], 0)
        in_dim = k['in_dim']
        if k['kind'] == 'conv1d':
            data = data.reshape(data.shape[0], -1, in_dim[0])
        else:
            data = data.reshape(data.shape[0], -1, in_dim[0], in_dim[1])
        opname = {'conv2d': op.CONV2D, 'linear': op.LINEAR, 'convtranspose2d': op.CONVTRANSPOSE2D, 'conv1d': op.CONV1D, 'none': op.NONE}[k['kind']]
        pooled, psize = pooling_layer(ll, data[0].shape, k['pool'], k['stride'], k['avg'], data, dilation=k['dil'],
                                      operation=opname, operands=data.shape[0], rounding=k['rounding'])
        if any(s < 1 for s in psize[1:]): continue
        if operands > 1 and k['pool_first']:
            o_width = k['width'] if opname == op.NONE else 8
            x = eltwise_layer(ELT[k['elt']], ll, pooled[0].shape, 0, pooled, output_width=o_width, operands=operands)[0]
        else:
            x = np.squeeze(pooled, axis=0)
        cin = x.shape[0]
        flatten = False
        bias = None
        if rng.random() < 0.6:
            bias = np.array([rng.randint(-128, 127) for _ in range(64)], dtype=np.int64)
        groups = 1
        if k['kind'] in ('conv2d', 'linear'):
            if k['kind'] == 'linear':
                ks = [1, 1]; pad = [0, 0]
                flatten = rng.random() < 0.5
            else:
                ks = rng.choice([[1, 1], [3, 3]])
                pad = [rng.randint(0, 2), rng.randint(0, 2)] if ks == [3, 3] else [0, 0]
                if rng.random() < 0.2: groups = cin
            cout = cin if groups > 1 else rng.randint(1, 5)
            if flatten:
                cin = cin * x.shape[1] * x.shape[2]
                x = x.reshape(cin, 1, 1)
            w = weights(cout * (cin // groups) * ks[0] * ks[1], k['bits'])
            kern = w.reshape(cout, cin // groups, ks[0], ks[1])
            y, osize = conv2d_layer(ll, x.shape, ks, k['shift'], cout, pad, [1, 1], [1, 1], ACT[k['act']], kern,
                                    bias[:cout] if bias is not None else None, x, output_width=k['width'], groups=groups)
            params = dict(kernel=ks, pad=pad, stride=[1, 1], dilation=[1, 1], outputPad=[0, 0])
        elif k['kind'] == 'convtranspose2d':
            ks = [3, 3]; p = rng.randint(0, 2); pad = [p, p]
            cout = rng.randint(1, 4)
            w = weights(cout * cin * 9, k['bits'])
            kern = w.reshape(cout, cin, 3, 3)
            y, osize = convtranspose2d_layer(ll, x.shape, ks, k['shift'], cout, pad, [1, 1], [2, 2], [1, 1], ACT[k['act']], kern,
                                             bias[:cout] if bias is not None else None, x, output_width=k['width'])
            params = dict(kernel=ks, pad=pad, stride=[2, 2], dilation=[1, 1], outputPad=[1, 1])
        elif k['kind'] == 'conv1d':
            kk = rng.randint(1, 9)
            d = rng.randint(1, 6) if kk > 1 and rng.random() < 0.5 else 1
            pad = rng.randint(0, min(2, kk - 1))
            if rng.random() < 0.2: groups = cin
            cout = cin if groups > 1 else rng.randint(1, 5)
            if x.shape[1] + 2 * pad - d * (kk - 1) < 1: continue
            w = weights(cout * (cin // groups) * kk, k['bits'])
            kern = w.reshape(cout, cin // groups, kk)
            y, osize = conv1d_layer(ll, x.shape, kk, k['shift'], cout, pad, d, 1, ACT[k['act']], kern,
                                    bias[:cout] if bias is not None else None, x, output_width=k['width'], groups=groups)
            params = dict(kernel=[kk, 1], pad=[pad, 0], stride=[1, 1], dilation=[d, 1], outputPad=[0, 0])
        else:
            cout = cin
            w = None
            y, osize = passthrough_layer(ll, x.shape, x)
            params = dict(kernel=[1, 1], pad=[0, 0], stride=[1, 1], dilation=[1, 1], outputPad=[0, 0])
        if y.size == 0 or any(d < 1 for d in y.shape):
            continue
        if k['kind'] == 'conv1d':
            y = y.reshape(y.shape[0], y.shape[1], 1)
        elif y.ndim == 2:
            y = y.reshape(y.shape[0], y.shape[1], 1)
    except (ValueError, AssertionError, IndexError) as e:
        continue
    if bias is not None and k['kind'] == 'none': bias = None
    out.append(dict(
        kind=k['kind'], operands=operands, eltwise=k['elt'], poolFirst=k['pool_first'],
        inChannels=int(x.shape[0]) if not flatten else int(pooled.shape[1]), inDim=in_dim,
        pooledDim=[int(psize[1]), int(psize[2]) if len(psize) > 2 else 1],
        pool=k['pool'], poolStride=k['stride'], poolDilation=k['dil'], poolAverage=k['avg'], rounding=k['rounding'],
        flatten=flatten, groups=groups, outChannels=int(y.shape[0]), outDim=[int(y.shape[1]), int(y.shape[2])],
        shift=k['shift'], width=k['width'], activation=k['act'], quantization=k['bits'],
        weights=None if w is None else [int(v) for v in w], bias=None if bias is None else [int(v) for v in bias[:cout]],
        input=[int(v) for v in k['data'].flatten()], inputShape=list(k['data'].shape), output=[int(v) for v in y.flatten()],
        **params))
with open(sys.argv[3], 'w', encoding='utf-8') as f:
    json.dump(out, f)
