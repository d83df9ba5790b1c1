// The checks shared by the ESM and CJS smoke tests: the public functions exist and really run
// (a wrong fp-ts import form fails here, where jest would hide it), with code generation refused as a
// strict Content-Security-Policy refuses it.
const assert = require('node:assert/strict');

const expectedExports = ['schedulerError', 'SchedulerException',
  // random
  'torchGenerator', 'tryTorchGenerator', 'rand', 'randn', 'tryRand', 'tryRandn', 'randInto', 'randnInto',
  'nextUint32', 'nextUint64', 'generatorState', 'fromGeneratorState', 'TORCH_GENERATOR_STATE_KIND',
  // schedule
  'BETA_SCHEDULES', 'TIMESTEP_SPACINGS', 'makeBetaSchedule', 'rescaleZeroSnr', 'makeTables', 'timestepsFor',
  'customTimesteps', 'previousTimestepIn', 'validateNumTrainTimesteps', 'validateStepsOffset',
  'validateBetaSchedule', 'validateTimestepSpacing',
  // tensor, step
  'checkTensor', 'checkShape', 'isContiguous', 'allocate', 'tensor', 'splitChannels', 'copyStrided', 'contiguousCopy',
  'defaultStepOptions', 'posteriorCoefficients', 'posteriorStepInto', 'posteriorStep', 'ddpmStep',
  'addNoiseWith', 'velocityWith',
  // scheduler
  'createScheduler', 'validateConfig', 'fromDiffusersConfig', 'toDiffusersConfig', 'parseDiffusersConfig',
  'setTimesteps', 'previousTimestep', 'scaleModelInput', 'step', 'addNoise', 'getVelocity', 'denoise',
  'denoiseAsync', 'isDDPMScheduler', 'stepOptionsOf',
  // wasm backend
  'backend', 'setBackend', 'loadWasm', 'allocTensor', 'freeTensor', 'isWasmTensor', 'reserveTensorMemory', 'wasmBuild'];

const expectedNodeExports = ['loadScheduler', 'saveScheduler', 'resolveSchedulerConfigPath'];

