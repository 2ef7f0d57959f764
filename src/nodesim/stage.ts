// Pod lifecycle as data (model-codebases.md §4, habit 8): KWOK-style Stage documents, each a selector over
// the pod, a delay, and what happens next (a status patch, events, or the final delete). There are no
// explicit states: a stage's `next` writes a status that another stage's selector matches. This file is
// pure: it loads and checks stage files, matches a pod, computes the delay and renders the result; the pod
// controller (pods.ts) does the waiting and the writing.
//
//   apiVersion: nodesim.kubedisco.io/v1alpha1
//   kind: Stage
//   metadata: {name: pod-ready}
//   spec:
//     resourceRef: {apiGroup: v1, kind: Pod}
//     selector:                       # all must hold (KWOK semantics)
//       matchLabels: {...}            # label equality
//       matchAnnotations: {...}       # annotation equality
//       matchExpressions:             # jq-subset query (query.ts) with In / NotIn / Exists / DoesNotExist
//       - {key: .status.phase, operator: In, values: [Pending]}
//     weight: 1                       # among several matching stages, picked at random by weight
//     delay:
//       durationMilliseconds: 200     # default delay (the simulator's options may override it per stage)
//       durationFrom: {expression: '.metadata.annotations["pod-ready.stage.nodesim.kubedisco.io/delay"]'}
//                                     # a Go duration ("2s") or an RFC 3339 time; wins over the default
//       jitterDurationMilliseconds: 0 # plus a random [0, jitter)
//       notAfterFrom: {expression: .metadata.deletionTimestamp}   # never later than this time
//     next:
//       status: {...}                 # fields of the status patch (templated)
//       containerStatuses: {...}      # a JSON merge patch (RFC 7386) applied to EVERY regular container's
//                                     # current status (and to restartable init containers, "sidecars")
//       initContainerStatuses: {...}  # the same for the other init containers
//       event: {type: Normal, reason: Started, message: 'Started container {{ .container.name }}', perContainer: true}
//       delete: true                  # delete the pod with gracePeriodSeconds 0 (and its UID as precondition)
//
// Templates: a string that is exactly `{{ X }}` becomes the value of X (any JSON type; null when missing),
// `{{ X }}` inside a longer string is interpolated. X is a query on the pod (in container templates also
// `.container` = the container's spec and `.containerStatus` = its current status) or one of the variables
// Now, PodIP, HostIP, NodeName, ContainerID (container templates only).
//
// Whenever a stage writes a status, the kubelet conditions are derived from the result (kubelet-status.ts)
// and written with it, so a stage never states conditions itself.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Container, ContainerStatus, Pod, PodStatus } from '../api/types/pod.ts';
import { matches, selectorFromSet } from '../api/selectors.ts';
import { compileQuery, evalQuery, type Query } from './query.ts';
import { conditionsPatch } from './kubelet-status.ts';

export const STAGE_API_VERSION = 'nodesim.kubedisco.io/v1alpha1';

/** The stage files that ship with kubedisco. */
export const DEFAULT_STAGES_DIR = new URL('./stages/', import.meta.url).pathname;

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface StageRequirement { key: string; operator: SelectorOperator; values?: string[] }

export interface StageEvent { type: 'Normal' | 'Warning'; reason: string; message: string; perContainer?: boolean }

/** The document as written in YAML. */
export interface StageDocument {
  apiVersion: string;
  kind: 'Stage';
  metadata: { name: string };
  spec: {
    resourceRef: { apiGroup: string; kind: string };
    selector?: { matchLabels?: Record<string, string>; matchAnnotations?: Record<string, string>; matchExpressions?: StageRequirement[] };
    weight?: number;
    delay?: {
      durationMilliseconds?: number;
      durationFrom?: { expression: string };
      jitterDurationMilliseconds?: number;
      notAfterFrom?: { expression: string };
    };
    next: {
      status?: Record<string, unknown>;
      containerStatuses?: Record<string, unknown>;
      initContainerStatuses?: Record<string, unknown>;
      event?: StageEvent;
      delete?: boolean;
    };
  };
}

