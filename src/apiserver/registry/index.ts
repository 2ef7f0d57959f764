// One Strategy per served resource, keyed by group-resource (`services`, `statefulsets.apps`).

import { groupResource, RESOURCES } from '../../api/resources.ts';
import { genericStrategy } from './generic.ts';
import type { RegistryConfig, Strategy } from './strategy.ts';

export function createStrategies(cfg: RegistryConfig): Map<string, Strategy> {
  void cfg;
  const out = new Map<string, Strategy>();
  for (const info of RESOURCES) out.set(groupResource(info), genericStrategy(info));
  return out;
}
