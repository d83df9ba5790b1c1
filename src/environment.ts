/**
 * The library's environment variables, read without assuming Node: in a browser or a worker there is no
 * `process`, and the main entry must still load. Internal.
 *
 * @module
 */

/**
 * The variable `name`, trimmed and in lower case; undefined where it is unset or there is no
 * `process.env`.
 *
 * @example
 * ```ts
 * environmentValue('DDPM_BACKEND') // 'js' with DDPM_BACKEND=' JS ', undefined in a browser
 * ```
 * @internal
 */
export const environmentValue = (name: string): string | undefined => {
  if (typeof process === 'undefined' || typeof process.env !== 'object' || process.env === null) return undefined;
  const value = process.env[name];
  return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
};
