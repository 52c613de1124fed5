/**
 * Prints the content hash of a database (src/store/content-hash.ts) as JSON: per table and all.
 * Usage: node dist/scripts/db-hash.js DB
 */
import { contentHash } from '../src/store/content-hash.js';
import { openDb } from '../src/store/db.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node dist/scripts/db-hash.js DB\n');
  process.exit(2);
}
const db = openDb(file, { readonly: true });
try {
  process.stdout.write(JSON.stringify({ db: file, ...contentHash(db) }, null, 2) + '\n');
} finally {
  db.close();
}
