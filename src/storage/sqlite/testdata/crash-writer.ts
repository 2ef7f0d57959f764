// Child process for crash.test.ts: 16 concurrent writers create and update keys on a SqliteBackend
// and print every acknowledged write as "<key> <revision> <n>" the moment its promise resolves, until
// the parent SIGKILLs this process. Usage: node crash-writer.ts <db file> <compact: 0|1>
import fs from 'node:fs';
import { SqliteBackend } from '../sqlite-backend.ts';

const [file, compact] = process.argv.slice(2);
const backend = SqliteBackend.open(file, {
  autoCompact: compact === '1' ? { keepRevisions: 300, intervalMs: 25 } : false,
  compactBatchSize: 50,
});
const ack = (line: string) => fs.writeSync(1, line + '\n');

// Never outlive a parent that forgot us.
setTimeout(() => process.exit(3), 30_000).unref();
ack('ready');

await Promise.all(Array.from({ length: 16 }, async (_, w) => {
  for (let i = 0; i < 100_000; i++) {
    const key = `/crash/w${w}/${i}`;
    let rev = await backend.create(key, `${key}#0`);
    ack(`${key} ${rev} 0`);
    for (let n = 1; n <= 2; n++) {
      rev = await backend.update(key, `${key}#${n}`, rev);
      ack(`${key} ${rev} ${n}`);
    }
  }
}));
