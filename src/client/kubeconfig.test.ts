// kubeconfig parsing (client-go tools/clientcmd): contexts, merging of KUBECONFIG lists, base64 data
// fields, relative paths, in-cluster config.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfigError, configForServer, inClusterConfig, loadKubeConfig, parseKubeConfig } from './kubeconfig.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const twoContexts = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${b64('-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n')}
    tls-server-name: kubernetes
- name: insecure
  cluster:
    server: http://127.0.0.1:8080/prefix
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    client-certificate-data: ${b64('CERT')}
    client-key-data: ${b64('KEY')}
- name: bot
  user:
    token: abc.def
contexts:
- name: dev
  context:
    cluster: local
    user: admin
    namespace: team-a
- name: ci
  context:
    cluster: insecure
    user: bot
- name: broken
  context:
    cluster: missing
    user: bot
`;

test('current-context: cluster, user and namespace of that context', () => {
  const c = parseKubeConfig(twoContexts);
  assert.equal(c.server, 'https://127.0.0.1:6443');
  assert.equal(c.namespace, 'team-a');
  assert.equal(c.contextName, 'dev');
  assert.equal(c.clusterName, 'local');
  assert.equal(c.userName, 'admin');
  assert.deepEqual(c.tls, {
    caData: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
    certData: 'CERT',
    keyData: 'KEY',
    serverName: 'kubernetes',
  });
  assert.deepEqual(c.auth, {});
});

test('explicit context overrides current-context; namespace defaults to "default"', () => {
  const c = parseKubeConfig(twoContexts, { context: 'ci' });
  assert.equal(c.server, 'http://127.0.0.1:8080/prefix');
  assert.equal(c.namespace, 'default');
  assert.deepEqual(c.tls, { insecureSkipTLSVerify: true });
  assert.deepEqual(c.auth, { token: 'abc.def' });
});

const errorCases: Array<{ name: string; text: string; context?: string; err: string }> = [
  { name: 'unknown context', text: twoContexts, context: 'nope', err: 'context was not found for specified context: nope' },
  { name: 'context pointing at a missing cluster', text: twoContexts, context: 'broken', err: 'cluster "missing" not found' },
  { name: 'empty file', text: '', err: 'invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable' },
  { name: 'no current-context', text: 'clusters:\n- name: a\n  cluster: {server: "http://x"}\n', err: 'invalid configuration: no context chosen' },
  {
    name: 'cluster without server',
    text: 'current-context: c\nclusters:\n- name: a\n  cluster: {}\ncontexts:\n- name: c\n  context: {cluster: a}\n',
    err: 'invalid configuration: cluster has no server defined',
  },
];
for (const tc of errorCases) {
  test(`error: ${tc.name}`, () => {
    assert.throws(() => parseKubeConfig(tc.text, { context: tc.context }), (e: unknown) => e instanceof KubeConfigError && e.message === tc.err);
  });
}

test('loadKubeConfig: KUBECONFIG list merged, first definition wins, relative paths against each file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubedisco-kc-'));
  try {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'config'), `
current-context: first
clusters:
- name: c1
  cluster: {server: "https://first", certificate-authority: ca.crt}
contexts:
- name: first
  context: {cluster: c1, user: u1}
users:
- name: u1
  user: {client-certificate: certs/u1.crt, client-key: /abs/u1.key, tokenFile: tok}
`);
    writeFileSync(join(dir, 'b', 'config'), `
current-context: second
clusters:
- name: c1
  cluster: {server: "https://shadowed"}
- name: c2
  cluster: {server: "https://second"}
contexts:
- name: second
  context: {cluster: c2, namespace: ns2}
`);
    const env = { KUBECONFIG: [join(dir, 'a', 'config'), join(dir, 'missing'), join(dir, 'b', 'config')].join(delimiter) };
    const c = loadKubeConfig({ env });
    assert.equal(c.server, 'https://first', 'current-context from the first file, c1 from the first file');
    assert.equal(c.tls.caFile, join(dir, 'a', 'ca.crt'));
    assert.equal(c.tls.certFile, join(dir, 'a', 'certs', 'u1.crt'));
    assert.equal(c.tls.keyFile, '/abs/u1.key');
    assert.equal(c.auth.tokenFile, join(dir, 'a', 'tok'));
    const s = loadKubeConfig({ env, context: 'second' });
    assert.equal(s.server, 'https://second');
    assert.equal(s.namespace, 'ns2');
    assert.throws(() => loadKubeConfig({ path: join(dir, 'missing') }), /error loading config file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loadKubeConfig: YAML syntax errors name the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubedisco-kc-'));
  try {
    writeFileSync(join(dir, 'bad'), 'clusters: [\n');
    assert.throws(() => loadKubeConfig({ path: join(dir, 'bad') }), (e: unknown) => e instanceof KubeConfigError && e.message.startsWith(`error loading config file "${join(dir, 'bad')}"`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inClusterConfig: service env + service-account files; outside a pod it says why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubedisco-sa-'));
  try {
    writeFileSync(join(dir, 'namespace'), 'kube-system\n');
    const c = inClusterConfig({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, dir);
    assert.equal(c.server, 'https://[fd00::1]:443');
    assert.equal(c.namespace, 'kube-system');
    assert.equal(c.tls.caFile, join(dir, 'ca.crt'));
    assert.equal(c.auth.tokenFile, join(dir, 'token'));
    assert.throws(() => inClusterConfig({}, dir), /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('configForServer: plain URL config for loopback use', () => {
  assert.deepEqual(configForServer('http://127.0.0.1:1', { namespace: 'x' }), { server: 'http://127.0.0.1:1', namespace: 'x', tls: {}, auth: {} });
});
