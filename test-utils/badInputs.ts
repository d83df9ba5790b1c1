// The bad-inputs table: each row is one bad input at one exported function, the error tag it must
// get and the parameter that error must name. `left` rows expect a typed Left (or a Promise of one);
// `throws` rows are the documented throwing conveniences and expect a SchedulerException carrying it.
import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException, type SchedulerErrorTag } from '../src/errors.js';

export type Mode = 'left' | 'throws';
export type BadInput = readonly [name: string, call: () => unknown, tag: SchedulerErrorTag, parameter: string, mode: Mode];

/** A row whose call returns (or resolves to) a Left. */
export const left = (name: string, call: () => unknown, tag: SchedulerErrorTag, parameter: string): BadInput => [name, call, tag, parameter, 'left'];
/** A row whose call is a throwing convenience: it must throw a SchedulerException. */
export const throws = (name: string, call: () => unknown, tag: SchedulerErrorTag, parameter: string): BadInput => [name, call, tag, parameter, 'throws'];

interface Outcome {
  readonly how: string;
  readonly tag?: unknown;
  readonly parameter?: unknown;
  readonly messageNamesParameter?: boolean;
  readonly hasAllowed?: boolean;
}

const described = (how: string, e: { _tag?: unknown; parameter?: unknown; message?: unknown; allowed?: unknown }): Outcome => ({
  how,
  tag: e._tag,
  parameter: e.parameter,
  messageNamesParameter: typeof e.message === 'string' && typeof e.parameter === 'string' && e.message.startsWith(`${e.parameter}: `),
  hasAllowed: typeof e.allowed === 'string' && e.allowed.length > 0,
});

/** What a call did, in a form whose diff says at once what went wrong. */
export const outcomeOf = async (call: () => unknown): Promise<Outcome> => {
  try {
    const r = await call();
    if (typeof r === 'object' && r !== null && E.isLeft(r as E.Either<unknown, unknown>)) {
      return described('left', (r as E.Left<Record<string, unknown>>).left);
    }
    return { how: `returned ${typeof r === 'object' && r !== null && '_tag' in r ? String((r as { _tag: unknown })._tag) : typeof r}` };
  } catch (e) {
    if (e instanceof SchedulerException) return described('throws', e.error);
    return { how: `threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}` };
  }
};

/** Runs a table: every row's outcome is exactly its mode, tag and parameter, with a message naming it. */
export const runBadInputs = (title: string, rows: ReadonlyArray<BadInput>): void => {
  describe(title, () => {
    it('has no two rows of the same name', () => {
      expect(new Set(rows.map(([name]) => name)).size).toBe(rows.length);
    });
    it.each(rows)('%s', async (_name, call, tag, parameter, mode) => {
      expect(await outcomeOf(call)).toEqual({ how: mode, tag, parameter, messageNamesParameter: true, hasAllowed: true });
    });
  });
};
