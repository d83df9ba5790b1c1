import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads a JSON fixture from `fixtures/`. Fixtures are made by the numpy transcriptions in
 * `scripts/fixtures/`, never by the code under test. Tests run from the package root.
 */
export const readFixture = <T>(name: string): T =>
  JSON.parse(readFileSync(join(process.cwd(), 'fixtures', name), 'utf8')) as T;
