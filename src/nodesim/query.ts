// The small subset of jq that KWOK's stage files use to select objects and fill templates
// (kwok:pkg/utils/expression/query.go runs gojq; model-codebases.md §4). Supported, and nothing else:
//
//   .                         the input
//   .a.b   .["a/b"]  ."a"     object fields (a missing field, or a field of null, is null)
//   .[]    .a.[]   .a[]       every element of an array (or value of an object)
//   .[0]                      an array element
//   select(<query> == <lit>)  keep the input when the query yields the literal (also !=)
//   tonumber  tostring        conversions
//   q1 | q2                   pipes
//
// Literals are JSON strings ("x" or 'x'), numbers, true, false and null. A query yields a list of values
// (jq's stream). Anything that jq would reject at run time (a field of a number, [] of a string) yields
// nothing here rather than an error: stages only ever ask "is this there, and what is it".

type Step =
  | { op: 'field'; name: string }
  | { op: 'iterate' }
  | { op: 'index'; n: number }
  | { op: 'select'; query: Query; cmp: '==' | '!='; value: unknown }
  | { op: 'tonumber' }
  | { op: 'tostring' };

/** A compiled query: a pipeline of steps. */
export interface Query {
  readonly source: string;
  readonly steps: readonly Step[];
}

export class QueryParseError extends Error {
  constructor(source: string, pos: number, what: string) {
    super(`query ${JSON.stringify(source)}: ${what} at offset ${pos}`);
    this.name = 'QueryParseError';
  }
}

class Parser {
  private pos = 0;
  private readonly s: string;
  constructor(s: string) { this.s = s; }

  fail(what: string): never { throw new QueryParseError(this.s, this.pos, what); }

  ws(): void { while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++; }

  peek(t: string): boolean { this.ws(); return this.s.startsWith(t, this.pos); }

  eat(t: string): boolean {
    if (!this.peek(t)) return false;
    this.pos += t.length;
    return true;
  }

  expect(t: string): void { if (!this.eat(t)) this.fail(`expected ${JSON.stringify(t)}`); }

  done(): boolean { this.ws(); return this.pos >= this.s.length; }

  /** pipeline := term ('|' term)* — stops before ')' or a comparison operator. */
  pipeline(): Step[] {
    const steps: Step[] = [];
    steps.push(...this.term());
    while (this.eat('|')) steps.push(...this.term());
    return steps;
  }

  term(): Step[] {
    this.ws();
    if (this.eatWord('select')) {
      this.expect('(');
      const start = this.pos;
      const inner = this.pipeline();
      const source = this.s.slice(start, this.pos).trim();
      let cmp: '==' | '!=';
      if (this.eat('==')) cmp = '==';
      else if (this.eat('!=')) cmp = '!=';
      else this.fail('expected == or != inside select()');
      const value = this.literal();
      this.expect(')');
      return [{ op: 'select', query: { source, steps: inner }, cmp, value }];
    }
    if (this.eatWord('tonumber')) return [{ op: 'tonumber' }];
    if (this.eatWord('tostring')) return [{ op: 'tostring' }];
    if (!this.peek('.')) this.fail('expected a path starting with "."');
    return this.path();
  }

  eatWord(w: string): boolean {
    this.ws();
    if (!this.s.startsWith(w, this.pos)) return false;
    const next = this.s[this.pos + w.length];
    if (next !== undefined && /[A-Za-z0-9_]/.test(next)) return false;
    this.pos += w.length;
    return true;
  }

  path(): Step[] {
    const steps: Step[] = [];
    this.expect('.');
    // `.` alone, or `.name`, `.[`, `."x"` right after the dot.
    let first = true;
    for (;;) {
      const c = this.s[this.pos];
      if (first && c !== undefined && /[A-Za-z_]/.test(c)) { steps.push({ op: 'field', name: this.ident() }); first = false; continue; }
      if (first && (c === '"' || c === "'")) { steps.push({ op: 'field', name: this.string() }); first = false; continue; }
      first = false;
      if (c === '[') { steps.push(this.bracket()); continue; }
      if (c === '.') {
        const n = this.s[this.pos + 1];
        if (n === '[') { this.pos++; steps.push(this.bracket()); continue; }
        if (n === '"' || n === "'") { this.pos++; steps.push({ op: 'field', name: this.string() }); continue; }
        if (n !== undefined && /[A-Za-z_]/.test(n)) { this.pos++; steps.push({ op: 'field', name: this.ident() }); continue; }
        this.fail('expected a field name after "."');
      }
      break;
    }
    return steps;
  }

