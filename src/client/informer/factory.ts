// SharedInformerFactory (client-go informers/factory.go): one informer per resource and namespace per
// process, shared by every controller that asks for it, so each resource is listed and watched once.
// A transform (SharedInformerOptions.transform) is given per informer, by the first caller:
// `factory.informer(resource, namespace, { transform })`. Since everyone sharing the informer sees the
// transformed objects, asking again for the same informer with a different transform throws.

import type { KObject } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/resources.ts';
import type { RestClient } from '../rest.ts';
import { SharedInformer, type SharedInformerOptions } from './shared-informer.ts';

/** Per-informer options of SharedInformerFactory.informer. */
export interface FactoryInformerOptions<T extends KObject = KObject> {
  /** SharedInformerOptions.transform for this informer (client-go SetTransform). */
  transform?: (obj: T) => T;
}

export class SharedInformerFactory {
  private readonly rest: RestClient;
  private readonly opts: SharedInformerOptions;
  private readonly informers = new Map<string, SharedInformer<KObject>>();
  private readonly transforms = new Map<string, ((obj: KObject) => KObject) | undefined>();
  private started = false;

  constructor(rest: RestClient, opts: SharedInformerOptions = {}) {
    this.rest = rest;
    this.opts = opts;
  }

  /**
   * The shared informer for a resource ('' namespace: all namespaces). Informers asked for after start()
   * start at once. `opts.transform` applies to this informer only (it overrides a factory-wide one from
   * the constructor's options); asking for an existing informer with a different transform throws.
   */
  informer<T extends KObject = KObject>(info: ResourceInfo, namespace = '', opts: FactoryInformerOptions<T> = {}): SharedInformer<T> {
    const key = `${info.group}/${info.plural}/${namespace}`;
    const transform = (opts.transform ?? this.opts.transform) as ((obj: KObject) => KObject) | undefined;
    let inf = this.informers.get(key);
    if (inf) {
      if (this.transforms.get(key) !== transform) throw new Error(`informer ${key}: already created with a different transform`);
      return inf as unknown as SharedInformer<T>;
    }
    inf = new SharedInformer<KObject>(this.rest.resource<KObject>(info, namespace), { name: namespace ? `${info.plural}/${namespace}` : info.plural, ...this.opts, transform });
    this.informers.set(key, inf);
    this.transforms.set(key, transform);
    if (this.started) inf.run();
    return inf as unknown as SharedInformer<T>;
  }

  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.run();
  }

  async waitForSync(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    await Promise.all([...this.informers.values()].map((inf) => inf.waitForSync(opts)));
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((inf) => inf.hasSynced());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((inf) => inf.stop()));
  }
}
