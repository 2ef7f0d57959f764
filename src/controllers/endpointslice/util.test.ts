// Table tests of the helpers the endpoint controllers share: trigger times (semantics §3.10), the slice tracker,
// the selector index and which Services a pod change concerns (endpointslice/util/controller_utils.go).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import { ServiceSelectorIndex } from './indexes.ts';
import { pod, slice, svc } from './testing.ts';
import { EndpointSliceTracker } from './tracker.ts';
import { TriggerTimeTracker } from './trigger-time.ts';
import { findPort, formatRFC3339Nano, podEndpointsChanged, servicesToUpdateOnPodChange } from './util.ts';

describe('TriggerTimeTracker (trigger_time_tracker.go, §3.10)', () => {
  test('first sync: the Service creationTimestamp; then the earliest changed Ready time; nothing changed: none', () => {
    const t = new TriggerTimeTracker();
    const s = svc({ creationTimestamp: '2026-01-01T00:00:00Z' });
    const p1 = pod('p1', { readyAt: '2026-01-01T00:01:00Z' });
    const p2 = pod('p2', { readyAt: '2026-01-01T00:02:00Z' });
    assert.equal(t.compute('default/web', s, [p1, p2]), '2026-01-01T00:00:00Z');
    assert.equal(t.compute('default/web', s, [p1, p2]), '');
    const p1b = pod('p1', { readyAt: '2026-01-01T00:05:00Z' });
    const p2b = pod('p2', { readyAt: '2026-01-01T00:04:00Z' });
    assert.equal(t.compute('default/web', s, [p1b, p2b]), '2026-01-01T00:04:00Z');
    assert.equal(t.compute('default/web', s, [p1b, p2b, pod('p3', { readyAt: '2026-01-01T00:03:00Z' })]), '2026-01-01T00:03:00Z', 'a new pod counts');
    t.deleteService('default/web');
    assert.equal(t.compute('default/web', s, [p1b]), '2026-01-01T00:00:00Z', 'forgotten: first sync again');
  });

  test('RFC3339Nano: no fraction at second precision, trailing zeros dropped otherwise', () => {
    assert.equal(formatRFC3339Nano(Date.parse('2026-08-04T13:01:58Z')), '2026-08-04T13:01:58Z');
    assert.equal(formatRFC3339Nano(Date.parse('2026-08-04T13:01:58.120Z')), '2026-08-04T13:01:58.12Z');
  });
});

describe('EndpointSliceTracker (endpointslice_tracker.go)', () => {
  const withRV = (s: EndpointSlice, rv: string) => ({ ...s, metadata: { ...s.metadata, resourceVersion: rv } });
  test('our own write does not sync; a newer one does; an untracked one does', () => {
    const tr = new EndpointSliceTracker();
    const a = slice('web-a', [], { rv: '10' });
    assert.equal(tr.shouldSync(a), true);
    tr.update(a);
    assert.equal(tr.shouldSync(a), false);
    assert.equal(tr.shouldSync(withRV(a, '9')), false);
    assert.equal(tr.shouldSync(withRV(a, '11')), true);
  });
  test('stale cache: older than written, written but missing, or expected gone but present', () => {
    const tr = new EndpointSliceTracker();
    const a = slice('web-a', [], { rv: '10' });
    const b = slice('web-b', [], { rv: '12' });
    tr.update(a);
    tr.update(b);
    assert.equal(tr.staleSlices('default/web', [a, b]), false);
    assert.equal(tr.staleSlices('default/web', [withRV(a, '9'), b]), true);
    assert.equal(tr.staleSlices('default/web', [a]), true);
    tr.expectDeletion(b);
    assert.equal(tr.staleSlices('default/web', [a, b]), true);
    assert.equal(tr.staleSlices('default/web', [a]), false);
    assert.equal(tr.handleDeletion(b), true, 'expected deletion: no sync');
    assert.equal(tr.handleDeletion(a), false, 'unexpected deletion: sync');
    assert.equal(tr.has(a), false);
  });
});

