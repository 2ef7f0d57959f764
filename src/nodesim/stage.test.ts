// The stage language: loading and checking stage files, delays, weights, templates (stage.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../api/types/pod.ts';
import { ANNOTATION_NODESIM_EXIT_CODE, ANNOTATION_NODESIM_READY } from '../api/well-known.ts';
import { loadStages, mergePatch, parseGoDuration, parseStages, selectStage, StageError, type Stage } from './stage.ts';

const header = 'apiVersion: nodesim.kubedisco.io/v1alpha1\nkind: Stage\n';
const stage = (name: string, body: string) => `${header}metadata: {name: ${name}}\nspec:\n  resourceRef: {apiGroup: v1, kind: Pod}\n${body}`;
const pod = (over: Partial<Pod> = {}): Pod => ({ metadata: { name: 'p', namespace: 'default', uid: 'u', ...(over.metadata ?? {}) }, spec: { containers: [{ name: 'c', image: 'i' }], ...(over.spec ?? {}) }, status: over.status ?? { phase: 'Pending' } });

test('the shipped stages load, and use the well-known annotation names', () => {
  const stages = loadStages();
  assert.deepEqual(stages.map((s) => s.name).sort(), ['pod-complete', 'pod-create', 'pod-delete', 'pod-failed', 'pod-ready', 'pod-ready-again', 'pod-ready-held', 'pod-unready']);
  const text = stages.map((s) => JSON.stringify(s.doc)).join('\n');
  assert.ok(text.includes(ANNOTATION_NODESIM_READY));
  assert.ok(text.includes(ANNOTATION_NODESIM_EXIT_CODE));
});

const invalid: Array<[name: string, yaml: string, message: RegExp]> = [
  ['wrong apiVersion', 'apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata: {name: x}\nspec: {}', /apiVersion must be nodesim.kubedisco.io\/v1alpha1/],
  ['bad name', `${header}metadata: {name: Bad_Name}\nspec: {}`, /metadata.name must be a DNS label/],
  ['not a pod stage', `${header}metadata: {name: x}\nspec:\n  resourceRef: {apiGroup: v1, kind: Node}\n  next: {delete: true}`, /only pods have stages/],
  ['In without values', stage('x', '  selector:\n    matchExpressions:\n    - {key: .status.phase, operator: In}\n  next: {delete: true}'), /values set can't be empty/],
  ['unquoted boolean value', stage('x', '  selector:\n    matchExpressions:\n    - {key: .a, operator: In, values: [true]}\n  next: {delete: true}'), /values must be strings/],
  ['Exists with values', stage('x', '  selector:\n    matchExpressions:\n    - {key: .a, operator: Exists, values: [x]}\n  next: {delete: true}'), /values set must be empty/],
  ['unknown operator', stage('x', '  selector:\n    matchExpressions:\n    - {key: .a, operator: Gt, values: ["1"]}\n  next: {delete: true}'), /operator "Gt" is not supported/],
  ['bad query', stage('x', '  selector:\n    matchExpressions:\n    - {key: status.phase, operator: Exists}\n  next: {delete: true}'), /expected a path starting with "."/],
  ['negative delay', stage('x', '  delay: {durationMilliseconds: -1}\n  next: {delete: true}'), /durationMilliseconds must be a number/],
  ['next does nothing', stage('x', '  next: {}'), /spec.next does nothing/],
  ['delete and write', stage('x', '  next: {delete: true, status: {phase: Running}}'), /cannot both delete the pod and write its status/],
  ['conditions are derived', stage('x', '  next:\n    status: {conditions: []}'), /conditions is derived/],
  ['unknown template variable', stage('x', "  next:\n    status: {podIP: '{{ PodIp }}'}"), /unknown template variable PodIp/],
  ['ContainerID outside a container template', stage('x', "  next:\n    status: {message: '{{ ContainerID }}'}"), /only available in container templates/],
  ['bad event type', stage('x', '  next:\n    event: {type: Info, reason: R, message: m}'), /event.type must be Normal or Warning/],
];
for (const [name, yaml, message] of invalid) {
  test(`an invalid stage is refused: ${name}`, () => assert.throws(() => parseStages(yaml, 'test.yaml'), (e: unknown) => e instanceof StageError && message.test((e as Error).message) && (e as Error).message.startsWith('test.yaml')));
}

test('duplicate stage names across files are refused; an empty folder is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodesim-stages-'));
  assert.throws(() => loadStages(dir), /no stages found/);
  writeFileSync(join(dir, 'a.yaml'), stage('x', '  next: {delete: true}'));
  writeFileSync(join(dir, 'b.yml'), `${stage('y', '  next: {delete: true}')}\n---\n${stage('x', '  next: {delete: true}')}`);
  assert.throws(() => loadStages(dir), /stage x is also defined in .*a\.yaml/);
});

test('Go durations (time.ParseDuration) for per-pod delay annotations', () => {
  const cases: Array<[string, number | undefined]> = [['0', 0], ['100ms', 100], ['2.5s', 2500], ['1m30s', 90_000], ['1h', 3_600_000], ['500us', 0.5], ['', undefined], ['5', undefined], ['1d', undefined], ['-1s', undefined]];
  for (const [s, want] of cases) assert.equal(parseGoDuration(s), want, s);
});

test('JSON merge patch (RFC 7386) for container templates', () => {
  assert.deepEqual(mergePatch({ state: { waiting: { reason: 'ContainerCreating' } }, ready: false }, { state: { waiting: null, running: { startedAt: 't' } }, ready: true }), { state: { running: { startedAt: 't' } }, ready: true });
  assert.deepEqual(mergePatch(undefined, { a: { b: 1 } }), { a: { b: 1 } });
  assert.deepEqual(mergePatch({ a: [1, 2] }, { a: [3] }), { a: [3] });
});

