/**
 * A 5x7 bitmap font for the digits 0-9: the demo's training data and the labels of its pictures.
 * Each digit is 7 rows of 5 characters, `#` for ink.
 */
const ROWS: ReadonlyArray<ReadonlyArray<string>> = [
  ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
  ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
];

/** The width of a digit of {@link digitBitmap}. */
export const DIGIT_WIDTH = 5;
/** The height of a digit of {@link digitBitmap}. */
export const DIGIT_HEIGHT = 7;

/**
 * The bitmap of a digit as 35 zeros and ones, row by row (5 wide, 7 high); undefined for anything but
 * an integer 0-9.
 *
 * @example
 * ```ts
 * digitBitmap(1)?.slice(0, 5) // [0, 0, 1, 0, 0]
 * ```
 */
export const digitBitmap = (digit: number): ReadonlyArray<number> | undefined => {
  const rows = Number.isInteger(digit) ? ROWS[digit] : undefined;
  if (rows === undefined) return undefined;
  return Object.freeze(rows.flatMap((row) => [...row].map((c) => (c === '#' ? 1 : 0))));
};