/** What rendering a stage yields for one pod. */
export interface StageResult {
  stage: string;
  /** Body of a strategic-merge PATCH of pods/{name}/status. */
  patch?: { metadata: { uid?: string }; status: Record<string, unknown> };
  /** Delete the pod with gracePeriodSeconds 0 and a UID precondition. */
  delete?: boolean;
  events: Array<{ type: 'Normal' | 'Warning'; reason: string; message: string }>;
}

/** Values a template can use besides the pod itself; functions, so a pod IP is only taken when a stage asks. */
export interface RenderEnv {
  now: string;
  podIP(): string;
  hostIP(): string;
  nodeName(): string;
  containerID(containerName: string): string;
}

const VARIABLES = new Set(['Now', 'PodIP', 'HostIP', 'NodeName', 'ContainerID']);

export class StageError extends Error {
  constructor(source: string, what: string) {
    super(`${source}: ${what}`);
    this.name = 'StageError';
  }
}

interface CompiledRequirement { query: Query; operator: SelectorOperator; values: string[] }

/** JSON merge patch (RFC 7386): null deletes, objects merge, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Go's time.ParseDuration for the units a delay needs (ns … h); undefined when invalid. */
export function parseGoDuration(s: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let i = 0;
  let total = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]];
    i = re.lastIndex;
  }
  return s.length ? total : undefined;
}

const WHOLE = /^\s*\{\{\s*(.+?)\s*\}\}\s*$/s;
const PART = /\{\{\s*(.+?)\s*\}\}/gs;

/** Every `{{ X }}` expression inside a template, for load-time checks. */
function templateExpressions(t: unknown, out: string[] = []): string[] {
  if (typeof t === 'string') for (const m of t.matchAll(PART)) out.push(m[1]);
  else if (Array.isArray(t)) for (const v of t) templateExpressions(v, out);
  else if (typeof t === 'object' && t !== null) for (const v of Object.values(t)) templateExpressions(v, out);
  return out;
}

type Vars = Record<string, () => unknown>;

function evalExpression(expr: string, root: unknown, vars: Vars): unknown {
  if (VARIABLES.has(expr)) {
    const f = vars[expr];
    if (!f) throw new Error(`template variable ${expr} is not available here`);
    return f();
  }
  const v = evalQuery(expr, root)[0];
  return v === undefined ? null : v;
}

