"""Trains the demo's networks on Debian's torch, with diffusers' own DDPMScheduler.add_noise, and exports them.

    DIFFUSERS_SRC=<a diffusers checkout> /usr/bin/python3 scripts/model/train_digits.py [--iterations 3000]
    (or DIFFUSERS_GIT_DIR=<a diffusers git directory>; needs python3-torch, python3-onnx, python3-matplotlib)

What it does, all seeded (torch.manual_seed(0), two threads, numpy PCG64 seeds 2026 and 2027 for the data):
  1. draws the training set, 10 240 digits (digits_data.py; image i is digit i % 10), and a held-out set of
     2 000 digits drawn with another seed;
  2. trains the UNet (digits_model.py) as diffusers trains an unconditional DDPM: x0 from the training set,
     noise = randn, t uniform in [0, 1000), the noisy sample from diffusers' `DDPMScheduler.add_noise` (the
     default config: 1000 steps, linear betas 1e-4..0.02, epsilon prediction), loss = MSE(model(x_t, t), noise).
     AdamW (lr 2e-3, 100 warm-up iterations, cosine decay to 1e-4), batch 128, an EMA of the weights
     (decay min(0.999, (1 + i) / (10 + i))) is what gets exported;
  3. trains the classifier (cross-entropy, AdamW 2e-3, 1 500 iterations of 128) and measures its accuracy
     on the held-out set;
  4. writes into cli/models/digits/ (or --out): unet.onnx / unet.pt (the EMA weights), classifier.onnx /
     classifier.pt, scheduler_config.json (the scheduler it was trained with, diffusers' names),
     train-images.png (the training set, 128 digits a row), loss.png and training.json (the loss curve,
     held-out losses, timings, versions).
"""
import argparse
import json
import math
import os
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, HERE)
# appended, not prepended: scripts/fixtures/random.py must not shadow Python's own random module
sys.path.append(os.path.join(ROOT, 'scripts', 'fixtures'))

import digits_data  # noqa: E402
import digits_model  # noqa: E402
import png  # noqa: E402

TRAIN_SIZE = 10240
TRAIN_SEED = 2026
HELD_OUT_SIZE = 2000
HELD_OUT_SEED = 2027
BATCH = 128


def diffusers():
    """diffusers' scheduling code through the fixture scripts' stand-ins, from DIFFUSERS_SRC or DIFFUSERS_GIT_DIR."""
    import diffusers_stub
    cleanup = None
    if not os.environ.get('DIFFUSERS_SRC') and os.environ.get('DIFFUSERS_GIT_DIR'):
        from torch_all import extract
        cleanup, commit = extract(os.environ['DIFFUSERS_GIT_DIR'], os.environ.get('DIFFUSERS_REV', 'HEAD'))
        os.environ['DIFFUSERS_SRC'] = cleanup
        os.environ['DIFFUSERS_COMMIT'] = commit
    try:
        return diffusers_stub.load()
    finally:
        if cleanup:
            shutil.rmtree(cleanup)


def train_set_sha256(x_train):
    """SHA-256 of the training tensor's float32 little-endian bytes: what a reader of train-images.png must get."""
    import hashlib
    return hashlib.sha256(x_train.numpy().astype('<f4').tobytes()).hexdigest()


def lr_at(i, iterations, peak=2e-3, floor=1e-4, warmup=100):
    if i < warmup:
        return peak * (i + 1) / warmup
    p = (i - warmup) / max(1, iterations - warmup)
    return floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * p))


def held_out_loss(net, scheduler, x0, seed=7):
    """Mean epsilon MSE over the held-out set at fixed noise and timesteps (same draws for every call)."""
    g = torch.Generator().manual_seed(seed)
    noise = torch.randn(x0.shape, generator=g)
    t = torch.randint(0, scheduler.config.num_train_timesteps, (x0.shape[0],), generator=g)
    with torch.no_grad():
        pred = net(scheduler.add_noise(x0, noise, t), t)
    return float(F.mse_loss(pred, noise))


def train_unet(d, x_train, x_held, iterations, log):
    scheduler = d.DDPMScheduler()
    net = digits_model.UNet()
    ema = digits_model.UNet()
    ema.load_state_dict(net.state_dict())
    opt = torch.optim.AdamW(net.parameters(), lr=lr_at(0, iterations), weight_decay=0.0)
    g = torch.Generator().manual_seed(1)
    losses, held = [], []
    start = time.time()
    for i in range(iterations):
        for group in opt.param_groups:
            group['lr'] = lr_at(i, iterations)
        idx = torch.randint(0, x_train.shape[0], (BATCH,), generator=g)
        x0 = x_train[idx]
        noise = torch.randn(x0.shape, generator=g)
        t = torch.randint(0, scheduler.config.num_train_timesteps, (BATCH,), generator=g)
        noisy = scheduler.add_noise(x0, noise, t)
        loss = F.mse_loss(net(noisy, t), noise)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        decay = min(0.999, (1 + i) / (10 + i))
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), net.parameters()):
                pe.mul_(decay).add_(p, alpha=1 - decay)
        losses.append(float(loss))
        if (i + 1) % 250 == 0 or i + 1 == iterations:
            held.append({'iteration': i + 1, 'ema': held_out_loss(ema, scheduler, x_held)})
            log(f'unet {i + 1}/{iterations}: loss {np.mean(losses[-250:]):.4f}, held-out (EMA) {held[-1]["ema"]:.4f}, '
                f'{time.time() - start:.0f} s')
    return ema.eval(), scheduler, losses, held, time.time() - start


