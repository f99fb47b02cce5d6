import { Readable, Transform } from 'node:stream';
import { stringify } from 'csv-stringify';

/**
 * Characters that make a spreadsheet read a cell as a formula (or, for tab and carriage return,
 * let one slip past a naive check). Such cells get a leading apostrophe, which spreadsheets show
 * as text and hide.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet: formulas defused, everything else as is. */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV cell value: text (guarded), a number, a date (ISO 8601, UTC) or empty. */
export type CsvValue = string | number | boolean | Date | null | undefined;

/**
 * A CSV byte stream (header row, CRLF rows, RFC 4180 quoting for commas, quotes and newlines)
 * from rows produced lazily: each batch is pulled only when the reader wants more, so memory
 * stays flat however many rows there are.
 */
export function csvStream<Row>(
  columns: ReadonlyArray<{ header: string; value: (row: Row) => CsvValue }>,
  rows: AsyncIterable<Row>,
): Readable {
  const toRecord = new Transform({
    objectMode: true,
    transform(row: Row, _encoding, done) {
      done(
        null,
        columns.map((c) => c.value(row)),
      );
    },
  });
  const stringifier = stringify({
    header: true,
    columns: columns.map((c) => c.header),
    record_delimiter: 'windows',
    bom: false,
    // With CRLF rows csv-stringify only quotes cells holding the whole CRLF; a lone LF or CR
    // would still split the row in spreadsheets, so quote those too.
    quoted_match: /[\r\n]/,
    cast: {
      string: (value) => defuseFormula(value),
      date: (value) => value.toISOString(),
      boolean: (value) => (value ? 'true' : 'false'),
      number: (value) => String(value),
    },
  });
  const source = Readable.from(rows, { objectMode: true, highWaterMark: 16 });
  source.on('error', (error) => stringifier.destroy(error));
  toRecord.on('error', (error) => stringifier.destroy(error));
  return source.pipe(toRecord).pipe(stringifier);
}

/**
 * Rows of a table in keyset order, one batch at a time: `fetch(after)` returns the next `size`
 * rows after the last row of the previous batch (null for the first).
 */
export async function* keysetBatches<Row>(
  fetch: (after: Row | null, size: number) => Promise<Row[]>,
  size = 1000,
): AsyncGenerator<Row> {
  let after: Row | null = null;
  for (;;) {
    const batch = await fetch(after, size);
    for (const row of batch) yield row;
    if (batch.length < size) return;
    after = batch[batch.length - 1]!;
  }
}
