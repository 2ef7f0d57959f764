// The kubelet's condition rules (pkg/kubelet/status/generate.go, v1.32; semantics §7.1), case by case.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod, PodStatus } from '../api/types/pod.ts';
import { conditionsOutOfSync, conditionsPatch, kubeletConditions } from './kubelet-status.ts';

const NOW = '2026-08-04T13:02:00Z';
const cs = (name: string, over: Partial<ContainerStatus> = {}): ContainerStatus => ({ name, ready: true, restartCount: 0, image: 'i', imageID: 'i', started: true, state: { running: { startedAt: NOW } }, ...over });
const pod = (spec: Partial<NonNullable<Pod['spec']>>, status: PodStatus): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }], ...spec }, status });
const brief = (p: Pod) => Object.fromEntries(kubeletConditions(p, p.status!, NOW).map((c) => [c.type, [c.status, c.reason ?? '', c.message ?? ''].join(' | ').replace(/( \| )+$/, '')]));

const cases: Array<[string, Pod, Record<string, string>]> = [
  ['no container statuses yet: UnknownContainerStatuses', pod({}, { phase: 'Pending' }), {
    PodReadyToStartContainers: 'False', Initialized: 'True', Ready: 'False | UnknownContainerStatuses', ContainersReady: 'False | UnknownContainerStatuses', PodScheduled: 'True',
  }],
  ['a container without a status is unknown, an unready one unready (messages joined by ", ")',
    pod({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }, { phase: 'Running', podIP: '10.244.0.2', containerStatuses: [cs('a', { ready: false }), cs('b')] }), {
      PodReadyToStartContainers: 'True', Initialized: 'True',
      Ready: 'False | ContainersNotReady | containers with unknown status: [c], containers with unready status: [a]',
      ContainersReady: 'False | ContainersNotReady | containers with unknown status: [c], containers with unready status: [a]', PodScheduled: 'True',
    }],
  ['two readiness gates, one missing, one False', pod({ readinessGates: [{ conditionType: 'x.io/a' }, { conditionType: 'x.io/b' }] }, {
    phase: 'Running', podIP: '10.244.0.2', containerStatuses: [cs('a')], conditions: [{ type: 'x.io/b', status: 'False' }],
  }), {
    PodReadyToStartContainers: 'True', Initialized: 'True',
    Ready: 'False | ReadinessGatesNotReady | corresponding condition of pod readiness gate "x.io/a" does not exist., the status of pod readiness gate "x.io/b" is not "True", but False',
    ContainersReady: 'True', PodScheduled: 'True',
  }],
  ['Succeeded: PodCompleted, sandbox gone', pod({}, { phase: 'Succeeded', podIP: '10.244.0.2', containerStatuses: [cs('a', { ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } })] }), {
    PodReadyToStartContainers: 'False', Initialized: 'True', Ready: 'False | PodCompleted', ContainersReady: 'False | PodCompleted', PodScheduled: 'True',
  }],
  ['an init container not done yet, a sidecar not started', pod({ initContainers: [{ name: 'init' }, { name: 'side', restartPolicy: 'Always' }] }, {
    phase: 'Pending', podIP: '10.244.0.2', initContainerStatuses: [cs('init', { ready: false, state: { running: {} } }), cs('side', { ready: false, started: false, state: { waiting: {} } })],
    containerStatuses: [cs('a', { ready: false, started: false, state: { waiting: { reason: 'PodInitializing' } } })],
  }), {
    PodReadyToStartContainers: 'True', Initialized: 'False | ContainersNotInitialized | containers with incomplete status: [init side]',
    Ready: 'False | ContainersNotReady | containers with unready status: [side a]', ContainersReady: 'False | ContainersNotReady | containers with unready status: [side a]', PodScheduled: 'True',
  }],
  ['once a regular container ran, the pod stays initialized', pod({ initContainers: [{ name: 'init' }] }, {
    phase: 'Running', podIP: '10.244.0.2', initContainerStatuses: [cs('init', { ready: false, state: { waiting: {} } })], containerStatuses: [cs('a')],
  }), { PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' }],
];

for (const [name, p, want] of cases) test(`kubelet conditions: ${name}`, () => assert.deepEqual(brief(p), want));

test('lastTransitionTime is kept while a condition keeps its status (status manager updateLastTransitionTime)', () => {
  const p = pod({}, { phase: 'Running', podIP: '10.244.0.2', containerStatuses: [cs('a')], conditions: [
    { type: 'Ready', status: 'True', lastTransitionTime: '2026-08-04T13:00:00Z' },
    { type: 'ContainersReady', status: 'False', lastTransitionTime: '2026-08-04T13:00:00Z' },
  ] });
  const got = Object.fromEntries(kubeletConditions(p, p.status!, NOW).map((c) => [c.type, c.lastTransitionTime]));
  assert.equal(got.Ready, '2026-08-04T13:00:00Z');
  assert.equal(got.ContainersReady, NOW);
});

test('the patch clears a stale reason and message (null) and orders foreign conditions first', () => {
  const p = pod({ readinessGates: [{ conditionType: 'x.io/a' }] }, { phase: 'Running', podIP: '10.244.0.2', containerStatuses: [cs('a')], conditions: [
    { type: 'PodScheduled', status: 'True' },
    { type: 'x.io/a', status: 'True' },
    { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: 'm' },
  ] });
  assert.equal(conditionsOutOfSync(p), true);
  const patch = conditionsPatch(p, p.status!, NOW) as { conditions: Array<Record<string, unknown>>; '$setElementOrder/conditions': unknown };
  assert.deepEqual(patch['$setElementOrder/conditions'], [{ type: 'x.io/a' }, { type: 'PodReadyToStartContainers' }, { type: 'Initialized' }, { type: 'Ready' }, { type: 'ContainersReady' }, { type: 'PodScheduled' }]);
  const ready = patch.conditions.find((c) => c.type === 'Ready')!;
  assert.equal(ready.status, 'True');
  assert.equal(ready.reason, null);
  assert.equal(ready.message, null);
  assert.equal('reason' in patch.conditions.find((c) => c.type === 'Initialized')!, false, 'nothing to clear, nothing sent');
});
