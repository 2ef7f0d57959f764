// Informer transforms for the cluster DNS (client-go SharedInformer transform; CoreDNS does the same with
// object.ToService / ToEndpoints / ToPod / ToNamespace in plugin/kubernetes/object). Each object is cut
// down, before its informer stores it, to what ClusterView reads (view.ts serviceRec, sliceRec,
// applyNamespace, applyPod) plus metadata.name, namespace and resourceVersion: the informer's key and its
// relist-survivor check. No uid: the store keys by namespace/name. The result is still the same kind of
// object (a Service stays a Service), so the view answers the same from it as from the full object.
//
// Values are kept as the API sent them, with two memory savings that do not change them:
//  - strings that repeat across objects (namespace, type, protocol, port names, addressType, phase) are
//    interned: one copy per distinct value instead of one per object (the client's JSON.parse makes a
//    string per occurrence);
//  - port lists are interned too (every `http 80/TCP` Service shares one frozen list), and so is the
//    headless `clusterIPs: ["None"]`; other clusterIPs arrays are frozen so the view can share them.
// The intern tables belong to one newStrippers() set (one watchCluster) and are bounded (cleared when full:
// objects keep what they got).
//
// Endpoints: as CoreDNS's EndpointSliceToEndpoints, an endpoint with conditions.ready false is dropped (the
// view skips it, §2.3); of the others only addresses, hostname and targetRef.name stay (no conditions: all
// that remain are ready or unknown, which the view treats as ready).

import type { KObject, ObjectMeta } from '../../api/meta.ts';
import type { Endpoint, EndpointPort, EndpointSlice } from '../../api/types/endpointslice.ts';
import type { Namespace } from '../../api/types/namespace.ts';
import type { Pod } from '../../api/types/pod.ts';
import type { Service, ServicePort, ServiceSpec } from '../../api/types/core-v1-service.ts';
import { LABEL_SERVICE_NAME } from './view.ts';

/** The transforms, one per watched kind, sharing intern tables. */
export interface Strippers {
  Service(s: Service): Service;
  EndpointSlice(s: EndpointSlice): EndpointSlice;
  Namespace(n: Namespace): Namespace;
  Pod(p: Pod): Pod;
}

const INTERN_MAX = 10_000;

/** A bounded table of shared values by key. */
class Interner<T> {
  private readonly m = new Map<string, T>();

  get(key: string, make: () => T): T {
    let v = this.m.get(key);
    if (v === undefined) {
      if (this.m.size >= INTERN_MAX) this.m.clear();
      v = make();
      this.m.set(key, v);
    }
    return v;
  }
}

const NONE: readonly string[] = Object.freeze(['None']);

/** A fresh set of transforms (own intern tables). */
export function newStrippers(): Strippers {
  const strings = new Interner<string>();
  const servicePorts = new Interner<readonly ServicePort[]>();
  const slicePorts = new Interner<readonly EndpointPort[]>();
  const str = (s: string | undefined): string | undefined => (s === undefined ? s : strings.get(s, () => s));

  /** name, namespace, resourceVersion (+ labels): one literal per shape, so each is exactly sized. */
  function meta(m: ObjectMeta, labels?: Record<string, string>): ObjectMeta {
    const name = m.name, namespace = str(m.namespace), resourceVersion = m.resourceVersion;
    if (labels) return namespace === undefined ? { name, resourceVersion, labels } : { name, namespace, resourceVersion, labels };
    return namespace === undefined ? { name, resourceVersion } : { name, namespace, resourceVersion };
  }

  function portKey(ps: ReadonlyArray<{ name?: string; protocol?: string; port?: number }>): string {
    let k = '';
    for (const p of ps) k += `${p.name ?? '\u0002'}\u0000${p.protocol ?? '\u0002'}\u0000${p.port ?? '\u0002'}\u0001`;
    return k;
  }

  function port<P extends { name?: string; protocol?: string; port?: number }>(p: P): P {
    const q: { name?: string; protocol?: string; port?: number } = {};
    if (p.name !== undefined) q.name = str(p.name);
    if (p.protocol !== undefined) q.protocol = str(p.protocol);
    if (p.port !== undefined) q.port = p.port;
    return Object.freeze(q) as P;
  }

  return {
    Service(s: Service): Service {
      const spec = s.spec ?? {};
      const out: ServiceSpec = {};
      if (spec.type !== undefined) out.type = str(spec.type) as ServiceSpec['type'];
      const ips = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : undefined;
      if (ips) out.clusterIPs = ips.length === 1 && ips[0] === 'None' ? (NONE as string[]) : Object.freeze(ips) as string[]; // frozen: the view shares it
      else if (spec.clusterIP !== undefined) out.clusterIP = spec.clusterIP;
      if (spec.externalName !== undefined) out.externalName = spec.externalName;
      const ports = spec.ports;
      if (ports) out.ports = servicePorts.get(portKey(ports), () => Object.freeze(ports.map(port))) as ServicePort[];
      return { metadata: meta(s.metadata), spec: out } as Service;
    },

    EndpointSlice(s: EndpointSlice): EndpointSlice {
      const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
      const m = meta(s.metadata, svc === undefined ? undefined : { [LABEL_SERVICE_NAME]: svc });
      const endpoints: Endpoint[] = [];
      for (const ep of s.endpoints ?? []) {
        if (ep.conditions?.ready === false) continue;
        const addresses = ep.addresses ?? [];
        const hostname = ep.hostname;
        const ref = ep.targetRef?.name;
        endpoints.push(hostname === undefined
          ? (ref === undefined ? { addresses } : { addresses, targetRef: { name: ref } })
          : (ref === undefined ? { addresses, hostname } : { addresses, hostname, targetRef: { name: ref } }));
      }
      const ports = s.ports ?? [];
      return {
        metadata: m,
        addressType: str(s.addressType) as EndpointSlice['addressType'],
        endpoints: endpoints.slice(), // exactly sized
        ports: slicePorts.get(portKey(ports), () => Object.freeze(ports.map(port))) as EndpointPort[],
      } as EndpointSlice;
    },

    Namespace(n: Namespace): Namespace {
      return { metadata: meta(n.metadata, n.metadata.labels) } as Namespace;
    },

    Pod(p: Pod): Pod {
      const m = meta(p.metadata);
      if (p.metadata.deletionTimestamp !== undefined) m.deletionTimestamp = p.metadata.deletionTimestamp;
      const status: { phase?: string; podIP?: string } = {};
      if (p.status?.phase !== undefined) status.phase = str(p.status.phase);
      if (p.status?.podIP !== undefined) status.podIP = p.status.podIP;
      return { metadata: m, status } as Pod;
    },
  };
}

/** The transform for a watched kind out of a Strippers set (as watch.ts wires them), or undefined. */
export function stripperFor(s: Strippers, kind: string): ((o: KObject) => KObject) | undefined {
  switch (kind) {
    case 'Service': return s.Service as unknown as (o: KObject) => KObject;
    case 'EndpointSlice': return s.EndpointSlice as unknown as (o: KObject) => KObject;
    case 'Namespace': return s.Namespace as unknown as (o: KObject) => KObject;
    case 'Pod': return s.Pod as unknown as (o: KObject) => KObject;
    default: return undefined;
  }
}
