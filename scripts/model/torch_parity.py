"""diffusers' DDPM sampling loop with the demo UNet on real PyTorch: the golden images the command line's network
path (ONNX Runtime + this library) is compared with, and torch's model outputs for a replay without ONNX.

Writes fixtures/model/<capability>/parity.json for each CPU capability (default: default avx2), each from a
fresh process under ATEN_CPU_CAPABILITY=<capability> (torch's randn differs between them; one intra-op thread).
Run from anywhere, with one of:
    DIFFUSERS_GIT_DIR=<a diffusers git directory> /usr/bin/python3 scripts/model/torch_parity.py
    DIFFUSERS_SRC=<a diffusers checkout> DIFFUSERS_COMMIT=<sha> /usr/bin/python3 scripts/model/torch_parity.py
Options: --model DIR (default cli/models/digits: unet.pt, unet.onnx, scheduler_config.json), the capabilities as
arguments; TORCH_PYTHON (default /usr/bin/python3). Takes about a minute on one core (both capabilities).

The loop is diffusers' DDPMPipeline's on the CPU, with the UNet of scripts/model/digits_model.py loaded from
unet.pt (the weights unet.onnx was exported from) and the scheduler built from scheduler_config.json with
timestep_spacing replaced by the run's spacing:
    generator = torch.Generator().manual_seed(seed)
    x = randn_tensor((batch, 1, 16, 16), generator=generator)
    scheduler.set_timesteps(steps)
    for t in scheduler.timesteps:
        eps = unet(x, t.expand(batch))
        x = scheduler.step(eps, t, x, generator=generator).prev_sample
The final x is recorded as it leaves the last step (the pipeline's (x / 2 + 0.5).clamp(0, 1) is not applied).

Layout:
{ generatedBy, format, atenCpuCapability, cpuCapabilityUsage, torchVersion, ..., diffusersCommit,
  diffusersSources,
  model: { unetPtSha256, unetOnnxSha256, schedulerConfig: {the file's JSON}, schedulerConfigSha256 },
  trainedBetas: b64 (torch's betas: the library's linspace is torch 2.x's, 1.13's differs in the last bit, so
                an exact replay passes these as config.trainedBetas),
  forward: { shape, timesteps: [one per item], sample: b64, noisePred: b64 } (one UNet call on randn(seed 0)),
  runs: [ { steps, spacing, seed: "<decimal>", batch, timesteps: [...], final: b64, finalSha256 } ],
  traces: [ { steps, spacing, seed, batch, timesteps, modelOutputs: [b64 per step, in order],
              inputSha256: [sha256 of the x each model call got, the first being x_T], final: b64 } ] }
"""
import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
FIXTURES = os.path.join(ROOT, 'scripts', 'fixtures')
# after the standard library: scripts/fixtures/random.py must not shadow `random` (tempfile imports it)
sys.path.insert(0, HERE)
sys.path.append(FIXTURES)

BATCH = 8
SEEDS = (0, 1, 2026)
# (steps, spacing, seeds) of the final-image runs: the default 1000 steps (one seed: a thousand UNet calls per
# image on ONNX Runtime), every spacing at 100 steps, and shorter schedules
RUNS = ((1000, 'leading', (0,)), (100, 'leading', SEEDS), (100, 'trailing', SEEDS), (100, 'linspace', SEEDS),
        (50, 'leading', SEEDS), (25, 'leading', SEEDS), (10, 'leading', SEEDS), (10, 'trailing', SEEDS))
# (steps, spacing, seed, batch) of the traces: every model output recorded
TRACES = ((50, 'leading', 7, 4), (100, 'trailing', 8, 1))
FORWARD_TIMESTEPS = (999, 900, 750, 500, 250, 100, 10, 0)

FORMAT = ('b64: base64 of the float32 values, little-endian, C order (shape [batch, 1, 16, 16] for images and '
          'model outputs, [numTrainTimesteps] for betas); sha256: hex SHA-256 of those same bytes; seeds: decimal '
          'strings; timesteps: JSON integers')


def b64(t):
    import numpy as np
    a = np.ascontiguousarray(t.detach().numpy() if hasattr(t, 'detach') else t)
    assert a.dtype == np.float32, a.dtype
    return base64.b64encode(a.astype('<f4').tobytes()).decode('ascii')


