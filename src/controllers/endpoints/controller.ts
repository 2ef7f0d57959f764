// PLACEHOLDER until this controller lands (issue 3): it registers nothing and does nothing.
import type { ControllerFactory } from '../controller.ts';

export const endpointsController: ControllerFactory = () => ({ name: 'endpoints', async run() {}, async stop() {} });
