// Seed 000, "NodePort/Load Balancer service as a Headless service ... The answer is NO": examples/08-nodeport-headless.
// Every command of the example's README runs against a real `kubedisco server` and must print what the
// README shows, exit statuses included (walkthrough.ts); the checks hold the refusals to Kubernetes'
// messages (pkg/apis/core/validation ValidateService: "may not be set to 'None' for NodePort services";
// validateUpgradeDowngradeClusterIPs: "may not change once set") and to the API's 422 Invalid Status.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, tableRows } from '../harness.ts';
import { assertCleanedUp, exampleSteps, runSteps, startSession, stopSession, type Session } from './walkthrough.ts';

const NODEPORT_MESSAGE = 'The Service "my-nodeport" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services';
const LOADBALANCER_MESSAGE = 'The Service "my-loadbalancer" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services';
const IMMUTABLE_MESSAGE = 'The Service "my-service" is invalid: spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set';

let s: Session;
before(async () => { s = await startSession(); });
after(async () => { await stopSession(s); });

test('seed 000 §nodeport-headless: a NodePort (or LoadBalancer) Service with clusterIP None is refused with Kubernetes\' message; nothing is written', async (t) => {
  await runSteps(t, s, exampleSteps('08-nodeport-headless'), {
    'kubectl get svc my-service': (r, _s, n) => {
      const row = tableRows(r.stdout)[1];
      if (n === 1) assert.match(row[2], /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/, 'the normal Service has a ClusterIP');
      else assert.equal(row[2], 'None', 'the headless one has none');
    },
    'kubectl apply -f examples/08-nodeport-headless/my-service-headless.yaml   # exit status 1': (r) => assert.equal(r.stderr.trim(), IMMUTABLE_MESSAGE),
    'kubectl apply -f examples/08-nodeport-headless/nodeport-headless.yaml   # exit status 1': async (r, s) => {
      assert.equal(r.stderr.trim(), NODEPORT_MESSAGE);
      // The API's answer under kubectl: 422, a Status with reason Invalid and the field's cause.
      const res = await http(s.k, 'POST', '/api/v1/namespaces/default/services', JSON.stringify({
        apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-nodeport' },
        spec: { type: 'NodePort', clusterIP: 'None', selector: { app: 'MyApp' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 9376 }] },
      }));
      assert.equal(res.status, 422);
      assert.equal(res.json.reason, 'Invalid');
      assert.deepEqual(res.json.details.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: "None": may not be set to \'None\' for NodePort services', field: 'spec.clusterIPs[0]' }]);
    },
    'kubectl get svc my-nodeport   # exit status 1': (r) => assert.equal(r.stderr.trim(), 'Error from server (NotFound): services "my-nodeport" not found'),
    'kubectl apply -f examples/08-nodeport-headless/loadbalancer-headless.yaml   # exit status 1': (r) => assert.equal(r.stderr.trim(), LOADBALANCER_MESSAGE),
    'kubectl get svc my-nodeport': (r) => {
      const row = tableRows(r.stdout)[1];
      assert.equal(row[1], 'NodePort');
      assert.match(row[2], /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
      assert.match(row[4], /^80:(3[0-2]\d{3})\/TCP$/);
    },
  });
  await assertCleanedUp(s);
});
