import { environmentValue } from './environment.js';

describe('environmentValue', () => {
  const NAME = 'DDPM_TEST_ENVIRONMENT_VALUE';
  afterEach(() => {
    delete process.env[NAME];
  });

  it('is the variable trimmed and in lower case', () => {
    process.env[NAME] = '  SIMD\t';
    expect(environmentValue(NAME)).toBe('simd');
  });

  it('is undefined for an unset variable, and an empty string stays empty', () => {
    expect(environmentValue(NAME)).toBeUndefined();
    process.env[NAME] = '';
    expect(environmentValue(NAME)).toBe('');
  });
});
