// The controller manager (kube-controller-manager): builds the chosen controllers on one shared informer
// factory, starts the informers once every controller has registered its handlers, and reports ready
// when every informer has synced.

import { EventRecorder, realClock, SharedInformerFactory, type Clock, type RestClient } from '../client/index.ts';
import type { Controller, ControllerContext } from './controller.ts';
import { CONTROLLERS, type ControllerName } from './index.ts';

export interface ControllerManagerOptions {
  rest: RestClient;
  /** Which controllers to run (default: all of them). */
  controllers?: ControllerName[];
  clock?: Clock;
  workers?: number;
  maxEndpointsPerSlice?: number;
}

export interface RunningControllers {
  names: ControllerName[];
  ready(): boolean;
  stop(): Promise<void>;
}

export async function startControllerManager(opts: ControllerManagerOptions): Promise<RunningControllers> {
  const names = opts.controllers ?? (Object.keys(CONTROLLERS) as ControllerName[]);
  const informers = new SharedInformerFactory(opts.rest);
  const recorders = new Map<string, EventRecorder>();
  const clock = opts.clock ?? realClock;
  const ctx: ControllerContext = {
    rest: opts.rest,
    informers,
    clock,
    workers: opts.workers,
    maxEndpointsPerSlice: opts.maxEndpointsPerSlice,
    recorder(component) {
      let r = recorders.get(component);
      if (!r) recorders.set(component, (r = new EventRecorder(opts.rest, { component, clock })));
      return r;
    },
  };
  const controllers: Controller[] = names.map((n) => CONTROLLERS[n](ctx));
  const runs = controllers.map((c) => c.run());
  informers.start();
  await Promise.all(runs);
  let stopped = false;
  return {
    names,
    ready: () => !stopped && informers.hasSynced(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(controllers.map((c) => c.stop()));
      await informers.stop();
      await Promise.all([...recorders.values()].map((r) => r.flush()));
    },
  };
}