const exerciseAll = (lib) => {
  const e = lib.schedulerError('InvalidNumber', 'n', -1, 'an integer >= 1');
  assert.equal(e._tag, 'InvalidNumber');

  // random: the public values of torch.rand(3) and torch.randn(2, 3) after torch.manual_seed(0)
  const g = lib.torchGenerator(0);
  const [u] = lib.rand(g, [3]);
  [0.4963, 0.7682, 0.0885].forEach((x, i) => assert.ok(Math.abs(u.data[i] - x) < 1e-4, `rand(3)[${i}]`));
  const [noise, next] = lib.randn(g, [2, 3]);
  assert.deepEqual(noise.shape, [2, 3]);
  [1.541, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986].forEach((x, i) =>
    assert.ok(Math.abs(noise.data[i] - x) < 1e-4, `randn(2, 3)[${i}]`));
  const restored = lib.fromGeneratorState(JSON.parse(JSON.stringify(lib.generatorState(next))));
  assert.equal(restored._tag, 'Right');
  assert.equal(lib.tryTorchGenerator(0.5)._tag, 'Left');

  // schedule: the default linear betas end at 0.02 in float32; 50 leading steps with offset 1 start at 981
  const betas = lib.makeBetaSchedule({ numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear' });
  assert.equal(betas._tag, 'Right');
  assert.equal(betas.right[999], Math.fround(0.02));
  const tables = lib.makeTables(lib.rescaleZeroSnr(betas.right));
  assert.equal(tables.alphasCumprod[999], 0);
  const leading = lib.timestepsFor('leading')({ numTrainTimesteps: 1000, numInferenceSteps: 50, stepsOffset: 1 });
  assert.equal(leading._tag, 'Right');
  assert.deepEqual(Array.from(leading.right.subarray(0, 3)), [981, 961, 941]);
  assert.equal(lib.previousTimestepIn(leading.right, 981), 961);
  assert.equal(lib.timestepsFor('uniform')({ numTrainTimesteps: 1000, numInferenceSteps: 50 })._tag, 'Left');

  // step: diffusers' variance at t = 487 of the default schedule, a seeded step, and the zero-SNR error
  const ac = lib.makeTables(betas.right).alphasCumprod;
  const k = lib.posteriorCoefficients(ac, 487, 486);
  assert.equal(k._tag, 'Right');
  assert.ok(Math.abs(k.right.variance - 0.00979) < 1e-5, 'variance at 487');
  const [x] = lib.randn(lib.torchGenerator(1), [2, 3, 4, 4]);
  const [eps] = lib.randn(lib.torchGenerator(2), [2, 3, 4, 4]);
  const stepped = lib.ddpmStep(ac, lib.defaultStepOptions, {
    modelOutput: eps, sample: x, timestep: [999, 10], prevTimestep: [998, 9], generator: lib.torchGenerator(0),
  });
  assert.equal(stepped._tag, 'Right');
  assert.deepEqual(stepped.right.prevSample.shape, [2, 3, 4, 4]);
  assert.ok(stepped.right.prevSample.data.every(Number.isFinite));
  assert.ok(stepped.right.predOriginalSample.data.every((v) => Math.abs(v) <= 1));
  const noisy = lib.addNoiseWith(ac, x, eps, 500);
  const v = lib.velocityWith(ac, x, eps, 500);
  const back = lib.ddpmStep(ac, { ...lib.defaultStepOptions, predictionType: 'v_prediction', clipSample: false }, {
    modelOutput: v.right, sample: noisy.right, timestep: 500, prevTimestep: 499, noise: eps,
  });
  assert.ok(Math.abs(back.right.predOriginalSample.data[5] - x.data[5]) < 1e-4, 'v_prediction recovers x0');
  const zero = lib.ddpmStep(tables.alphasCumprod, lib.defaultStepOptions, {
    modelOutput: eps, sample: x, timestep: 999, prevTimestep: 998, noise: eps,
  });
  assert.equal(zero._tag, 'Left');
  assert.equal(zero.left._tag, 'ZeroTerminalSnr');

  // scheduler: Stable Diffusion 1.5's config, 50 steps, and diffusers' 1000-step test loop value
  const sd = lib.fromDiffusersConfig({
    _class_name: 'PNDMScheduler', beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012,
    steps_offset: 1, clip_sample: false, skip_prk_steps: true, trained_betas: null,
  });
  assert.equal(sd._tag, 'Right');
  const sd50 = lib.setTimesteps(50)(sd.right);
  assert.deepEqual([sd50.right.timesteps[0], sd50.right.timesteps[49]], [981, 1]);
  assert.equal(lib.toDiffusersConfig(sd.right)._class_name, 'DDPMScheduler');
  const s = lib.createScheduler();
  const sample = { data: new Float32Array(768), shape: [4, 3, 8, 8] };
  let xt = lib.tensor(sample.data.map((_, i) => {
    const w = i % 8, h = (i >> 3) % 8, c = (i >> 6) % 3, b = Math.floor(i / 192);
    return (((c * 8 + h) * 8 + w) * 4 + b) / 768;
  }), sample.shape);
  const model = (x, t) => lib.tensor(x.data.map((v) => Math.fround(v * t) / (t + 1)), x.shape);
  const out = lib.denoise(s.right, model, xt, { generator: lib.torchGenerator(0) });
  assert.equal(out._tag, 'Right');
  const sum = out.right.sample.data.reduce((a, v) => a + Math.abs(v), 0);
  assert.ok(Math.abs(sum - 258.9606) < 1e-2, `diffusers' full loop sum ${sum}`);

  // backends: one is active, and a WASM-backed tensor round-trips through a step with no copy
  assert.ok(['wasm', 'js'].includes(lib.backend()), `backend ${lib.backend()}`);
  // the WASM build: one of the two where the WASM backend runs (Node 20 without flags: 'simd')
  assert.ok(lib.backend() === 'js' || ['simd', 'relaxed-simd'].includes(lib.wasmBuild()), `wasm build ${lib.wasmBuild()}`);
  const t = lib.allocTensor([1, 4]);
  assert.equal(t._tag, 'Right');
  assert.deepEqual(t.right.shape, [1, 4]);
  assert.equal(lib.freeTensor(t.right)._tag, 'Right');
};

/** Runs `body` with `Function` and `eval` refused, as a Content-Security-Policy without 'unsafe-eval' does. */
const withoutCodeGeneration = (body) => {
  const saved = [globalThis.Function, globalThis.eval];
  const refuse = () => {
    throw new EvalError('code generation refused');
  };
  globalThis.Function = refuse;
  globalThis.eval = refuse;
  try {
    return body();
  } finally {
    [globalThis.Function, globalThis.eval] = saved;
  }
};

const exerciseNode = (node) => {
  for (const name of expectedNodeExports) assert.equal(typeof node[name], 'function', `node export ${name}`);
  assert.equal(node.SCHEDULER_CONFIG_NAME, 'scheduler_config.json');
};

/** Every public function at work, with code generation refused throughout. */
const exercise = (lib) => withoutCodeGeneration(() => exerciseAll(lib));

module.exports = { expectedExports, exercise, exerciseNode };
