// Prometheus text metrics for the API server (design.md habit 8: kubedisco_<component>_<name>).

const BUCKETS_MS = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly resources = new Map<string, number>();
  private readonly buckets = new Array<number>(BUCKETS_MS.length).fill(0);
  private count = 0;
  private sumMs = 0;

  observeRequest(verb: string, code: number, ms: number): void {
    const k = `${verb}\u0000${code}`;
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
    this.count++;
    this.sumMs += ms;
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]) this.buckets[i]++;
  }

  observeResource(resource: string): void {
    this.resources.set(resource, (this.resources.get(resource) ?? 0) + 1);
  }

  render(extra: Array<[name: string, help: string, value: number]> = []): string {
    const out: string[] = [];
    out.push('# HELP kubedisco_apiserver_requests_total API requests by HTTP method and status code.');
    out.push('# TYPE kubedisco_apiserver_requests_total counter');
    for (const [k, v] of this.requests) {
      const [verb, code] = k.split('\u0000');
      out.push(`kubedisco_apiserver_requests_total{method="${verb}",code="${code}"} ${v}`);
    }
    out.push('# HELP kubedisco_apiserver_resource_requests_total API requests by resource.');
    out.push('# TYPE kubedisco_apiserver_resource_requests_total counter');
    for (const [r, v] of this.resources) out.push(`kubedisco_apiserver_resource_requests_total{resource="${r}"} ${v}`);
    out.push('# HELP kubedisco_apiserver_request_duration_seconds Time from request start to the last byte written.');
    out.push('# TYPE kubedisco_apiserver_request_duration_seconds histogram');
    BUCKETS_MS.forEach((b, i) => out.push(`kubedisco_apiserver_request_duration_seconds_bucket{le="${b / 1000}"} ${this.buckets[i]}`));
    out.push(`kubedisco_apiserver_request_duration_seconds_bucket{le="+Inf"} ${this.count}`);
    out.push(`kubedisco_apiserver_request_duration_seconds_sum ${this.sumMs / 1000}`);
    out.push(`kubedisco_apiserver_request_duration_seconds_count ${this.count}`);
    for (const [name, help, value] of extra) {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
    }
    return out.join('\n') + '\n';
  }
}
