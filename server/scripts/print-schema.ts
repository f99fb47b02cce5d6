// Prints the Pothos schema, sorted, to schema.graphql; with --check, fails when the file is stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.ts';

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema.graphql');
const printed = `${printSchema(schema)}\n`;
const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';

if (process.argv.includes('--check')) {
  if (current !== printed) {
    console.error('schema.graphql is out of date: run `npm run schema:print` and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql is up to date.');
} else if (current !== printed) {
  fs.writeFileSync(target, printed);
  console.log('schema.graphql updated.');
} else {
  console.log('schema.graphql unchanged.');
}
