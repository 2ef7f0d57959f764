// Generic ObjectMeta validation (apimachinery/pkg/api/validation/objectmeta.go): rules and messages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import { findResource, type ResourceInfo } from '../../api/resources.ts';
import { fieldErrorString } from '../../api/status.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';

const services = findResource('', 'v1', 'services')!;
const namespaces = findResource('', 'v1', 'namespaces')!;
const pods = findResource('', 'v1', 'pods')!;

function errs(info: ResourceInfo, metadata: KObject['metadata']): string[] {
  return validateObjectMeta({ metadata }, info, true).map(fieldErrorString);
}

const createCases: Array<{ name: string; info: ResourceInfo; metadata: KObject['metadata']; want: string[] }> = [
  { name: 'valid namespaced object', info: pods, metadata: { name: 'web-0', namespace: 'default' }, want: [] },
  { name: 'name or generateName required', info: pods, metadata: { namespace: 'default' }, want: ['metadata.name: Required value: name or generateName is required'] },
  { name: 'namespace required for namespaced kinds', info: pods, metadata: { name: 'p' }, want: ['metadata.namespace: Required value'] },
  { name: 'namespace forbidden on cluster-scoped kinds', info: namespaces, metadata: { name: 'foo', namespace: 'default' }, want: ['metadata.namespace: Forbidden: not allowed on this type'] },
  {
    name: 'bad namespace name', info: pods, metadata: { name: 'p', namespace: 'Foo' },
    want: [`metadata.namespace: Invalid value: "Foo": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
  },
  {
    name: 'generateName checked as a prefix, the generated name as a name', info: services, metadata: { generateName: 'Web-', name: 'Web-x2b4c', namespace: 'default' },
    want: [
      `metadata.generateName: Invalid value: "Web-": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      `metadata.name: Invalid value: "Web-x2b4c": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ],
  },
  { name: 'generateName ending in a dash is fine', info: services, metadata: { generateName: 'web-', name: 'web-x2b4c', namespace: 'default' }, want: [] },
  { name: 'negative generation', info: pods, metadata: { name: 'p', namespace: 'default', generation: -1 }, want: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'] },
  {
    name: 'annotations over 256 KiB', info: pods, metadata: { name: 'p', namespace: 'default', annotations: { big: 'x'.repeat(262144) } },
    want: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
  },
  {
    name: 'ownerReferences: every field required, path not indexed', info: pods,
    metadata: { name: 'p', namespace: 'default', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
    want: [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ],
  },
  {
    name: 'ownerReferences: at most one controller', info: pods,
    metadata: {
      name: 'p', namespace: 'default', ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'b', uid: '2', controller: true },
      ],
    },
    want: ['metadata.ownerReferences: Invalid value: []v1.OwnerReference{v1.OwnerReference{APIVersion:"apps/v1", Kind:"ReplicaSet", Name:"a", UID:"1", Controller:(*bool)(true), BlockOwnerDeletion:(*bool)(nil)}, v1.OwnerReference{APIVersion:"apps/v1", Kind:"StatefulSet", Name:"b", UID:"2", Controller:(*bool)(true), BlockOwnerDeletion:(*bool)(nil)}}: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and StatefulSet/b'],
  },
  {
    name: 'an Event may not own anything', info: pods,
    metadata: { name: 'p', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1' }] },
    want: ['metadata.ownerReferences: Invalid value: v1.OwnerReference{APIVersion:"v1", Kind:"Event", Name:"e", UID:"1", Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is disallowed from being an owner'],
  },
  {
    name: 'finalizers: orphan and foregroundDeletion exclude each other; bare names must be standard', info: pods,
    metadata: { name: 'p', namespace: 'default', finalizers: ['orphan', 'foregroundDeletion', 'custom'] },
    want: [
      'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion", "custom"}: finalizer orphan and foregroundDeletion cannot be both set',
      'metadata.finalizers[2]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ],
  },
  { name: 'qualified finalizer is fine', info: pods, metadata: { name: 'p', namespace: 'default', finalizers: ['example.com/cleanup'] }, want: [] },
];

for (const c of createCases) test(`ValidateObjectMeta: ${c.name}`, () => assert.deepEqual(errs(c.info, c.metadata), c.want));

const base = { name: 'p', namespace: 'default', uid: 'u1', creationTimestamp: '2026-08-04T13:01:58Z', resourceVersion: '5', generation: 2 };

const updateCases: Array<{ name: string; next: Partial<KObject['metadata']>; old?: Partial<KObject['metadata']>; want: string[] }> = [
  { name: 'unchanged', next: {}, want: [] },
  { name: 'name immutable', next: { name: 'q' }, want: ['metadata.name: Invalid value: "q": field is immutable'] },
  { name: 'namespace immutable', next: { namespace: 'other' }, want: ['metadata.namespace: Invalid value: "other": field is immutable'] },
  { name: 'uid immutable', next: { uid: 'u2' }, want: ['metadata.uid: Invalid value: "u2": field is immutable'] },
  { name: 'creationTimestamp immutable, printed as metav1.Time', next: { creationTimestamp: '2026-08-05T00:00:00Z' }, want: ['metadata.creationTimestamp: Invalid value: 2026-08-05 00:00:00 +0000 UTC: field is immutable'] },
  { name: 'deletionGracePeriodSeconds immutable', next: { deletionGracePeriodSeconds: 5 }, want: ['metadata.deletionGracePeriodSeconds: Invalid value: 5: field is immutable'] },
  { name: 'generation may not go down', next: { generation: 1 }, want: ['metadata.generation: Invalid value: 1: must not be decremented'] },
  {
    name: 'no new finalizers once deleting', old: { deletionTimestamp: '2026-08-04T14:00:00Z', finalizers: ['a.io/x'] },
    next: { deletionTimestamp: '2026-08-04T14:00:00Z', finalizers: ['a.io/x', 'b.io/y'] },
    want: ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}'],
  },
];

for (const c of updateCases) {
  test(`ValidateObjectMetaUpdate: ${c.name}`, () => {
    const old = { metadata: { ...base, ...(c.old ?? {}) } } as KObject;
    const next = { metadata: { ...base, ...(c.old ?? {}), ...c.next } } as KObject;
    assert.deepEqual(validateObjectMetaUpdate(next, old, pods).map(fieldErrorString), c.want);
  });
}
