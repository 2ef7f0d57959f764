// PLACEHOLDER until the node simulator lands (issue 3).
import type { RestClient } from '../client/index.ts';

export interface NodeSimulatorOptions { rest: RestClient; nodes: number; podCIDR: string }
export interface RunningNodeSimulator { ready(): boolean; stop(): Promise<void> }

export async function startNodeSimulator(_opts: NodeSimulatorOptions): Promise<RunningNodeSimulator> {
  return { ready: () => true, async stop() {} };
}
