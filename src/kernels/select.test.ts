import * as E from 'fp-ts/lib/Either.js';
import { backend, BACKENDS, chooseBackend, setBackend } from './select.js';
import { SchedulerException } from '../errors.js';
import { simdSupported } from '../wasm/instance.js';

describe('chooseBackend', () => {
  it("takes DDPM_BACKEND=js over an available WebAssembly backend", () => {
    expect(chooseBackend('js', true)).toBe('js');
  });

  it("chooses 'wasm' where it can run, unless told otherwise", () => {
    expect(chooseBackend(undefined, true)).toBe('wasm');
    expect(chooseBackend('wasm', true)).toBe('wasm');
  });

  it("falls back to 'js' where WebAssembly SIMD cannot run, even when DDPM_BACKEND=wasm", () => {
    expect(chooseBackend('wasm', false)).toBe('js');
    expect(chooseBackend(undefined, false)).toBe('js');
  });

  it('ignores an unknown DDPM_BACKEND value rather than failing to load', () => {
    expect(chooseBackend('gpu', true)).toBe('wasm');
    expect(chooseBackend('gpu', false)).toBe('js');
  });
});

describe('backend', () => {
  it('reports the backend that DDPM_BACKEND asked for (wasm by default on Node 20)', () => {
    const requested = process.env.DDPM_BACKEND;
    expect(BACKENDS).toContain(backend());
    expect(backend()).toBe(requested === 'js' ? 'js' : 'wasm');
  });

  it('is wasm-capable here: Node 20 validates WebAssembly SIMD', () => {
    expect(simdSupported()).toBe(true);
  });
});

describe('setBackend', () => {
  const initial = backend();
  afterAll(() => setBackend(initial));

  it('switches between the two backends and backend() reports the switch', () => {
    expect(setBackend('js')).toEqual(E.right('js'));
    expect(backend()).toBe('js');
    expect(setBackend('wasm')).toEqual(E.right('wasm'));
    expect(backend()).toBe('wasm');
  });

  it('is a typed InvalidOption error on an unknown name, and keeps the active backend', () => {
    setBackend('js');
    const result = setBackend('gpu');
    expect(E.isLeft(result) && result.left._tag).toBe('InvalidOption');
    expect(E.isLeft(result) && result.left.message).toBe('backend: received "gpu"; allowed: \'wasm\' or \'js\'');
    expect(backend()).toBe('js');
  });
});

describe('chooseBackend on a wasmAvailable that is not a boolean', () => {
  it.each(['yes', 1, null, undefined])('%p throws a SchedulerException naming wasmAvailable, not a truthy guess', (value) => {
    expect(() => chooseBackend(undefined, value as never)).toThrow(SchedulerException);
    try {
      chooseBackend('js', value as never);
    } catch (e) {
      expect((e as SchedulerException).error).toMatchObject({ _tag: 'InvalidOption', parameter: 'wasmAvailable' });
    }
  });
});
