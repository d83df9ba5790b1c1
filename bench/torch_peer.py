"""diffusers' own DDPMScheduler on PyTorch's CPU as a peer of the benchmarks: scheduler.step with a generator
(noise drawn), step at t = 0 (no noise), torch.randn, and diffusers' seeded sampling loop, each at one thread
and at every core (or at the thread counts the request names), in one process.

Usage: DIFFUSERS_SRC=<folder> /usr/bin/python3 torch_peer.py '<json request>'   (bench/torch.mjs builds both)
       DIFFUSERS_SRC=<folder> /usr/bin/python3 torch_peer.py --serve           (requests on stdin: see serve())
DIFFUSERS_SRC is read by scripts/fixtures/diffusers_stub.py, which runs diffusers' scheduling_ddpm.py itself
against small stand-ins; this repository holds no diffusers code.
Prints one JSON object on stdout: {"torch", "capability", "diffusers", "threads": {"1": {...}, "<cores>": {...}}};
every timing is the median of repeated calls, in nanoseconds per call.
"""
import hashlib
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'scripts', 'fixtures')
# scripts/fixtures/random.py must not shadow the standard library's random: the folder goes last
sys.path.append(FIXTURES)

import torch  # noqa: E402
from diffusers_stub import load  # noqa: E402
from numpy_peer import timed  # noqa: E402  (the numpy peer's timing loop, one definition)

TIMESTEP = 500


def shape_for(n):
    """The bench's shapes: [1, 3, 16, 16] for 768 elements, else an SD latent [1, 4, s, s]."""
    if n == 768:
        return (1, 3, 16, 16)
    side = round((n / 4) ** 0.5)
    assert 4 * side * side == n, n
    return (1, 4, side, side)


def scheduler(d, steps):
    s = d.DDPMScheduler()  # diffusers' defaults: linear betas, epsilon, clip_sample, fixed_small
    s.set_timesteps(steps)
    return s


def sampling_loop(d, n, steps, seed=0):
    """diffusers' seeded loop, the model being the identity (as on the JS side): x_T and every step's noise
    drawn from one torch.Generator, as a pipeline given generator=torch.Generator().manual_seed(seed) does."""
    s = scheduler(d, steps)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(shape_for(n), generator=g)
    for t in s.timesteps:
        x = s.step(x, t, x, generator=g).prev_sample
    return x


def bench_ops(d, req):
    out = []
    s = scheduler(d, 1000)
    for n in req['sizes']:
        shape = shape_for(n)
        g = torch.Generator().manual_seed(42)
        model_output = torch.randn(shape, generator=g)
        sample = torch.randn(shape, generator=g)
        buf = torch.empty(shape)
        big = n >= 4_000_000
        budget = (req['minTime'], 3 if big else 5, 7 if big else 100_000)
        noise = torch.Generator().manual_seed(0)
        cases = [
            ('step with a generator', lambda: s.step(model_output, TIMESTEP, sample, generator=noise)),
            ('step at t = 0', lambda: s.step(model_output, 0, sample, generator=noise)),
            ('randn', lambda: torch.randn(shape, generator=noise)),
            ('randn (out=)', lambda: torch.randn(shape, generator=noise, out=buf)),
        ]
        for name, fn in cases:
            ns, count = timed(fn, *budget)
            out.append({'case': name, 'n': n, 'ns': ns, 'samples': count})
        del model_output, sample, buf
    return out


def bench_loops(d, req):
    """Each loop `repeats` times, median; a loop whose estimate (from the last loop's cost per element and step
    at this thread count) exceeds req['budget'] seconds is skipped, and repeats stop once the budget is spent:
    at every core on a loaded machine, torch's OpenMP threads can wait a scheduler tick per operation."""
    out = []
    rate = None
    for case in req['loops']:
        n, steps = case['n'], case['steps']
        estimate = rate * n * steps / 1e9 if rate is not None else 0.0
        if estimate > req['budget']:
            out.append({'case': 'loop', 'n': n, 'steps': steps, 'ns': None,
                        'skipped': f'estimated {estimate:.0f} s, over the {req["budget"]} s budget'})
            continue
        samples = []
        while len(samples) < req['repeats'] and (not samples or sum(samples) / 1e9 < req['budget']):
            t0 = time.perf_counter_ns()
            result = sampling_loop(d, n, steps)
            samples.append(time.perf_counter_ns() - t0)
        ns = float(statistics.median(samples))
        rate = ns / (n * steps)
        out.append({'case': 'loop', 'n': n, 'steps': steps, 'ns': ns, 'samples': len(samples),
                    'sha256': hashlib.sha256(result.numpy().tobytes()).hexdigest()})
    return out


def serve():
    """One request per line on stdin, one JSON line back on stdout each, so that the harness can time torch
    between its own rounds (the same minutes of a shared machine on both sides):
    {"case": "loop", "n", "steps", "threads"} runs diffusers' seeded loop once: {"ns", "sha256"};
    {"case": "randn" | "randn (out=)", "n", "threads", "calls"} times that many calls after one warm-up: {"ns"}
    (their median). An empty line or the end of stdin ends it."""
    d = load()
    buffers = {}
    print(json.dumps({'ready': True, 'torch': torch.__version__}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            break
        req = json.loads(line)
        torch.set_num_threads(req['threads'])
        n = req['n']
        if req['case'] == 'loop':
            t0 = time.perf_counter_ns()
            result = sampling_loop(d, n, req['steps'])
            ns = time.perf_counter_ns() - t0
            reply = {'ns': float(ns), 'sha256': hashlib.sha256(result.numpy().tobytes()).hexdigest()}
        else:
            shape = shape_for(n)
            g = torch.Generator().manual_seed(0)
            if req['case'] == 'randn (out=)':
                buf = buffers.setdefault(n, torch.empty(shape))
                fn = lambda: torch.randn(shape, generator=g, out=buf)  # noqa: E731
            else:
                fn = lambda: torch.randn(shape, generator=g)  # noqa: E731
            fn()
            samples = []
            for _ in range(req['calls']):
                t0 = time.perf_counter_ns()
                fn()
                samples.append(time.perf_counter_ns() - t0)
            reply = {'ns': float(statistics.median(samples))}
        print(json.dumps(reply), flush=True)


def main():
    if sys.argv[1] == '--serve':
        serve()
        return
    req = json.loads(sys.argv[1])
    d = load()
    cores = os.cpu_count() or 1
    result = {
        'torch': torch.__version__,
        'capability': os.environ.get('ATEN_CPU_CAPABILITY', 'unset (the best the CPU has)'),
        'diffusers': {'commit': d.commit, 'sha256': d.sources['scheduling_ddpm.py']},
        'cores': cores,
        'threads': {},
    }
    # the thread counts to run: one and every core unless the request names them
    for threads in sorted(set(req.get('threads') or {1, cores})):
        torch.set_num_threads(threads)
        result['threads'][str(threads)] = {'ops': bench_ops(d, req), 'loops': bench_loops(d, req)}
    print(json.dumps(result))


if __name__ == '__main__':
    main()
