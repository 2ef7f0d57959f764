// createStrategies: one strategy per resource of RESOURCES, the right one for each kind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupResource, RESOURCES } from '../../api/resources.ts';
import { genericStrategy } from './generic.ts';
import { createStrategies } from './index.ts';
import { runCreate, runUpdate } from './strategy-harness.ts';

const CFG = { serviceCIDR: '10.96.0.0/12', nodePortRange: { min: 30000, max: 32767 } };

test('every resource has a strategy whose info is that resource', () => {
  const m = createStrategies(CFG);
  assert.equal(m.size, RESOURCES.length);
  for (const info of RESOURCES) assert.equal(m.get(groupResource(info))?.info, info, groupResource(info));
});

test('services get allocation; two registries do not share allocator state', () => {
  const a = createStrategies(CFG).get('services')!;
  const b = createStrategies(CFG).get('services')!;
  const svc = { metadata: { name: 'kubernetes' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] } };
  assert.equal(runCreate(a, svc).err, undefined);
  assert.equal(runCreate(b, svc).err, undefined);
});

test('genericStrategy: status is cleared on create and carried over on update for kinds with status', () => {
  const info = RESOURCES.find((r) => r.plural === 'replicasets')!;
  const s = genericStrategy(info);
  const created = runCreate(s, { metadata: { name: 'rs' }, spec: { replicas: 1 }, status: { replicas: 5 } }).obj;
  assert.equal(created.status, undefined);
  const updated = runUpdate(s, { metadata: { name: 'rs' }, spec: { replicas: 2 }, status: { replicas: 9 } }, { ...created, status: { replicas: 1 } }).obj;
  assert.deepEqual(updated.status, { replicas: 1 });
});