def train_classifier(x_train, y_train, x_held, y_held, log, iterations=1500):
    net = digits_model.Classifier()
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3)
    g = torch.Generator().manual_seed(2)
    start = time.time()
    for i in range(iterations):
        idx = torch.randint(0, x_train.shape[0], (BATCH,), generator=g)
        loss = F.cross_entropy(net(x_train[idx]), y_train[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        accuracy = float((net(x_held).argmax(dim=1) == y_held).float().mean())
    log(f'classifier: held-out accuracy {accuracy:.4f}, {time.time() - start:.0f} s')
    return net, accuracy, time.time() - start


def export(net, args, names, outputs, path):
    import onnx
    dynamic = {n: {0: 'batch'} for n in names + outputs}
    torch.onnx.export(net, args, path, input_names=names, output_names=outputs, dynamic_axes=dynamic,
                      opset_version=14, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def loss_plot(losses, held, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    window = min(50, len(losses))
    smooth = np.convolve(np.array(losses), np.ones(window) / window, mode='valid')
    fig, ax = plt.subplots(figsize=(6, 3.2), dpi=100)
    ax.plot(np.arange(1, len(losses) + 1), losses, color='#cccccc', linewidth=0.6, label='batch loss')
    ax.plot(np.arange(window, len(losses) + 1), smooth, color='#1f77b4', label=f'mean of {window}')
    ax.plot([h['iteration'] for h in held], [h['ema'] for h in held], 'o-', color='#d62728', markersize=3,
            label='held-out, EMA weights')
    ax.set_yscale('log')
    ax.set_xlabel('iteration (batch of 128)')
    ax.set_ylabel('epsilon MSE')
    ax.set_title('UNet training loss')
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--iterations', type=int, default=3000)
    p.add_argument('--out', default=os.path.join(ROOT, 'cli', 'models', 'digits'))
    a = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    os.makedirs(a.out, exist_ok=True)
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    d = diffusers()
    images = digits_data.dataset(TRAIN_SIZE, TRAIN_SEED)
    held_images = digits_data.dataset(HELD_OUT_SIZE, HELD_OUT_SEED)
    x_train = torch.from_numpy(digits_data.to_model(images))
    x_held = torch.from_numpy(digits_data.to_model(held_images))
    y_train = torch.arange(TRAIN_SIZE) % 10
    y_held = torch.arange(HELD_OUT_SIZE) % 10
    unet, scheduler, losses, held, unet_seconds = train_unet(d, x_train, x_held, a.iterations, log)
    classifier, accuracy, classifier_seconds = train_classifier(x_train, y_train, x_held, y_held, log)

    torch.save(unet.state_dict(), os.path.join(a.out, 'unet.pt'))
    torch.save(classifier.state_dict(), os.path.join(a.out, 'classifier.pt'))
    example = (torch.zeros(2, 1, 16, 16), torch.tensor([999, 0], dtype=torch.int64))
    export(unet, example, ['sample', 'timestep'], ['noise_pred'], os.path.join(a.out, 'unet.onnx'))
    export(classifier, (torch.zeros(2, 1, 16, 16),), ['image'], ['logits'], os.path.join(a.out, 'classifier.onnx'))
    png.write_gray(os.path.join(a.out, 'train-images.png'), png.atlas(images, 128))
    config = {'_class_name': 'DDPMScheduler', **{k: v for k, v in dict(scheduler.config).items() if not k.startswith('_')}}
    with open(os.path.join(a.out, 'scheduler_config.json'), 'w') as f:
        json.dump(config, f, indent=2)
        f.write('\n')
    loss_plot(losses, held, os.path.join(a.out, 'loss.png'))
    record = {
        'generatedBy': 'scripts/model/train_digits.py',
        'torchVersion': torch.__version__,
        'diffusersCommit': d.commit,
        'diffusersSources': d.sources,
        'threads': torch.get_num_threads(),
        'iterations': a.iterations,
        'batch': BATCH,
        'trainSet': {'size': TRAIN_SIZE, 'seed': TRAIN_SEED, 'sha256': train_set_sha256(x_train)},
        'heldOutSet': {'size': HELD_OUT_SIZE, 'seed': HELD_OUT_SEED},
        'unetParameters': sum(p.numel() for p in unet.parameters()),
        'classifierParameters': sum(p.numel() for p in classifier.parameters()),
        'unetSeconds': round(unet_seconds, 1),
        'classifierSeconds': round(classifier_seconds, 1),
        'classifierHeldOutAccuracy': accuracy,
        'heldOutLoss': held,
        'lossPer50': [float(np.mean(losses[i:i + 50])) for i in range(0, len(losses), 50)],
    }
    with open(os.path.join(a.out, 'training.json'), 'w') as f:
        json.dump(record, f, indent=1)
        f.write('\n')
    log(f'wrote {a.out}')


if __name__ == '__main__':
    main()
