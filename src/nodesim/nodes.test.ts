// What a simulated node registers as (Node and Lease objects), and the layout checks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLease, buildNode, defaultCapacity, microTime, nodeConditions, nodeIdentity, nodeLayout, rfc3339 } from './nodes.ts';

const layout = nodeLayout({ nodes: 4, podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24, nodeIPCIDR: '10.240.0.0/16', namePrefix: 'kubedisco-node-' });

test('node identities: names, one /24 each, InternalIPs from 10.240.0.0/16, zones a/b/c in turn', () => {
  const ids = [0, 1, 2, 3].map((i) => nodeIdentity(layout, i));
  assert.deepEqual(ids.map((i) => [i.name, i.podCIDR, i.internalIP, i.zone]), [
    ['kubedisco-node-0', '10.244.0.0/24', '10.240.0.1', 'zone-a'],
    ['kubedisco-node-1', '10.244.1.0/24', '10.240.0.2', 'zone-b'],
    ['kubedisco-node-2', '10.244.2.0/24', '10.240.0.3', 'zone-c'],
    ['kubedisco-node-3', '10.244.3.0/24', '10.240.0.4', 'zone-a'],
  ]);
});

test('the Node object: labels, simulated annotation, podCIDR(s), Ready, addresses, capacity, nodeInfo', () => {
  const n = buildNode(nodeIdentity(layout, 1), defaultCapacity(110), '2026-08-04T13:00:00Z');
  assert.deepEqual(n.metadata, {
    name: 'kubedisco-node-1',
    labels: {
      'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'kubedisco-node-1',
      'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'kubedisco-sim', 'topology.kubernetes.io/zone': 'zone-b',
    },
    annotations: { 'nodesim.kubedisco.io/node': 'simulated' },
  });
  assert.deepEqual(n.spec, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
  assert.deepEqual(n.status!.addresses, [{ type: 'InternalIP', address: '10.240.0.2' }, { type: 'Hostname', address: 'kubedisco-node-1' }]);
  assert.equal(n.status!.capacity!.pods, '110');
  assert.deepEqual(n.status!.allocatable, n.status!.capacity);
  assert.deepEqual(n.status!.conditions!.find((c) => c.type === 'Ready'), {
    type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2026-08-04T13:00:00Z', lastTransitionTime: '2026-08-04T13:00:00Z',
  });
  assert.equal(n.status!.nodeInfo!.kubeletVersion, 'v1.32.4');
  assert.equal(n.status!.nodeInfo!.containerRuntimeVersion, 'kubedisco-sim://0.1.0');
});

test('a heartbeat refreshes lastHeartbeatTime and keeps lastTransitionTime', () => {
  const first = nodeConditions('2026-08-04T13:00:00Z');
  const later = nodeConditions('2026-08-04T13:05:00Z', first);
  for (const c of later) {
    assert.equal(c.lastHeartbeatTime, '2026-08-04T13:05:00Z');
    assert.equal(c.lastTransitionTime, '2026-08-04T13:00:00Z');
  }
});

test('the node Lease (kubelet nodelease): holder = node, 40 s, MicroTime renewTime, owned by the Node', () => {
  const now = Date.parse('2026-08-04T13:00:00.123Z');
  assert.deepEqual(buildLease({ name: 'kubedisco-node-0', uid: 'n-uid' }, 40, now), {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'kubedisco-node-0', namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'kubedisco-node-0', uid: 'n-uid' }] },
    spec: { holderIdentity: 'kubedisco-node-0', leaseDurationSeconds: 40, renewTime: '2026-08-04T13:00:00.123000Z' },
  });
  assert.equal(microTime(0), '1970-01-01T00:00:00.000000Z');
  assert.equal(rfc3339(Date.parse('2026-08-04T13:00:00.999Z')), '2026-08-04T13:00:00Z');
});

test('layout errors name the problem before anything is written', () => {
  assert.throws(() => nodeLayout({ nodes: 3, podCIDR: '10.244.0.0', nodeCIDRMaskSize: 24, nodeIPCIDR: '10.240.0.0/16', namePrefix: 'n-' }), /pod CIDR: expected an IPv4 CIDR/);
  assert.throws(() => nodeLayout({ nodes: 3, podCIDR: '10.244.0.0/23', nodeCIDRMaskSize: 24, nodeIPCIDR: '10.240.0.0/16', namePrefix: 'n-' }), /room for 2 node subnets/);
  assert.throws(() => nodeLayout({ nodes: 300, podCIDR: '10.0.0.0/8', nodeCIDRMaskSize: 24, nodeIPCIDR: '10.240.0.0/24', namePrefix: 'n-' }), /node IP range 10.240.0.0\/24 has addresses for 254 nodes; node 299 does not fit/);
});
