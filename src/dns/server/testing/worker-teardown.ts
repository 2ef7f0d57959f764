// Run as its own process by server.test.ts: worker threads that alone load the native UDP addon, bind, and
// are terminated (twice as many as the old code survived). Before the addon waited for its close callback
// at environment teardown (napi_add_async_cleanup_hook), the callback ran after the worker unloaded the
// addon: SIGSEGV. Exit code 0 and "ok" mean every teardown was clean.

import { Worker } from 'node:worker_threads';

const code = `
  const { parentPort } = require('node:worker_threads');
  const { createRequire } = require('node:module');
  const addon = createRequire(${JSON.stringify(import.meta.url)})('../native/udp-batch.node');
  const b = (n) => new Uint8Array(n);
  const h = addon.open('127.0.0.1', 0, true, b(addon.BATCH * addon.SLOT), new Int32Array(addon.BATCH), b(addon.BATCH * addon.ADDR),
    b(addon.BATCH * addon.SLOT), new Int32Array(addon.BATCH), () => {});
  parentPort.postMessage(addon.port(h));
`;
for (let i = 0; i < 6; i++) {
  const w = new Worker(code, { eval: true });
  await new Promise((res, rej) => { w.once('message', res); w.once('error', rej); });
  await w.terminate();
}
process.stdout.write('ok\n');
