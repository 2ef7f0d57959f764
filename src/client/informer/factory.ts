// SharedInformerFactory (client-go informers/factory.go): one informer per resource and namespace per
// process, shared by every controller that asks for it, so each resource is listed and watched once.

import type { KObject } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/resources.ts';
import type { RestClient } from '../rest.ts';
import { SharedInformer, type SharedInformerOptions } from './shared-informer.ts';

export class SharedInformerFactory {
  private readonly rest: RestClient;
  private readonly opts: SharedInformerOptions;
  private readonly informers = new Map<string, SharedInformer<KObject>>();
  private started = false;

  constructor(rest: RestClient, opts: SharedInformerOptions = {}) {
    this.rest = rest;
    this.opts = opts;
  }

  /** The shared informer for a resource ('' namespace: all namespaces). Informers asked for after start() start at once. */
  informer<T extends KObject = KObject>(info: ResourceInfo, namespace = ''): SharedInformer<T> {
    const key = `${info.group}/${info.plural}/${namespace}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new SharedInformer<KObject>(this.rest.resource<KObject>(info, namespace), { name: namespace ? `${info.plural}/${namespace}` : info.plural, ...this.opts });
      this.informers.set(key, inf);
      if (this.started) inf.run();
    }
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
