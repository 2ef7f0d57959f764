// `kubedisco wait KIND/NAME`: waits until every pod of a StatefulSet or Deployment is ready (or running),
// printing each pod as it gets there, so a long wait shows progress. For pods that are never meant to be
// ready (a readiness probe that fails, seed 004's redis-ha), `--for running` waits until they run.
//
// Done means: as many pods selected by the workload's selector, not being deleted, as spec.replicas, and
// every one of them in the state asked for. Pods are listed every 200 ms (bounded by --timeout), through
// src/client, so this works against any Kubernetes API.

import { parseArgs } from 'node:util';
import type { KObject } from '../api/meta.ts';
import { RESOURCES, type ResourceInfo } from '../api/resources.ts';
import { labelSelectorToString } from '../api/selectors.ts';
import { isNotFound } from '../api/status.ts';
import { connect } from '../client/index.ts';
import { UsageError } from './server.ts';

export const WAIT_USAGE = `Flags for wait KIND/NAME (KIND: statefulset, sts, deployment, deploy):
  -n, --namespace NS        namespace (default: the kubeconfig context's, else default)
  --for ready|running       what each pod must be: Ready (default), or Running with an IP (unready pods)
  --timeout DURATION        give up after this long, e.g. 90s, 2m (default 60s); exit status 1
  --kubeconfig PATH, --context NAME  the API (default $KUBECONFIG, else ~/.kube/config)
`;

const KINDS: Record<string, string> = {
  statefulset: 'statefulsets', statefulsets: 'statefulsets', sts: 'statefulsets',
  deployment: 'deployments', deployments: 'deployments', deploy: 'deployments',
};

export interface WaitTarget { info: ResourceInfo; name: string }

/** `statefulset/cassandra`, `sts/cassandra`, `deployment.apps/app`, … → the resource and the name. */
export function parseWaitTarget(s: string): WaitTarget {
  const m = /^([a-z]+)(?:\.apps)?\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(s);
  const plural = m && KINDS[m[1]];
  if (!m || !plural) throw new UsageError(`expected statefulset/NAME or deployment/NAME, got ${JSON.stringify(s)}`);
  return { info: RESOURCES.find((r) => r.group === 'apps' && r.plural === plural)!, name: m[2] };
}

/** Go-style durations as kubectl's --timeout takes them: 500ms, 90s, 2m, 1m30s, 1h. */
export function parseTimeout(s: string): number {
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== s) throw new UsageError(`--timeout: not a duration: ${JSON.stringify(s)} (e.g. 90s, 2m)`);
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return parts.reduce((ms, p) => ms + Number(p[1]) * unit[p[2]], 0);
}

export type WaitFor = 'ready' | 'running';

interface PodView { name: string; ok: boolean; ip?: string; node?: string; phase: string }

/** A pod as `wait` sees it: whether it is there yet (Ready condition True, or Running with an IP). */
export function podView(pod: KObject, waitFor: WaitFor): PodView {
  const status = (pod as any).status ?? {};
  const ready = (status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
  const running = status.phase === 'Running' && !!status.podIP;
  return { name: pod.metadata.name!, ok: waitFor === 'ready' ? ready : running, ip: status.podIP, node: (pod as any).spec?.nodeName, phase: status.phase ?? 'Pending' };
}

export async function waitCommand(args: string[], write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args,
    options: {
      namespace: { type: 'string', short: 'n' }, for: { type: 'string' }, timeout: { type: 'string' },
      kubeconfig: { type: 'string' }, context: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('expected exactly one KIND/NAME');
  const target = parseWaitTarget(positionals[0]);
  const waitFor = (v.for ?? 'ready') as WaitFor;
  if (waitFor !== 'ready' && waitFor !== 'running') throw new UsageError(`--for: expected ready or running, got ${JSON.stringify(v.for)}`);
  const timeoutMs = parseTimeout(v.timeout ?? '60s');

  const rest = connect({ kubeconfig: v.kubeconfig, context: v.context, namespace: v.namespace, userAgent: 'kubedisco-wait' });
  try {
    const ns = rest.config.namespace || 'default';
    const what = `${target.info.singular}/${target.name}`;
    const podsInfo = RESOURCES.find((r) => r.group === '' && r.plural === 'pods')!;
    const pods = rest.resource(podsInfo, ns);
    const workloads = rest.resource(target.info, ns);
    const deadline = Date.now() + timeoutMs;
    const reported = new Set<string>();
    let announced = false;
    let last: PodView[] = [];
    let replicas = 0;
    while (true) {
      let wl: KObject;
      try {
        wl = await workloads.get(target.name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        process.stderr.write(`Error from server (NotFound): ${(e as Error).message}\n`);
        return 1;
      }
      replicas = (wl as any).spec?.replicas ?? 1;
      const selector = labelSelectorToString((wl as any).spec?.selector);
      if (!announced) {
        write(`waiting for ${replicas} pod${replicas === 1 ? '' : 's'} of ${what} to be ${waitFor} (selector ${selector})\n`);
        announced = true;
      }
      const list = await pods.list({ labelSelector: selector });
      last = list.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => podView(p, waitFor)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
      const okCount = last.filter((p) => p.ok).length;
      for (const name of [...reported]) if (!last.some((p) => p.name === name)) reported.delete(name); // deleted meanwhile
      for (const p of last) {
        if (p.ok && !reported.has(p.name)) {
          reported.add(p.name);
          write(`pod/${p.name} ${waitFor}: ${p.ip ?? '<no IP>'} on ${p.node ?? '<no node>'} (${reported.size}/${replicas})\n`);
        } else if (!p.ok && reported.has(p.name)) {
          reported.delete(p.name);
          write(`pod/${p.name} no longer ${waitFor} (${p.phase})\n`);
        }
      }
      if (last.length === replicas && okCount === replicas) {
        write(`${what}: ${replicas}/${replicas} pods ${waitFor}\n`);
        return 0;
      }
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, Math.min(200, Math.max(0, deadline - Date.now()))));
    }
    const missing = last.filter((p) => !p.ok).map((p) => `${p.name} (${p.phase})`);
    process.stderr.write(`kubedisco wait: timed out after ${v.timeout ?? '60s'} waiting for ${replicas} pods of ${what} to be ${waitFor}: ` +
      `${last.length} pods, ${last.filter((p) => p.ok).length} ${waitFor}${missing.length ? `; not ${waitFor}: ${missing.join(', ')}` : ''}\n`);
    return 1;
  } finally {
    rest.close();
  }
}
