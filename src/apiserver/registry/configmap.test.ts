// ConfigMap strategy: ValidateConfigMap / ValidateConfigMapUpdate.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configMapStrategy } from './configmap.ts';
import { runCreate, runUpdate } from './strategy-harness.ts';

const cm = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, ...extra });

test('keys must be config keys; a key may not be in data and binaryData', () => {
  const r = runCreate(configMapStrategy(), cm({ data: { 'a/b': 'x', ok: '1' }, binaryData: { ok: 'AA==' } }));
  assert.equal(r.err!.message, `ConfigMap "cfg" is invalid: [data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+'), data[ok]: Invalid value: "ok": duplicate of key present in binaryData]`);
});

test('total size is limited to 1 MiB', () => {
  assert.equal(runCreate(configMapStrategy(), cm({ data: { a: 'x'.repeat(1024 * 1024) } })).err, undefined);
  assert.equal(runCreate(configMapStrategy(), cm({ data: { a: 'x'.repeat(1024 * 1024 + 1) } })).err!.message, 'ConfigMap "cfg" is invalid: : Too long: may not be more than 1048576 bytes');
});

test('an immutable ConfigMap keeps its data and its immutability', () => {
  const s = configMapStrategy();
  const created = runCreate(s, cm({ immutable: true, data: { a: '1' } })).obj;
  assert.equal(runUpdate(s, cm({ immutable: false, data: { a: '2' } }), created).err!.message,
    'ConfigMap "cfg" is invalid: [immutable: Forbidden: field is immutable when `immutable` is set, data: Forbidden: field is immutable when `immutable` is set]');
  assert.equal(runUpdate(s, cm({ immutable: true, data: { a: '1' }, metadata: { name: 'cfg', labels: { x: 'y' } } }), created).err, undefined);
});
