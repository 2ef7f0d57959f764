// One structured line per notable event, on stderr (design.md habit 8). KUBEDISCO_LOG=debug|info|warn|error|off.

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, off: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, 'off'>;

function threshold(): number {
  const v = (process.env.KUBEDISCO_LOG ?? 'info') as keyof typeof LEVELS;
  return LEVELS[v] ?? LEVELS.info;
}

export function log(level: Level, component: string, msg: string, fields: Record<string, unknown> = {}): void {
  if (LEVELS[level] < threshold()) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, component, msg, ...fields });
  process.stderr.write(line + '\n');
}
