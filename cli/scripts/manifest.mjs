// The CLI's dependency on the library, for development and for the tarball. In the repository it is
// "file:.." (the library beside it, built by the root's npm run build); a tarball must name a version
// range that the registry (or the library's own tarball, installed beside it) satisfies. `pin` writes
// "^<the library's version>" before npm packs (prepack), `unpin` writes "file:.." back after (postpack).
//   node scripts/manifest.mjs pin | unpin
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cliManifest = fileURLToPath(new URL('../package.json', import.meta.url));
const libraryManifest = fileURLToPath(new URL('../../package.json', import.meta.url));
const DEVELOPMENT = 'file:..';

/** Sets the CLI's `ddpm-scheduler` dependency to `spec`, leaving the rest of its package.json as it is. */
export const setLibrarySpec = (spec) => {
  const text = readFileSync(cliManifest, 'utf8');
  const manifest = JSON.parse(text);
  if (manifest.dependencies?.['ddpm-scheduler'] === undefined) throw new Error(`${cliManifest}: no ddpm-scheduler dependency`);
  manifest.dependencies['ddpm-scheduler'] = spec;
  writeFileSync(cliManifest, JSON.stringify(manifest, null, 2) + '\n');
};

/** The range a packed CLI asks for: the library's current version and later compatible ones. */
export const pinnedSpec = () => `^${JSON.parse(readFileSync(libraryManifest, 'utf8')).version}`;

export const pin = () => setLibrarySpec(pinnedSpec());
export const unpin = () => setLibrarySpec(DEVELOPMENT);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2];
  if (mode === 'pin') pin();
  else if (mode === 'unpin') unpin();
  else {
    console.error('usage: node scripts/manifest.mjs pin | unpin');
    process.exitCode = 2;
  }
}