  bracket(): Step {
    this.pos++; // [
    this.ws();
    if (this.s[this.pos] === ']') { this.pos++; return { op: 'iterate' }; }
    const c = this.s[this.pos];
    let step: Step;
    if (c === '"' || c === "'") step = { op: 'field', name: this.string() };
    else {
      const m = /^\d+/.exec(this.s.slice(this.pos));
      if (!m) this.fail('expected a string, a number or "]" inside []');
      this.pos += m[0].length;
      step = { op: 'index', n: Number(m[0]) };
    }
    this.expect(']');
    return step;
  }

  ident(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.pos));
    if (!m) this.fail('expected a field name');
    this.pos += m[0].length;
    return m[0];
  }

  string(): string {
    const q = this.s[this.pos];
    let i = this.pos + 1;
    let raw = '';
    while (i < this.s.length && this.s[i] !== q) {
      if (this.s[i] === '\\') { raw += this.s.slice(i, i + 2); i += 2; continue; }
      raw += this.s[i++];
    }
    if (i >= this.s.length) this.fail('unterminated string');
    this.pos = i + 1;
    try {
      return JSON.parse(`"${q === "'" ? raw.replace(/\\'/g, "'").replace(/"/g, '\\"') : raw}"`) as string;
    } catch {
      return this.fail('invalid escape in string');
    }
  }

  literal(): unknown {
    this.ws();
    const c = this.s[this.pos];
    if (c === '"' || c === "'") return this.string();
    for (const [w, v] of [['true', true], ['false', false], ['null', null]] as const) if (this.eatWord(w)) return v;
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.pos));
    if (!m) this.fail('expected a literal (string, number, true, false or null)');
    this.pos += m[0].length;
    return Number(m[0]);
  }
}

const cache = new Map<string, Query>();

/** Compiles a query (cached by its text). Throws QueryParseError. */
export function compileQuery(source: string): Query {
  const hit = cache.get(source);
  if (hit) return hit;
  const p = new Parser(source);
  const steps = p.pipeline();
  if (!p.done()) p.fail('unexpected input');
  const q = { source, steps };
  if (cache.size < 1024) cache.set(source, q);
  return q;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function applyStep(step: Step, input: unknown, out: unknown[]): void {
  switch (step.op) {
    case 'field':
      if (input === null || input === undefined) out.push(null);
      else if (isRecord(input)) out.push(Object.hasOwn(input, step.name) ? input[step.name] ?? null : null);
      return;
    case 'iterate':
      if (Array.isArray(input)) out.push(...input);
      else if (isRecord(input)) out.push(...Object.values(input));
      return;
    case 'index':
      if (input === null || input === undefined) out.push(null);
      else if (Array.isArray(input)) out.push(input[step.n] ?? null);
      return;
    case 'select': {
      const got = run(step.query.steps, input);
      const eq = (v: unknown) => v === step.value || (v === undefined && step.value === null);
      if (step.cmp === '==' ? got.some(eq) : got.some((v) => !eq(v))) out.push(input);
      return;
    }
    case 'tonumber':
      if (typeof input === 'number') out.push(input);
      else if (typeof input === 'string' && input.trim() !== '' && Number.isFinite(Number(input))) out.push(Number(input));
      return;
    case 'tostring':
      out.push(typeof input === 'string' ? input : JSON.stringify(input ?? null));
      return;
  }
}

function run(steps: readonly Step[], input: unknown): unknown[] {
  let cur: unknown[] = [input];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of cur) applyStep(s, v, next);
    cur = next;
  }
  return cur;
}

/** Every value the query yields for `input` (jq's output stream). */
export function evalQuery(q: Query | string, input: unknown): unknown[] {
  const query = typeof q === 'string' ? compileQuery(q) : q;
  return run(query.steps, input);
}
