// How a thread builds its resolver. Worker threads cannot receive functions, so every thread (main
// and workers) imports the same module and calls the same factory with the same plain-data argument.

import type { Resolver } from './types.ts';

export interface ResolverSpec {
  /** Module URL (file:) exporting the factory. */
  module: string;
  /** Export name of the factory: `(arg) => Resolver | Promise<Resolver>`. */
  name: string;
  /** Structured-cloneable argument (e.g. the client config and the DNS options). */
  arg: unknown;
}

export type StoppableResolver = Resolver & { stop?(): void | Promise<void> };

export async function createResolver(spec: ResolverSpec): Promise<StoppableResolver> {
  const mod = (await import(spec.module)) as Record<string, unknown>;
  const f = mod[spec.name];
  if (typeof f !== 'function') throw new Error(`${spec.module} does not export a resolver factory named ${spec.name}`);
  return (await (f as (a: unknown) => StoppableResolver | Promise<StoppableResolver>)(spec.arg));
}
