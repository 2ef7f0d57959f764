import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResourcePath } from './request-info.ts';
import { StatusError } from '../api/status.ts';

// k8s.io/apiserver/pkg/endpoints/request/requestinfo.go, for the resources we serve.
const cases: Array<{ path: string; want?: [string, string, string, string]; notFound?: true; notResource?: true }> = [
  { path: '/api/v1/services', want: ['services', '', '', ''] },
  { path: '/api/v1/namespaces/default/services', want: ['services', 'default', '', ''] },
  { path: '/api/v1/namespaces/default/services/web', want: ['services', 'default', 'web', ''] },
  { path: '/api/v1/namespaces/default/services/web/status', want: ['services', 'default', 'web', 'status'] },
  { path: '/api/v1/namespaces/default/pods/p/binding', want: ['pods', 'default', 'p', 'binding'] },
  { path: '/api/v1/namespaces', want: ['namespaces', '', '', ''] },
  { path: '/api/v1/namespaces/foo', want: ['namespaces', '', 'foo', ''] },
  { path: '/api/v1/namespaces/foo/status', want: ['namespaces', '', 'foo', 'status'] },
  { path: '/api/v1/namespaces/foo/finalize', want: ['namespaces', '', 'foo', 'finalize'] },
  { path: '/apis/apps/v1/namespaces/default/statefulsets/web/scale', want: ['statefulsets', 'default', 'web', 'scale'] },
  { path: '/apis/apps/v1/deployments', want: ['deployments', '', '', ''] },
  { path: '/api/v1/nodes/n1', want: ['nodes', '', 'n1', ''] },
  { path: '/api/v1/namespaces/default/nodes/n1', notFound: true },
  { path: '/api/v1/namespaces/default/services/web/scale', notFound: true },
  { path: '/api/v1/namespaces/default/widgets', notFound: true },
  { path: '/api/v1/namespaces/default/services/web/status/extra', notFound: true },
  { path: '/api', notResource: true },
  { path: '/apis/apps/v1', notResource: true },
  { path: '/healthz', notResource: true },
];

for (const c of cases) {
  test(`parseResourcePath ${c.path}`, () => {
    if (c.notFound) {
      assert.throws(() => parseResourcePath(c.path), (e) => e instanceof StatusError && e.code === 404);
      return;
    }
    const r = parseResourcePath(c.path);
    if (c.notResource) { assert.equal(r, undefined); return; }
    assert.deepEqual([r!.info.plural, r!.namespace, r!.name, r!.subresource], c.want);
  });
}
