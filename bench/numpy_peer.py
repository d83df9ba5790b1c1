"""numpy as the external peer of the benchmarks: diffusers' DDPM step written as diffusers writes it
(one temporary per expression), the best in-place numpy form (ufuncs with out=), numpy's normal
generators, and diffusers' 1000-step sampling loop with numpy's own generator.

Usage: python3 numpy_peer.py '<json request>'   (the node harness builds the request)
Prints one JSON object on stdout: {"numpy": version, "step": [...], "randn": [...], "loop": [...]};
every timing is the median of the repeated calls, in nanoseconds per call.
"""
import json
import sys
import time

import numpy as np

F32 = np.float32


def linear_alphas_cumprod(n=1000, start=1e-4, end=0.02):
    # diffusers' default linear schedule: float32 betas, product accumulated in double, stored in float32
    betas = np.linspace(start, end, n, dtype=np.float64).astype(F32)
    alphas = (F32(1) - betas).astype(F32)
    return np.cumprod(alphas.astype(np.float64)).astype(F32)


ALPHAS_CUMPROD = linear_alphas_cumprod()


def scalars(t):
    """The per-step float32 scalars as diffusers computes them (0-d float32 values, rounded per op)."""
    alpha_prod_t = ALPHAS_CUMPROD[t]
    alpha_prod_t_prev = ALPHAS_CUMPROD[t - 1] if t - 1 >= 0 else F32(1)
    beta_prod_t = F32(1) - alpha_prod_t
    beta_prod_t_prev = F32(1) - alpha_prod_t_prev
    current_alpha_t = alpha_prod_t / alpha_prod_t_prev
    current_beta_t = F32(1) - current_alpha_t
    return alpha_prod_t, alpha_prod_t_prev, beta_prod_t, beta_prod_t_prev, current_alpha_t, current_beta_t


def fixed_small_variance(t):
    alpha_prod_t, alpha_prod_t_prev, _, _, _, current_beta_t = scalars(t)
    variance = (F32(1) - alpha_prod_t_prev) / (F32(1) - alpha_prod_t) * current_beta_t
    return np.maximum(variance, F32(1e-20))


def diffusers_step(model_output, t, sample, noise):
    """DDPMScheduler.step for epsilon prediction, clip_sample, fixed_small: one temporary per expression."""
    alpha_prod_t, alpha_prod_t_prev, beta_prod_t, beta_prod_t_prev, current_alpha_t, current_beta_t = scalars(t)
    pred_original_sample = (sample - beta_prod_t ** F32(0.5) * model_output) / alpha_prod_t ** F32(0.5)
    pred_original_sample = np.clip(pred_original_sample, F32(-1), F32(1))
    pred_original_sample_coeff = (alpha_prod_t_prev ** F32(0.5) * current_beta_t) / beta_prod_t
    current_sample_coeff = current_alpha_t ** F32(0.5) * beta_prod_t_prev / beta_prod_t
    pred_prev_sample = pred_original_sample_coeff * pred_original_sample + current_sample_coeff * sample
    if t > 0:
        variance = (fixed_small_variance(t) ** F32(0.5)) * noise
        pred_prev_sample = pred_prev_sample + variance
    return pred_prev_sample, pred_original_sample


def inplace_step(prev, x0, scratch, model_output, t, sample, noise):
    """The same step with every ufunc writing into preallocated arrays: the best numpy can do without a JIT."""
    alpha_prod_t, alpha_prod_t_prev, beta_prod_t, beta_prod_t_prev, current_alpha_t, current_beta_t = scalars(t)
    np.multiply(model_output, beta_prod_t ** F32(0.5), out=x0)
    np.subtract(sample, x0, out=x0)
    np.multiply(x0, F32(1) / alpha_prod_t ** F32(0.5), out=x0)
    np.clip(x0, F32(-1), F32(1), out=x0)
    np.multiply(x0, (alpha_prod_t_prev ** F32(0.5) * current_beta_t) / beta_prod_t, out=prev)
    np.multiply(sample, current_alpha_t ** F32(0.5) * beta_prod_t_prev / beta_prod_t, out=scratch)
    np.add(prev, scratch, out=prev)
    np.multiply(noise, fixed_small_variance(t) ** F32(0.5), out=scratch)
    np.add(prev, scratch, out=prev)


