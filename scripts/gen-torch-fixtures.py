#!/usr/bin/env python3
"""Generates the PyTorch reference fixtures for the CNN core's tests (test/fixtures/torch/*.json).

Run with Debian's python3-torch:  /usr/bin/python3 scripts/gen-torch-fixtures.py
Every case is seeded, small, and computed in float32. For an op with output `out` the scalar loss is
sum(out * dout) for a fixed random `dout`, so the stored gradients are exactly what our backward computes when
given that `dout`. Tensors are stored flat (NCHW / PyTorch layouts) with their shapes.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'torch')


def flat(t):
    """A tensor as a flat list of float32 values rounded to 9 significant digits (exact for float32)."""
    return [float('%.9g' % v) for v in t.detach().reshape(-1).tolist()]


def same_pad(size, k, s):
    """TF / ONNX SAME_UPPER: (before, after, out)."""
    out = math.ceil(size / s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2, out


def conv_case(name, n, c, h, w, oc, kh, kw, sh, sw, padding):
    x = torch.randn(n, c, h, w, requires_grad=True)
    wt = torch.randn(oc, c, kh, kw, requires_grad=True)
    b = torch.randn(oc, requires_grad=True)
    if padding == 'same':
        top, bottom, _ = same_pad(h, kh, sh)
        left, right, _ = same_pad(w, kw, sw)
        xp = F.pad(x, (left, right, top, bottom))
        pad_top, pad_left = top, left
    else:
        p = 0 if padding == 'valid' else padding
        xp = F.pad(x, (p, p, p, p))
        pad_top, pad_left = p, p
    out = F.conv2d(xp, wt, b, stride=(sh, sw))
    dout = torch.randn_like(out)
    (out * dout).sum().backward()
    return {
        'name': name,
        'shape': {
            'batch': n, 'inChannels': c, 'inHeight': h, 'inWidth': w, 'outChannels': oc,
            'kernelHeight': kh, 'kernelWidth': kw, 'strideH': sh, 'strideW': sw,
            'padTop': pad_top, 'padLeft': pad_left, 'outHeight': out.shape[2], 'outWidth': out.shape[3],
        },
        'padding': padding,
        'inp': flat(x), 'weight': flat(wt), 'bias': flat(b), 'out': flat(out), 'dout': flat(dout),
        'dinp': flat(x.grad), 'dweight': flat(wt.grad), 'dbias': flat(b.grad),
    }


def pool_case(name, kind, n, c, h, w, ph, pw, sh, sw):
    # A random permutation of distinct values: no ties, so the argmax is unambiguous.
    x = (torch.randperm(n * c * h * w).float() / 10).reshape(n, c, h, w).requires_grad_(True)
    pool = F.max_pool2d if kind == 'max' else F.avg_pool2d
    out = pool(x, (ph, pw), (sh, sw))
    dout = torch.randn_like(out)
    (out * dout).sum().backward()
    return {
        'name': name, 'kind': kind,
        'shape': {
            'batch': n, 'channels': c, 'inHeight': h, 'inWidth': w, 'poolHeight': ph, 'poolWidth': pw,
            'strideH': sh, 'strideW': sw, 'outHeight': out.shape[2], 'outWidth': out.shape[3],
        },
        'inp': flat(x), 'out': flat(out), 'dout': flat(dout), 'dinp': flat(x.grad),
    }


def global_avg_pool_case(name, n, c, h, w):
    x = torch.randn(n, c, h, w, requires_grad=True)
    out = F.adaptive_avg_pool2d(x, 1)
    dout = torch.randn_like(out)
    (out * dout).sum().backward()
    return {
        'name': name, 'shape': {'batch': n, 'channels': c, 'height': h, 'width': w},
        'inp': flat(x), 'out': flat(out), 'dout': flat(dout), 'dinp': flat(x.grad),
    }


def dense_case(name, n, i, o):
    x = torch.randn(n, i, requires_grad=True)
    wt = torch.randn(o, i, requires_grad=True)
    b = torch.randn(o, requires_grad=True)
    out = F.linear(x, wt, b)
    dout = torch.randn_like(out)
    (out * dout).sum().backward()
    return {
        'name': name, 'shape': {'batch': n, 'inFeatures': i, 'outFeatures': o},
        'inp': flat(x), 'weight': flat(wt), 'bias': flat(b), 'out': flat(out), 'dout': flat(dout),
        'dinp': flat(x.grad), 'dweight': flat(wt.grad), 'dbias': flat(b.grad),
    }


def softmax_ce_case(name, n, k, scale):
    logits = (torch.randn(n, k) * scale).requires_grad_(True)
    labels = torch.randint(0, k, (n,))
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    return {
        'name': name, 'batch': n, 'classes': k, 'logits': flat(logits), 'labels': labels.tolist(),
        'loss': loss.item(), 'probs': flat(F.softmax(logits, dim=1)), 'dlogits': flat(logits.grad),
    }


def batchnorm_case(name, n, c, h, w, realistic=False, eps=1e-5, momentum=0.1):
    """realistic: per-channel means and spreads like a conv's or dense layer's outputs (a mean far from 0 next to a
    small spread, spreads from 0.05 to 4), and running statistics that lag them, as after some training steps."""
    shape = (n, c, h, w) if h else (n, c)
    view = (1, c, 1, 1) if h else (1, c)
    if realistic:
        mu = torch.empty(c).uniform_(-3, 3)
        sd = torch.exp(torch.empty(c).uniform_(math.log(0.05), math.log(4)))
        x = (torch.randn(*shape) * sd.reshape(view) + mu.reshape(view)).requires_grad_(True)
    else:
        x = (torch.randn(*shape) * 2 + 1).requires_grad_(True)
    bn = (torch.nn.BatchNorm2d if h else torch.nn.BatchNorm1d)(c, eps=eps, momentum=momentum)
    with torch.no_grad():
        if realistic:
            bn.weight.copy_(torch.empty(c).uniform_(0.5, 1.5))
            bn.bias.copy_(torch.randn(c) * 0.3)
            bn.running_mean.copy_(mu + torch.randn(c) * sd * 0.3)
            bn.running_var.copy_(sd * sd * torch.empty(c).uniform_(0.6, 1.6))
        else:
            bn.weight.copy_(torch.randn(c))
            bn.bias.copy_(torch.randn(c))
            bn.running_mean.copy_(torch.randn(c) * 0.1)
            bn.running_var.copy_(torch.rand(c) + 0.5)
    rm0, rv0 = bn.running_mean.clone(), bn.running_var.clone()
    bn.train()
    out = bn(x)
    dout = torch.randn_like(out)
    (out * dout).sum().backward()
    bn.eval()
    x_eval = torch.randn(*shape) * sd.reshape(view) + mu.reshape(view) if realistic else torch.randn(*shape)
    out_eval = bn(x_eval)
    return {
        'name': name,
        'shape': {'batch': n, 'channels': c, 'spatial': (h * w) if h else 1, 'epsilon': bn.eps, 'momentum': bn.momentum},
        'height': h or 1, 'width': w or 1,
        'inp': flat(x), 'gamma': flat(bn.weight), 'beta': flat(bn.bias),
        'runningMeanBefore': flat(rm0), 'runningVarBefore': flat(rv0),
        'out': flat(out), 'dout': flat(dout), 'dinp': flat(x.grad), 'dgamma': flat(bn.weight.grad),
        'dbeta': flat(bn.bias.grad), 'runningMeanAfter': flat(bn.running_mean), 'runningVarAfter': flat(bn.running_var),
        'evalInp': flat(x_eval), 'evalOut': flat(out_eval),
    }


def build_torch_net(spec):
    """The torch equivalent of our ModelSpec, plus its parameters in our flat layout order."""
    c, h, w = spec['input']['channels'], spec['input']['height'], spec['input']['width']
    mods, params = [], []
    for layer in spec['layers']:
        t = layer['type']
        if t == 'conv2d':
            k = layer['kernelSize']
            kh, kw = (k, k) if isinstance(k, int) else k
            s = layer.get('stride', 1)
            sh, sw = (s, s) if isinstance(s, int) else s
            pad = layer.get('padding', 'valid')
            if pad == 'same':
                top, bottom, oh = same_pad(h, kh, sh)
                left, right, ow = same_pad(w, kw, sw)
            else:
                p = 0 if pad == 'valid' else pad
                top = bottom = left = right = p
                oh, ow = (h + 2 * p - kh) // sh + 1, (w + 2 * p - kw) // sw + 1
            conv = torch.nn.Conv2d(c, layer['filters'], (kh, kw), (sh, sw))
            mods += [torch.nn.ZeroPad2d((left, right, top, bottom)), conv]
            params += [conv.weight, conv.bias]
            c, h, w = layer['filters'], oh, ow
        elif t == 'relu':
            mods.append(torch.nn.ReLU())
        elif t == 'leakyRelu':
            mods.append(torch.nn.LeakyReLU(layer.get('alpha', 0.01)))
        elif t in ('maxPool2d', 'avgPool2d'):
            size = layer['size']
            ph, pw = (size, size) if isinstance(size, int) else size
            s = layer.get('stride', size)
            sh, sw = (s, s) if isinstance(s, int) else s
            mods.append((torch.nn.MaxPool2d if t == 'maxPool2d' else torch.nn.AvgPool2d)((ph, pw), (sh, sw)))
            h, w = (h - ph) // sh + 1, (w - pw) // sw + 1
        elif t == 'globalAvgPool':
            mods += [torch.nn.AdaptiveAvgPool2d(1)]
            h = w = 1
        elif t == 'batchNorm':
            after_dense = bool(mods) and isinstance(mods[-1], torch.nn.Linear)
            bn = torch.nn.BatchNorm1d(c) if after_dense else torch.nn.BatchNorm2d(c)
            mods.append(bn)
            params += [bn.weight, bn.bias]
        elif t == 'dropout':
            # Training-mode dropout draws its own mask, so only a rate of 0 can be compared during training.
            assert layer['rate'] == 0, 'net fixtures need dropout rate 0 (eval mode ignores the rate)'
            mods.append(torch.nn.Dropout(layer['rate']))
        elif t == 'flatten':
            mods.append(torch.nn.Flatten())
            c, h, w = c * h * w, 1, 1
        elif t == 'dense':
            if not mods or not isinstance(mods[-1], (torch.nn.Flatten, torch.nn.Linear, torch.nn.ReLU, torch.nn.BatchNorm1d)) or (h, w) != (1, 1):
                mods.append(torch.nn.Flatten())
            lin = torch.nn.Linear(c * h * w, layer['units'])
            mods.append(lin)
            params += [lin.weight, lin.bias]
            c, h, w = layer['units'], 1, 1
        else:
            raise ValueError(t)
    # Flatten after global pooling so that BatchNorm1d / Linear see [N, C].
    seq = []
    for m in mods:
        seq.append(m)
        if isinstance(m, torch.nn.AdaptiveAvgPool2d):
            seq.append(torch.nn.Flatten())
    return torch.nn.Sequential(*seq), params


def net_case(name, spec, batch):
    net, params = build_torch_net(spec)
    with torch.no_grad():
        for p in params:  # non-trivial biases and batchnorm scale/shift (defaults are 0 / 1)
            if p.dim() == 1:
                p.copy_(torch.randn_like(p) * 0.5 + 1.0)
    x = torch.randn(batch, spec['input']['channels'], spec['input']['height'], spec['input']['width'])
    labels = torch.randint(0, spec['numClasses'], (batch,))
    flat_params = torch.cat([p.detach().reshape(-1) for p in params])
    net.train()
    logits = net(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    grads = torch.cat([p.grad.reshape(-1) for p in params])
    state = []
    for m in net:
        if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
            state += flat(m.running_mean) + flat(m.running_var)
    net.eval()
    eval_logits = net(x)
    return {
        'name': name, 'spec': spec, 'batch': batch, 'input': flat(x), 'labels': labels.tolist(),
        'params': flat(flat_params), 'logits': flat(logits), 'loss': loss.item(), 'grads': flat(grads),
        'stateAfter': state, 'evalLogits': flat(eval_logits),
    }


def optim_case(name, config, steps=4, n=7):
    """Runs `steps` updates of a torch optimizer on fixed gradients; weight decay only on the first 4 values."""
    p_decay = torch.randn(4, requires_grad=True)
    p_plain = torch.randn(n - 4, requires_grad=True)
    init = flat(torch.cat([p_decay, p_plain]))
    wd = config.get('weightDecay', 0.0)
    groups = [{'params': [p_decay], 'weight_decay': wd}, {'params': [p_plain], 'weight_decay': 0.0}]
    lrs = [0.1, 0.05, 0.08, 0.02][:steps]
    t = config['type']
    if t == 'sgd':
        opt = torch.optim.SGD(groups, lr=lrs[0], momentum=config.get('momentum', 0), nesterov=config.get('nesterov', False))
    elif t == 'adam':
        opt = torch.optim.Adam(groups, lr=lrs[0], betas=(config.get('beta1', 0.9), config.get('beta2', 0.999)), eps=config.get('epsilon', 1e-8))
    else:
        opt = torch.optim.AdamW(groups, lr=lrs[0], betas=(config.get('beta1', 0.9), config.get('beta2', 0.999)), eps=config.get('epsilon', 1e-8))
    grads = []
    for lr in lrs:
        g = torch.randn(n)
        grads.append(flat(g))
        for grp in opt.param_groups:
            grp['lr'] = lr
        p_decay.grad = g[:4].clone()
        p_plain.grad = g[4:].clone()
        opt.step()
    return {'name': name, 'config': config, 'init': init, 'grads': grads, 'lrs': lrs,
            'final': flat(torch.cat([p_decay, p_plain]))}


def main():
    torch.manual_seed(1234)
    os.makedirs(OUT_DIR, exist_ok=True)
    fixtures = {
        'conv2d.json': [
            conv_case('3x3 same stride 1', 2, 3, 6, 5, 4, 3, 3, 1, 1, 'same'),
            conv_case('non-square 2x3 kernel, stride 2x1, pad 1', 2, 2, 7, 6, 3, 2, 3, 2, 1, 1),
            conv_case('same, stride 2, even kernel (asymmetric pad)', 1, 2, 8, 7, 3, 4, 2, 2, 2, 'same'),
            conv_case('valid 5x5 stride 3', 2, 1, 11, 9, 2, 5, 5, 3, 3, 'valid'),
        ],
        'pool.json': [
            pool_case('max 2x2 s2', 'max', 2, 3, 6, 8, 2, 2, 2, 2),
            pool_case('max 3x3 s2 overlapping ragged', 'max', 2, 2, 7, 6, 3, 3, 2, 2),
            pool_case('max 2x3 s1x2', 'max', 1, 2, 5, 7, 2, 3, 1, 2),
            pool_case('avg 2x2 s2', 'avg', 2, 3, 6, 8, 2, 2, 2, 2),
            pool_case('avg 3x2 s2x1 overlapping', 'avg', 2, 2, 7, 5, 3, 2, 2, 1),
        ],
        'dense.json': [dense_case('3x7 to 5', 3, 7, 5), dense_case('1x20 to 3', 1, 20, 3)],
        'softmax-cross-entropy.json': [
            softmax_ce_case('small logits', 4, 5, 1.0),
            softmax_ce_case('large logits', 6, 10, 30.0),
        ],
        'batch-norm.json': [batchnorm_case('conv input', 3, 4, 5, 3), batchnorm_case('dense input', 6, 5, 0, 0)],
        'optim.json': [
            optim_case('sgd', {'type': 'sgd'}),
            optim_case('sgd momentum + weight decay', {'type': 'sgd', 'momentum': 0.9, 'weightDecay': 0.01}),
            optim_case('sgd nesterov', {'type': 'sgd', 'momentum': 0.8, 'nesterov': True, 'weightDecay': 0.001}),
            optim_case('adam + L2', {'type': 'adam', 'weightDecay': 0.01}),
            optim_case('adam betas', {'type': 'adam', 'beta1': 0.8, 'beta2': 0.99, 'epsilon': 1e-6}),
            optim_case('adamw', {'type': 'adamw', 'weightDecay': 0.1}),
        ],
        'net.json': [
            net_case('conv-bn-pool-leaky-avg-dense', {
                'input': {'height': 10, 'width': 9, 'channels': 2},
                'layers': [
                    {'type': 'conv2d', 'filters': 4, 'kernelSize': 3, 'stride': 1, 'padding': 'same'},
                    {'type': 'batchNorm'},
                    {'type': 'relu'},
                    {'type': 'maxPool2d', 'size': 2},
                    {'type': 'conv2d', 'filters': 5, 'kernelSize': [2, 3], 'stride': [1, 2], 'padding': 1},
                    {'type': 'leakyRelu', 'alpha': 0.1},
                    {'type': 'avgPool2d', 'size': 2, 'stride': 1},
                    {'type': 'flatten'},
                    {'type': 'dense', 'units': 6},
                    {'type': 'batchNorm'},
                    {'type': 'relu'},
                    {'type': 'dense', 'units': 3},
                ],
                'numClasses': 3,
            }, 4),
            net_case('strided-same-gap', {
                'input': {'height': 8, 'width': 8, 'channels': 3},
                'layers': [
                    {'type': 'conv2d', 'filters': 6, 'kernelSize': 3, 'stride': 2, 'padding': 'same'},
                    {'type': 'relu'},
                    {'type': 'conv2d', 'filters': 4, 'kernelSize': 1},
                    {'type': 'relu'},
                    {'type': 'globalAvgPool'},
                    {'type': 'dense', 'units': 4},
                ],
                'numClasses': 4,
            }, 3),
        ],
    }
    # The photo presets' layer shapes (issue 14), scaled down in channels and size but not in structure. A seed of
    # their own, appended after the cases above, so that those stay as they were.
    torch.manual_seed(14)
    fixtures['conv2d.json'] += [
        # 3x3 stride 2 'same' on an even size: out = size / 2, and the one padding row / column goes below / right
        conv_case('photo stem: 3 to 8, 3x3 stride 2 same, even 16x16 (pad 0 top/left, 1 bottom/right)',
                  2, 3, 16, 16, 8, 3, 3, 2, 2, 'same'),
        conv_case('photo stem: 3 to 8, 3x3 stride 2 same, odd 15x15 (pad 1 each side)', 2, 3, 15, 15, 8, 3, 3, 2, 2, 'same'),
        conv_case('photo stem: 3 to 32, 3x3 stride 2 same, 12x11 (even rows, odd columns), batch 1',
                  1, 3, 12, 11, 32, 3, 3, 2, 2, 'same'),
    ]
    fixtures['batch-norm.json'] += [
        batchnorm_case('photo: after a conv, realistic statistics, 2x8x12x12', 2, 8, 12, 12, realistic=True),
        batchnorm_case('photo: after a conv, batch 1, 8x6x6', 1, 8, 6, 6, realistic=True),
        batchnorm_case('photo: after a conv, eps 1e-3, momentum 0.01, 3x6x5x7', 3, 6, 5, 7, realistic=True,
                       eps=1e-3, momentum=0.01),
        batchnorm_case('photo: after a dense layer, realistic statistics, 4x16', 4, 16, 0, 0, realistic=True),
        batchnorm_case('photo: after a dense layer, batch 2, 2x10', 2, 10, 0, 0, realistic=True),
    ]
    fixtures['global-avg-pool.json'] = [
        global_avg_pool_case('2x16x3x3', 2, 16, 3, 3),
        global_avg_pool_case('1x8x6x6', 1, 8, 6, 6),
        global_avg_pool_case('3x5x1x1 (a 1x1 map)', 3, 5, 1, 1),
    ]
    def conv3(filters):
        return {'type': 'conv2d', 'filters': filters, 'kernelSize': 3, 'stride': 1, 'padding': 'same'}

    bn, relu, pool2 = {'type': 'batchNorm'}, {'type': 'relu'}, {'type': 'maxPool2d', 'size': 2, 'stride': 2}
    fixtures['net.json'] += [
        # The `medium` preset's layers (presets.ts) with 6-12 instead of 32-128 channels, at 32 px instead of 96:
        # stem, then conv stages down to a 2x2 map (no pool below 4 px), global average pool, dropout, classifier.
        net_case('photo medium: stem s2-bn-relu-pool, 3 x (conv-bn-relu-pool), gap, dropout 0, dense', {
            'input': {'height': 32, 'width': 32, 'channels': 3},
            'layers': [
                {'type': 'conv2d', 'filters': 6, 'kernelSize': 3, 'stride': 2, 'padding': 'same'}, bn, relu, pool2,
                conv3(8), bn, relu, pool2,
                conv3(12), bn, relu, pool2,
                conv3(12), bn, relu,
                {'type': 'globalAvgPool'}, {'type': 'dropout', 'rate': 0},
                {'type': 'dense', 'units': 5},
            ],
            'numClasses': 5,
        }, 2),
    ]
    for fname, cases in fixtures.items():
        with open(os.path.join(OUT_DIR, fname), 'w') as f:
            json.dump(cases, f, separators=(',', ':'))
    print('wrote', ', '.join(fixtures), 'to', os.path.normpath(OUT_DIR))


if __name__ == '__main__':
    main()
