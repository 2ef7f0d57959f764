// `kubedisco wait`: its argument parsing and what it counts as ready or running. The command against a real
// server runs in test/e2e/scenarios/06-redis-ha-unready.test.ts and 09-step-by-step.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/meta.ts';
import { UsageError } from './server.ts';
import { parseTimeout, parseWaitTarget, podView } from './wait.ts';

test('parseWaitTarget: statefulset and deployment by kubectl\'s names and short names (apps/v1)', () => {
  for (const [arg, plural, name] of [
    ['statefulset/cassandra', 'statefulsets', 'cassandra'],
    ['statefulsets/cassandra', 'statefulsets', 'cassandra'],
    ['sts/redis-ha-server', 'statefulsets', 'redis-ha-server'],
    ['statefulset.apps/cassandra', 'statefulsets', 'cassandra'],
    ['deployment/app', 'deployments', 'app'],
    ['deploy/my.app', 'deployments', 'my.app'],
  ] as const) {
    const t = parseWaitTarget(arg);
    assert.deepEqual([t.info.group, t.info.plural, t.name], ['apps', plural, name], arg);
  }
  for (const bad of ['pod/x', 'statefulset', 'statefulset/', 'cassandra', 'statefulset/Cassandra', 'replicaset/x']) {
    assert.throws(() => parseWaitTarget(bad), UsageError, bad);
  }
});

test('parseTimeout: Go durations as kubectl --timeout takes them', () => {
  for (const [s, ms] of [['500ms', 500], ['90s', 90_000], ['2m', 120_000], ['1m30s', 90_000], ['1h', 3_600_000], ['1.5s', 1500]] as const) {
    assert.equal(parseTimeout(s), ms, s);
  }
  for (const bad of ['', '60', 's', '1x', '1m 30s', '-1s']) assert.throws(() => parseTimeout(bad), UsageError, bad);
});

test('podView: ready is the Ready condition True (kubelet); running is phase Running with an IP', () => {
  const pod = (status: object): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n' }, status } as KObject);
  const cases: Array<[string, object, boolean, boolean]> = [
    ['pending, no IP', { phase: 'Pending' }, false, false],
    ['pending with IP', { phase: 'Pending', podIP: '10.244.0.2' }, false, false],
    ['running, not ready (failing probe)', { phase: 'Running', podIP: '10.244.0.2', conditions: [{ type: 'Ready', status: 'False' }] }, false, true],
    ['running and ready', { phase: 'Running', podIP: '10.244.0.2', conditions: [{ type: 'ContainersReady', status: 'True' }, { type: 'Ready', status: 'True' }] }, true, true],
    ['running without IP', { phase: 'Running' }, false, false],
  ];
  for (const [name, status, ready, running] of cases) {
    assert.equal(podView(pod(status), 'ready').ok, ready, `${name}: ready`);
    assert.equal(podView(pod(status), 'running').ok, running, `${name}: running`);
  }
  assert.deepEqual(podView(pod({ phase: 'Running', podIP: '10.244.0.2' }), 'running'), { name: 'p', ok: true, ip: '10.244.0.2', node: 'n', phase: 'Running' });
});