def timed(fn, min_time, min_samples, max_samples):
    """Median ns per call: one warm-up call, then calls until both min_time seconds and min_samples are reached."""
    fn()
    samples = []
    total = 0.0
    while len(samples) < max_samples and (len(samples) < min_samples or total < min_time):
        t0 = time.perf_counter_ns()
        fn()
        dt = time.perf_counter_ns() - t0
        samples.append(dt)
        total += dt / 1e9
    return float(np.median(samples)), len(samples)


def bench_step(req):
    rng = np.random.default_rng(1)
    out = []
    t = 500
    for n in req["sizes"]:
        shape = (n,)
        model_output = rng.standard_normal(shape, dtype=F32)
        sample = rng.standard_normal(shape, dtype=F32)
        noise = rng.standard_normal(shape, dtype=F32)
        prev, x0, scratch = (np.empty(shape, dtype=F32) for _ in range(3))
        big = n >= 4_000_000
        budget = (req["minTime"], 3 if big else 5, 7 if big else 100_000)
        ns, count = timed(lambda: diffusers_step(model_output, t, sample, noise), *budget)
        out.append({"case": "diffusers", "n": n, "ns": ns, "samples": count})
        ns, count = timed(lambda: inplace_step(prev, x0, scratch, model_output, t, sample, noise), *budget)
        out.append({"case": "inplace", "n": n, "ns": ns, "samples": count})
        # the two forms must agree, or the comparison means nothing
        reference, _ = diffusers_step(model_output, t, sample, noise)
        if not np.allclose(reference, prev, rtol=1e-5, atol=1e-6):
            raise SystemExit("numpy peer: the in-place step disagrees with the diffusers form")
        del model_output, sample, noise, prev, x0, scratch
    return out


def bench_randn(req):
    n = req["n"]
    buf = np.empty(n, dtype=F32)
    generator = np.random.default_rng(0)
    legacy = np.random.RandomState(0)
    out = []
    ns, count = timed(lambda: generator.standard_normal(n, dtype=F32, out=buf), req["minTime"], 5, 100_000)
    out.append({"case": "default_rng", "n": n, "ns": ns, "samples": count})
    # the legacy generator has no float32 path: it draws doubles (polar Box-Muller)
    ns, count = timed(lambda: legacy.standard_normal(n), req["minTime"], 5, 100_000)
    out.append({"case": "RandomState", "n": n, "ns": ns, "samples": count})
    return out


def sampling_loop(n, steps, seed):
    """diffusers' loop: the model is the identity (the same cheap fixed op as the JS side), noise from numpy."""
    generator = np.random.default_rng(seed)
    sample = generator.standard_normal((n,), dtype=F32)
    for t in range(steps - 1, -1, -1):
        model_output = sample
        noise = generator.standard_normal((n,), dtype=F32) if t > 0 else None
        sample, _ = diffusers_step(model_output, t, sample, noise)
    return sample


def bench_loop(req):
    out = []
    for n in req["sizes"]:
        samples = []
        for _ in range(req["repeats"]):
            t0 = time.perf_counter_ns()
            result = sampling_loop(n, req["steps"], 0)
            samples.append(time.perf_counter_ns() - t0)
        if not np.all(np.isfinite(result)):
            raise SystemExit("numpy peer: the sampling loop produced non-finite values")
        out.append({"case": "diffusers loop", "n": n, "ns": float(np.median(samples)), "samples": len(samples)})
    return out


def main():
    req = json.loads(sys.argv[1])
    result = {"numpy": np.__version__}
    if "step" in req:
        result["step"] = bench_step(req["step"])
    if "randn" in req:
        result["randn"] = bench_randn(req["randn"])
    if "loop" in req:
        result["loop"] = bench_loop(req["loop"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