def sha256_file(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def child(model_dir):
    import torch
    from diffusers_stub import load
    from torch_common import capability, provenance, sha256_f32
    import digits_model

    cap = capability()
    d = load()
    with open(os.path.join(model_dir, 'scheduler_config.json')) as f:
        config = json.load(f)
    unet = digits_model.UNet()
    unet.load_state_dict(torch.load(os.path.join(model_dir, 'unet.pt'), map_location='cpu'))
    unet.eval()

    def scheduler(spacing):
        options = {k: v for k, v in config.items() if not k.startswith('_')}
        return d.DDPMScheduler(**dict(options, timestep_spacing=spacing))

    def sample(steps, spacing, seed, batch, trace=False):
        s = scheduler(spacing)
        generator = torch.Generator().manual_seed(seed)
        x = d.randn_tensor((batch, 1, 16, 16), generator=generator)
        s.set_timesteps(steps)
        outputs, inputs = [], []
        for t in s.timesteps:
            eps = unet(x, t.expand(batch))
            if trace:
                inputs.append(sha256_f32(x))
                outputs.append(b64(eps))
            x = s.step(eps, t, x, generator=generator).prev_sample
        case = dict(steps=steps, spacing=spacing, seed=str(seed), batch=batch, timesteps=[int(t) for t in s.timesteps])
        if trace:
            case.update(modelOutputs=outputs, inputSha256=inputs)
        case.update(final=b64(x), finalSha256=sha256_f32(x))
        return case

    doc = provenance('torch_parity.py', d)
    doc['generatedBy'] = 'scripts/model/torch_parity.py'
    doc['format'] = FORMAT
    doc['intraOpThreads'] = torch.get_num_threads()
    doc['model'] = dict(unetPtSha256=sha256_file(os.path.join(model_dir, 'unet.pt')),
                        unetOnnxSha256=sha256_file(os.path.join(model_dir, 'unet.onnx')),
                        schedulerConfig=config,
                        schedulerConfigSha256=sha256_file(os.path.join(model_dir, 'scheduler_config.json')))
    doc['trainedBetas'] = b64(scheduler('leading').betas)
    with torch.no_grad():
        x = torch.randn((len(FORWARD_TIMESTEPS), 1, 16, 16), generator=torch.Generator().manual_seed(0))
        t = torch.tensor(FORWARD_TIMESTEPS, dtype=torch.int64)
        doc['forward'] = dict(shape=list(x.shape), timesteps=list(FORWARD_TIMESTEPS), sample=b64(x),
                              noisePred=b64(unet(x, t)))
        start = time.time()
        doc['runs'] = [sample(steps, spacing, seed, BATCH) for steps, spacing, seeds in RUNS for seed in seeds]
        doc['traces'] = [sample(steps, spacing, seed, batch, trace=True) for steps, spacing, seed, batch in TRACES]
    folder = os.path.join(ROOT, 'fixtures', 'model', cap)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, 'parity.json')
    text = json.dumps(doc, separators=(',', ':'), allow_nan=False)
    with open(path, 'w') as f:
        f.write(text + '\n')
    print(f'{os.path.relpath(path, ROOT)}: {len(text) + 1} bytes, loops {time.time() - start:.1f} s', file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', default=os.path.join(ROOT, 'cli', 'models', 'digits'))
    p.add_argument('--child', action='store_true', help=argparse.SUPPRESS)
    p.add_argument('capabilities', nargs='*', default=['default', 'avx2'])
    a = p.parse_args()
    model_dir = os.path.abspath(a.model)
    if a.child:
        return child(model_dir)
    env = dict(os.environ)
    cleanup = None
    if env.get('DIFFUSERS_GIT_DIR') and not env.get('DIFFUSERS_SRC'):
        from torch_all import extract
        cleanup, commit = extract(env['DIFFUSERS_GIT_DIR'], env.get('DIFFUSERS_REV', 'HEAD'))
        env['DIFFUSERS_SRC'] = cleanup
        env['DIFFUSERS_COMMIT'] = commit
    if not env.get('DIFFUSERS_SRC'):
        raise SystemExit('set DIFFUSERS_GIT_DIR (a diffusers git repository) or DIFFUSERS_SRC (a checkout)')
    python = env.get('TORCH_PYTHON', '/usr/bin/python3')
    try:
        for cap in a.capabilities:
            t0 = time.time()
            subprocess.run([python, os.path.abspath(__file__), '--child', '--model', model_dir],
                           env=dict(env, ATEN_CPU_CAPABILITY=cap), check=True)
            print(f'  {cap}: {time.time() - t0:.1f} s', file=sys.stderr)
    finally:
        if cleanup:
            shutil.rmtree(cleanup)


if __name__ == '__main__':
    main()
