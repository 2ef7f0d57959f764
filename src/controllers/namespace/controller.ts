// PLACEHOLDER until this controller lands (issue 3): it registers nothing and does nothing.
import type { ControllerFactory } from '../controller.ts';

export const namespaceController: ControllerFactory = () => ({ name: 'namespace', async run() {}, async stop() {} });
