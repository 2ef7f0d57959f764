// Every controller kubedisco runs, by the name `kubedisco controllers --controllers` takes.

import type { ControllerFactory } from './controller.ts';
import { endpointSliceController } from './endpointslice/controller.ts';
import { endpointsController } from './endpoints/controller.ts';
import { endpointSliceMirroringController } from './endpointslicemirroring/controller.ts';
import { statefulSetController } from './statefulset/controller.ts';
import { deploymentController } from './deployment/controller.ts';
import { replicaSetController } from './replicaset/controller.ts';
import { garbageCollector } from './gc/controller.ts';
import { namespaceController } from './namespace/controller.ts';

export const CONTROLLERS = {
  endpointslice: endpointSliceController,
  endpoints: endpointsController,
  endpointslicemirroring: endpointSliceMirroringController,
  statefulset: statefulSetController,
  deployment: deploymentController,
  replicaset: replicaSetController,
  garbagecollector: garbageCollector,
  namespace: namespaceController,
} satisfies Record<string, ControllerFactory>;

export type ControllerName = keyof typeof CONTROLLERS;
