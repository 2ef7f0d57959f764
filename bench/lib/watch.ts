// One HTTP watch (`?watch=true`) on its own connection, decoded line by line: each event is handed to a
// callback with the time its chunk arrived (performance.now()), so latency is measured at receipt, not
// after the callback's own work. Loopback only.

import http from 'node:http';

export interface WatchEvent { type: string; object: any }

export interface WatchStream {
  events: number;
  bytes: number;
  /** Set when the stream failed, ended, or sent something undecodable. */
  error?: string;
  close(): void;
}

/** Opens `path` (which must carry `watch=true`) and resolves when the 200 headers arrive. */
export function openWatch(baseURL: string, path: string, onEvent: (ev: WatchEvent, t: number) => void): Promise<WatchStream> {
  const u = new URL(baseURL);
  if (!/^127\.|^localhost$|^\[::1\]$/.test(u.hostname)) throw new Error(`benchmarks talk to loopback only, not ${u.hostname}`);
  return new Promise((resolve, reject) => {
    let closed = false;
    const s: WatchStream = { events: 0, bytes: 0, close: () => { closed = true; req.destroy(); } };
    const req = http.get({ host: u.hostname, port: Number(u.port), path, agent: false }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`watch ${path}: status ${res.statusCode}`)); res.resume(); return; }
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        const t = performance.now();
        s.bytes += chunk.length;
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.trim()) continue;
          let ev: WatchEvent;
          try { ev = JSON.parse(line); } catch { s.error ??= `undecodable line: ${line.slice(0, 200)}`; continue; }
          s.events++;
          if (ev.type === 'ERROR') { s.error ??= `ERROR event: ${JSON.stringify(ev.object).slice(0, 300)}`; continue; }
          onEvent(ev, t);
        }
      });
      res.on('end', () => { if (!closed) s.error ??= 'stream ended by the server'; });
      res.on('error', (e) => { if (!closed) s.error ??= e.message; });
      resolve(s);
    });
    req.on('error', (e) => { if (!closed) { s.error ??= e.message; reject(e); } });
    req.setTimeout(120_000, () => req.destroy(new Error('watch: no data for 120 s')));
  });
}