describe('which Services a pod change concerns (GetServicesToUpdateOnPodChange)', () => {
  const idx = new ServiceSelectorIndex();
  idx.set('default/web', 'default', { app: 'web' });
  idx.set('default/web-v2', 'default', { app: 'web', v: '2' });
  idx.set('default/db', 'default', { app: 'db' });
  idx.set('other/web', 'other', { app: 'web' });
  idx.set('default/none', 'default', undefined);
  const of = (p: ReturnType<typeof pod>) => idx.servicesFor(p.metadata.namespace ?? '', p.metadata.labels).sort();
  const rv = (p: ReturnType<typeof pod>, v: string) => ({ ...p, metadata: { ...p.metadata, resourceVersion: v } });

  test('the index finds matching Services of the pod namespace only', () => {
    assert.deepEqual(of(pod('p', { labels: { app: 'web', v: '2' } })), ['default/web', 'default/web-v2']);
    assert.deepEqual(of(pod('p', { labels: { app: 'web' } })), ['default/web']);
    assert.deepEqual(of(pod('p', { labels: { x: 'y' } })), []);
  });

  const cases: Array<[string, Parameters<typeof pod>[1], Parameters<typeof pod>[1], string[]]> = [
    ['readiness flipped: the pod\'s Services', { labels: { app: 'web' } }, { labels: { app: 'web' }, ready: false }, ['default/web']],
    ['IP changed', { labels: { app: 'web' } }, { labels: { app: 'web' }, ip: '10.9.9.9' }, ['default/web']],
    ['terminating', { labels: { app: 'web' } }, { labels: { app: 'web' }, deleting: true }, ['default/web']],
    ['went Failed while unready', { labels: { app: 'web' }, ready: false }, { labels: { app: 'web' }, ready: false, phase: 'Failed' }, ['default/web']],
    ['nothing relevant changed', { labels: { app: 'web' } }, { labels: { app: 'web' }, readyAt: '2030-01-01T00:00:00Z' }, []],
    ['labels only: the symmetric difference', { labels: { app: 'web' } }, { labels: { app: 'db' } }, ['default/db', 'default/web']],
    ['labels only, gaining v=2: only the new Service', { labels: { app: 'web' } }, { labels: { app: 'web', v: '2' } }, ['default/web-v2']],
    ['labels and readiness: old and new Services', { labels: { app: 'web' } }, { labels: { app: 'db' }, ready: false }, ['default/db', 'default/web']],
  ];
  for (const [name, a, b, want] of cases) {
    test(name, () => {
      assert.deepEqual([...servicesToUpdateOnPodChange(rv(pod('p1', a), '1'), rv(pod('p1', b), '2'), (p) => idx.servicesFor(p.metadata.namespace ?? '', p.metadata.labels))].sort(), want);
    });
  }

  test('same resourceVersion (a relist): nothing', () => {
    assert.deepEqual([...servicesToUpdateOnPodChange(pod('p1'), pod('p1', { ready: false }), () => ['x'])], []);
  });

  test('podEndpointsChanged reports [podChanged, labelsChanged]', () => {
    assert.deepEqual(podEndpointsChanged(pod('p1'), pod('p1', { ready: false })), [true, false]);
    assert.deepEqual(podEndpointsChanged(pod('p1'), pod('p1', { labels: { app: 'x' } })), [false, true]);
  });

  test('a Service whose selector changes moves between buckets', () => {
    const i2 = new ServiceSelectorIndex();
    i2.set('default/s', 'default', { app: 'a' });
    i2.set('default/s', 'default', { app: 'b' });
    assert.deepEqual(i2.servicesFor('default', { app: 'a' }), []);
    assert.deepEqual(i2.servicesFor('default', { app: 'b' }), ['default/s']);
    i2.delete('default/s');
    assert.deepEqual(i2.servicesFor('default', { app: 'b' }), []);
    assert.equal(i2.size, 0);
  });
});

describe('FindPort (pkg/api/v1/pod/util.go)', () => {
  const p = pod('p1', { ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });
  const cases: Array<[string, Parameters<typeof findPort>[1], number | undefined]> = [
    ['integer targetPort', { port: 80, targetPort: 9376, protocol: 'TCP' }, 9376],
    ['named targetPort', { port: 80, targetPort: 'http', protocol: 'TCP' }, 8080],
    ['named, protocol must match', { port: 53, targetPort: 'dns', protocol: 'TCP' }, undefined],
    ['named UDP', { port: 53, targetPort: 'dns', protocol: 'UDP' }, 53],
    ['unknown name', { port: 80, targetPort: 'nope', protocol: 'TCP' }, undefined],
  ];
  for (const [name, sp, want] of cases) test(name, () => assert.equal(findPort(p, sp), want));

  test('a restartable init container (sidecar) port counts; a plain init container does not', () => {
    const q = pod('q', { ports: [] });
    q.spec!.initContainers = [
      { name: 'init', image: 'i', ports: [{ name: 'a', containerPort: 1 }] },
      { name: 'side', image: 's', restartPolicy: 'Always', ports: [{ name: 'b', containerPort: 2 }] } as never,
    ];
    assert.equal(findPort(q, { port: 1, targetPort: 'a', protocol: 'TCP' }), undefined);
    assert.equal(findPort(q, { port: 2, targetPort: 'b', protocol: 'TCP' }), 2);
  });
});