test('delay: option override, per-pod durationFrom (duration or timestamp), jitter, and the notAfterFrom cap', () => {
  const [s] = parseStages(stage('x', [
    '  delay:',
    '    durationMilliseconds: 100',
    '    jitterDurationMilliseconds: 50',
    `    durationFrom: {expression: '.metadata.annotations["d"]'}`,
    '    notAfterFrom: {expression: .metadata.deletionTimestamp}',
    '  next: {delete: true}',
  ].join('\n')), 't.yaml');
  const now = Date.parse('2026-08-04T13:02:00Z');
  const half = () => 0.5;
  assert.equal(s.delayMs(pod(), now, half), 125);
  assert.equal(s.delayMs(pod(), now, half, 0), 25, 'the option replaces durationMilliseconds; jitter stays');
  assert.equal(s.delayMs(pod({ metadata: { name: 'p', annotations: { d: '2s' } } }), now, () => 0, 0), 2000, 'the annotation wins over the option');
  assert.equal(s.delayMs(pod({ metadata: { name: 'p', annotations: { d: '2026-08-04T13:02:03Z' } } }), now, () => 0), 3000, 'a timestamp means "until then"');
  assert.equal(s.delayMs(pod({ metadata: { name: 'p', annotations: { d: 'soon' } } }), now, () => 0), 100, 'an unparseable annotation is ignored');
  assert.equal(s.delayMs(pod({ metadata: { name: 'p', deletionTimestamp: '2026-08-04T13:02:00Z' } }), now, half), 0, 'never past the deletionTimestamp');
});

test('several matching stages: picked by weight (kwok Lifecycle.Match); weight 0 only when all are 0', () => {
  const stages: Stage[] = parseStages([
    stage('a', '  weight: 1\n  next: {delete: true}'),
    stage('b', '  weight: 3\n  next: {delete: true}'),
    stage('c', '  weight: 0\n  next: {delete: true}'),
  ].join('\n---\n'), 't.yaml');
  assert.equal(selectStage(stages, pod(), () => 0)?.name, 'a');
  assert.equal(selectStage(stages, pod(), () => 0.3)?.name, 'b');
  assert.equal(selectStage(stages, pod(), () => 0.99)?.name, 'b');
  assert.equal(selectStage(stages.slice(2), pod(), () => 0.99)?.name, 'c');
  assert.equal(selectStage([], pod()), undefined);
});

test('selectors: matchLabels, matchAnnotations and jq expressions all hold (KWOK semantics for missing values)', () => {
  const [s] = parseStages(stage('x', [
    '  selector:',
    '    matchLabels: {app: web}',
    '    matchAnnotations: {team: a}',
    '    matchExpressions:',
    '    - {key: .metadata.annotations.missing, operator: NotIn, values: ["x"]}',
    '    - {key: .metadata.annotations.missing, operator: DoesNotExist}',
    '    - {key: ".status.phase", operator: In, values: [Pending]}',
    '  next: {delete: true}',
  ].join('\n')), 't.yaml');
  assert.equal(s.matches(pod({ metadata: { name: 'p', labels: { app: 'web' }, annotations: { team: 'a' } } })), true);
  assert.equal(s.matches(pod({ metadata: { name: 'p', labels: { app: 'web' } } })), false);
  assert.equal(s.matches(pod({ metadata: { name: 'p', labels: { app: 'web' }, annotations: { team: 'a' } }, status: { phase: 'Running' } })), false);
});

test('templates: whole-value placeholders keep JSON types; embedded ones are interpolated; missing values are null', () => {
  const [s] = parseStages(stage('x', [
    '  next:',
    '    status:',
    "      message: 'pod {{ .metadata.name }} on {{ NodeName }}{{ .metadata.nothing }}'",
    "      reason: '{{ .metadata.nothing }}'",
    "      startTime: '{{ Now }}'",
    '    containerStatuses:',
    "      restartCount: '{{ .metadata.annotations.n | tonumber }}'",
    "      containerID: '{{ ContainerID }}'",
  ].join('\n')), 't.yaml');
  const r = s.render(pod({ metadata: { name: 'web', uid: 'u', annotations: { n: '2' } } }), { now: 'NOW', podIP: () => 'IP', hostIP: () => 'H', nodeName: () => 'n1', containerID: (c) => `id-${c}` });
  const st = r.patch!.status as Record<string, any>;
  assert.equal(st.message, 'pod web on n1');
  assert.equal('reason' in st, true);
  assert.equal(st.reason, null);
  assert.equal(st.startTime, 'NOW');
  assert.deepEqual(st.containerStatuses, [{ name: 'c', restartCount: 2, containerID: 'id-c' }]);
  assert.equal(r.patch!.metadata.uid, 'u');
});

test('a pod IP is only taken when a stage asks for one', () => {
  const [s] = parseStages(stage('x', '  next:\n    status: {phase: Running}'), 't.yaml');
  let asked = 0;
  s.render(pod(), { now: 'N', podIP: () => { asked++; return 'IP'; }, hostIP: () => 'H', nodeName: () => 'n', containerID: () => 'c' });
  assert.equal(asked, 0);
});

test('README documents every shipped stage and the readiness annotation', async () => {
  const { readFileSync } = await import('node:fs');
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  for (const s of loadStages()) assert.ok(readme.includes(`\`${s.name}\``), `README lacks ${s.name}`);
  for (const section of ['## Options and flags', '## Behaviour', '## Metrics', '## Limits']) assert.ok(readme.includes(section), section);
  assert.ok(readme.includes(`kubectl annotate pod web ${ANNOTATION_NODESIM_READY}=false`));
});