function render(t: unknown, root: unknown, vars: Vars): unknown {
  if (typeof t === 'string') {
    const whole = WHOLE.exec(t);
    if (whole && !whole[1].includes('}}')) return evalExpression(whole[1], root, vars);
    if (!t.includes('{{')) return t;
    return t.replace(PART, (_m, expr: string) => {
      const v = evalExpression(expr, root, vars);
      return v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(t)) return t.map((v) => render(v, root, vars));
  if (typeof t === 'object' && t !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(t)) out[k] = render(v, root, vars);
    return out;
  }
  return t;
}

/** A stage ready to match and render. */
export class Stage {
  readonly name: string;
  readonly weight: number;
  readonly doc: StageDocument;
  readonly source: string;
  private readonly labels;
  private readonly annotations;
  private readonly requirements: CompiledRequirement[];
  private readonly durationFrom?: Query;
  private readonly notAfterFrom?: Query;

  constructor(doc: StageDocument, source: string) {
    this.doc = doc;
    this.source = source;
    this.name = doc.metadata.name;
    this.weight = doc.spec.weight ?? 1;
    const sel = doc.spec.selector ?? {};
    this.labels = sel.matchLabels ? selectorFromSet(sel.matchLabels) : undefined;
    this.annotations = sel.matchAnnotations ? selectorFromSet(sel.matchAnnotations) : undefined;
    this.requirements = (sel.matchExpressions ?? []).map((r) => ({ query: compileQuery(r.key), operator: r.operator, values: r.values ?? [] }));
    if (doc.spec.delay?.durationFrom) this.durationFrom = compileQuery(doc.spec.delay.durationFrom.expression);
    if (doc.spec.delay?.notAfterFrom) this.notAfterFrom = compileQuery(doc.spec.delay.notAfterFrom.expression);
  }

  /** Every selector part holds (kwok:pkg/utils/expression/selector.go Requirement.Matches). */
  matches(pod: Pod): boolean {
    if (this.labels && !matches(this.labels, pod.metadata.labels)) return false;
    if (this.annotations && !matches(this.annotations, pod.metadata.annotations)) return false;
    for (const r of this.requirements) {
      const got = evalQuery(r.query, pod).filter((v) => v !== null && v !== undefined);
      const has = got.some((v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && r.values.includes(String(v)));
      const ok = r.operator === 'In' ? has : r.operator === 'NotIn' ? !has : r.operator === 'Exists' ? got.length > 0 : got.length === 0;
      if (!ok) return false;
    }
    return true;
  }

  /**
   * The delay in ms before this stage is played for `pod`: durationFrom (a Go duration, or the time left
   * until an RFC 3339 timestamp) when it yields one, else `defaultMs` (the option override) or the stage's
   * durationMilliseconds; plus jitter; capped by notAfterFrom. Never negative.
   */
  delayMs(pod: Pod, nowMs: number, random: () => number = Math.random, defaultMs?: number): number {
    const d = this.doc.spec.delay ?? {};
    let ms = defaultMs ?? d.durationMilliseconds ?? 0;
    if (this.durationFrom) {
      const v = evalQuery(this.durationFrom, pod)[0];
      const from = typeof v === 'string' ? durationOrUntil(v, nowMs) : undefined;
      if (from !== undefined) ms = from;
    }
    if (d.jitterDurationMilliseconds) ms += Math.floor(random() * d.jitterDurationMilliseconds);
    if (this.notAfterFrom) {
      const v = evalQuery(this.notAfterFrom, pod)[0];
      const t = typeof v === 'string' ? Date.parse(v) : NaN;
      if (Number.isFinite(t)) ms = Math.min(ms, t - nowMs);
    }
    return Math.max(0, ms);
  }

  /** The writes and events this stage makes for `pod` (a pure function of the pod and env). */
  render(pod: Pod, env: RenderEnv): StageResult {
    const next = this.doc.spec.next;
    const vars: Vars = { Now: () => env.now, PodIP: () => env.podIP(), HostIP: () => env.hostIP(), NodeName: () => env.nodeName() };
    const result: StageResult = { stage: this.name, events: [] };
    if (next.delete) {
      result.delete = true;
    } else if (next.status || next.containerStatuses || next.initContainerStatuses) {
      const cur: PodStatus = pod.status ?? {};
      const statusPart = (next.status ? render(next.status, pod, vars) : {}) as Record<string, unknown>;
      const view = mergePatch(cur, statusPart) as PodStatus;
      const patchStatus: Record<string, unknown> = { ...statusPart };
      const perContainer = (template: Record<string, unknown> | undefined, c: Container, list: ContainerStatus[] | undefined): ContainerStatus | undefined => {
        const current = list?.find((s) => s.name === c.name);
        if (!template) return current;
        const root = { ...pod, container: c, containerStatus: current ?? null };
        const patch = render(template, root, { ...vars, ContainerID: () => env.containerID(c.name) });
        return Object.assign({ name: c.name }, mergePatch(current ?? {}, patch) as ContainerStatus, { name: c.name });
      };
      const spec = pod.spec ?? { containers: [] };
      if (next.containerStatuses) {
        const list = spec.containers.map((c) => perContainer(next.containerStatuses, c, cur.containerStatuses)).filter((s): s is ContainerStatus => !!s);
        patchStatus.containerStatuses = list;
        view.containerStatuses = list;
      }
      const inits = spec.initContainers ?? [];
      if (inits.length && (next.initContainerStatuses || next.containerStatuses)) {
        const list = inits
          .map((c) => perContainer(c.restartPolicy === 'Always' ? next.containerStatuses : next.initContainerStatuses, c, cur.initContainerStatuses))
          .filter((s): s is ContainerStatus => !!s);
        patchStatus.initContainerStatuses = list;
        view.initContainerStatuses = list;
      }
      Object.assign(patchStatus, conditionsPatch(pod, view, env.now));
      result.patch = { metadata: { uid: pod.metadata.uid }, status: patchStatus };
    }
    if (next.event) {
      const e = next.event;
      const roots: unknown[] = e.perContainer ? (pod.spec?.containers ?? []).map((c) => ({ ...pod, container: c })) : [pod];
      for (const root of roots) result.events.push({ type: e.type, reason: e.reason, message: String(render(e.message, root, vars) ?? '') });
    }
    return result;
  }
}

function durationOrUntil(v: string, nowMs: number): number | undefined {
  const d = parseGoDuration(v.trim());
  if (d !== undefined) return d;
  if (/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t - nowMs;
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks one parsed document and compiles it. Throws StageError naming the source and the problem. */
export function compileStage(raw: unknown, source: string): Stage {
  const fail = (what: string): never => { throw new StageError(source, what); };
  if (!isRecord(raw)) fail('a stage must be a mapping');
  const doc = raw as unknown as StageDocument;
  if (doc.apiVersion !== STAGE_API_VERSION) fail(`apiVersion must be ${STAGE_API_VERSION}, got ${JSON.stringify(doc.apiVersion)}`);
  if (doc.kind !== 'Stage') fail(`kind must be Stage, got ${JSON.stringify(doc.kind)}`);
  const name = doc.metadata?.name;
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) fail(`metadata.name must be a DNS label, got ${JSON.stringify(name)}`);
  const where = `stage ${name}`;
  const spec = doc.spec;
  if (!isRecord(spec)) fail(`${where}: spec is required`);
  if (spec.resourceRef?.apiGroup !== 'v1' || spec.resourceRef?.kind !== 'Pod') fail(`${where}: spec.resourceRef must be {apiGroup: v1, kind: Pod} (only pods have stages)`);
  for (const [i, r] of (spec.selector?.matchExpressions ?? []).entries()) {
    const at = `${where}: spec.selector.matchExpressions[${i}]`;
    if (typeof r?.key !== 'string') fail(`${at}.key must be a query string`);
    try { compileQuery(r.key); } catch (e) { fail(`${at}.key: ${(e as Error).message}`); }
    if (r.operator === 'In' || r.operator === 'NotIn') {
      if (!Array.isArray(r.values) || r.values.length === 0) fail(`${at}: for 'In', 'NotIn' operators, values set can't be empty`);
      if (r.values!.some((v) => typeof v !== 'string')) fail(`${at}.values must be strings (quote true, false and numbers)`);
    } else if (r.operator === 'Exists' || r.operator === 'DoesNotExist') {
      if (r.values && r.values.length) fail(`${at}: values set must be empty for exists and does not exist`);
    } else fail(`${at}: operator ${JSON.stringify(r.operator)} is not supported`);
  }
  if (spec.weight !== undefined && !(Number.isInteger(spec.weight) && spec.weight >= 0)) fail(`${where}: spec.weight must be a whole number ≥ 0`);
  const d = spec.delay;
  if (d !== undefined) {
    for (const k of ['durationMilliseconds', 'jitterDurationMilliseconds'] as const) {
      if (d[k] !== undefined && !(typeof d[k] === 'number' && d[k]! >= 0)) fail(`${where}: spec.delay.${k} must be a number ≥ 0`);
    }
    for (const k of ['durationFrom', 'notAfterFrom'] as const) {
      if (d[k] === undefined) continue;
      if (typeof d[k]?.expression !== 'string') fail(`${where}: spec.delay.${k}.expression must be a query string`);
      try { compileQuery(d[k]!.expression); } catch (e) { fail(`${where}: spec.delay.${k}: ${(e as Error).message}`); }
    }
  }
  const next = spec.next;
  if (!isRecord(next)) fail(`${where}: spec.next is required`);
  const writes = next.status !== undefined || next.containerStatuses !== undefined || next.initContainerStatuses !== undefined;
  if (next.delete && writes) fail(`${where}: spec.next cannot both delete the pod and write its status`);
  if (!next.delete && !writes && !next.event) fail(`${where}: spec.next does nothing (no status, containerStatuses, initContainerStatuses, event or delete)`);
  for (const k of ['status', 'containerStatuses', 'initContainerStatuses'] as const) {
    if (next[k] !== undefined && !isRecord(next[k])) fail(`${where}: spec.next.${k} must be a mapping`);
  }
  if (next.status && ('conditions' in next.status)) fail(`${where}: spec.next.status.conditions is derived from the container statuses (kubelet rules) and cannot be set`);
  if (next.event) {
    const e = next.event;
    if (e.type !== 'Normal' && e.type !== 'Warning') fail(`${where}: spec.next.event.type must be Normal or Warning`);
    if (typeof e.reason !== 'string' || !e.reason) fail(`${where}: spec.next.event.reason is required`);
    if (typeof e.message !== 'string') fail(`${where}: spec.next.event.message is required`);
  }
  const check = (t: unknown, path: string, containerScope: boolean) => {
    for (const expr of templateExpressions(t)) {
      if (VARIABLES.has(expr)) {
        if (expr === 'ContainerID' && !containerScope) fail(`${where}: ${path}: ContainerID is only available in container templates`);
        continue;
      }
      if (/^[A-Z]/.test(expr)) fail(`${where}: ${path}: unknown template variable ${expr} (known: ${[...VARIABLES].join(', ')})`);
      try { compileQuery(expr); } catch (e) { fail(`${where}: ${path}: ${(e as Error).message}`); }
    }
  };
  check(next.status, 'spec.next.status', false);
  check(next.containerStatuses, 'spec.next.containerStatuses', true);
  check(next.initContainerStatuses, 'spec.next.initContainerStatuses', true);
  check(next.event?.message, 'spec.next.event.message', false);
  return new Stage(doc, source);
}

/** Parses a YAML text of one or more Stage documents. */
export function parseStages(text: string, source: string): Stage[] {
  const out: Stage[] = [];
  for (const [i, doc] of parseAllDocuments(text).entries()) {
    if (doc.errors.length) throw new StageError(`${source} (document ${i + 1})`, doc.errors[0].message);
    const raw = doc.toJS();
    if (raw === null || raw === undefined) continue;
    out.push(compileStage(raw, source));
  }
  return out;
}

/** Loads every *.yaml / *.yml file of a folder (sorted by name). Stage names must be unique. */
export function loadStages(dir: string = DEFAULT_STAGES_DIR): Stage[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch (e) {
    throw new StageError(dir, `cannot read the stage folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const stages: Stage[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const path = join(dir, f);
    for (const s of parseStages(readFileSync(path, 'utf8'), path)) {
      const prior = seen.get(s.name);
      if (prior) throw new StageError(path, `stage ${s.name} is also defined in ${prior}`);
      seen.set(s.name, path);
      stages.push(s);
    }
  }
  if (stages.length === 0) throw new StageError(dir, 'no stages found (*.yaml)');
  return stages;
}

/**
 * The stage to play for `pod`, if any: the only match, or one of several picked at random by weight
 * (weight 0 only when every match has weight 0), as kwok:pkg/utils/lifecycle Lifecycle.Match.
 */
export function selectStage(stages: readonly Stage[], pod: Pod, random: () => number = Math.random): Stage | undefined {
  const matched = stages.filter((s) => s.matches(pod));
  if (matched.length <= 1) return matched[0];
  const total = matched.reduce((n, s) => n + s.weight, 0);
  if (total === 0) return matched[Math.floor(random() * matched.length)];
  let off = random() * total;
  for (const s of matched) {
    if (s.weight <= 0) continue;
    off -= s.weight;
    if (off < 0) return s;
  }
  return matched[matched.length - 1];
}
