// Label selectors exactly as k8s.io/apimachinery/pkg/labels/selector.go (lexer, parser, requirement
// validation, matching, String()) and the metav1 helpers LabelSelectorAsSelector / FormatLabelSelector
// (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go). kubectl-compatibility.md §4.
//
// Parse errors carry apimachinery's exact text (`unable to parse requirement: ...`, `found 'x', expected: ...`);
// the API server wraps them in a 400 BadRequest unchanged (handlers/get.go ListResource → errors.NewBadRequest).

import { fieldErrorString, goQuote, GoLiteral, type FieldError } from './status.ts';
import { isQualifiedName, isValidLabelValue } from './validation.ts';

/** selection.Operator values (k8s.io/apimachinery/pkg/selection/operator.go). */
export type Operator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Values as given; String() sorts them, parsing already yields them sorted and de-duplicated. */
  readonly values: readonly string[];
}

/**
 * A parsed label selector (labels.Selector). `nothing` is labels.Nothing(): matches no object and is what a
 * nil metav1.LabelSelector converts to. An empty requirement list is labels.Everything().
 */
export interface LabelSelector {
  readonly requirements: readonly Requirement[];
  readonly nothing?: true;
}

/** metav1.LabelSelector as it appears in objects (spec.selector of StatefulSet, Deployment, ...). */
export interface MetaLabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: readonly string[] | null }> | null;
}

/** Thrown for every parse or validation failure; `message` is apimachinery's error text. */
export class SelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorParseError';
  }
}

export const EVERYTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]) as readonly Requirement[] });
export const NOTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]) as readonly Requirement[], nothing: true as const });

const binaryOperators: Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const validRequirementOperators: Operator[] = [...binaryOperators, 'exists', '!'];

/** Go's string ordering (byte order of UTF-8 = code point order), used by sort.Strings and ByKey. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) {
      // Surrogate pairs: codePointAt on the high half already yields the full code point.
      return x < y ? -1 : 1;
    }
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function sortStrings(values: readonly string[]): string[] {
  return [...values].sort(compareGoStrings);
}

function byKey(reqs: Requirement[]): Requirement[] {
  // Go's sort.Sort is an insertion sort below 12 elements (stable); a stable sort keeps that order everywhere.
  return reqs.map((r, i) => ({ r, i })).sort((a, b) => compareGoStrings(a.r.key, b.r.key) || a.i - b.i).map((x) => x.r);
}

// ---------------------------------------------------------------------------------------------
// Requirement construction and validation (NewRequirement).

/** utilerrors.NewAggregate(...).Error(): one message alone, several as `[a, b]`, duplicates dropped. */
function aggregate(messages: string[]): string {
  const seen: string[] = [];
  for (const m of messages) if (!seen.includes(m)) seen.push(m);
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

function invalidErr(fieldPath: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: fieldPath, value, detail };
}

function validateLabelKey(key: string, fieldPath: string): FieldError | null {
  const errs = isQualifiedName(key);
  return errs.length ? invalidErr(fieldPath, key, errs.join('; ')) : null;
}

function validateLabelValue(key: string, value: string, fieldPath: string): FieldError | null {
  const errs = isValidLabelValue(value);
  return errs.length ? invalidErr(`${fieldPath}[${key}]`, value, errs.join('; ')) : null;
}

/** strconv.ParseInt(s, 10, 64). */
function parseInt64(s: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v;
}

/**
 * labels.NewRequirement with the nil field path the parser and LabelSelectorAsSelector use: field names are
 * `key`, `values`, `values[i]`, `values[i][<key>]`. Throws SelectorParseError with the aggregated message.
 */
export function newRequirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  const errs: FieldError[] = [];
  const keyErr = validateLabelKey(key, 'key');
  if (keyErr) errs.push(keyErr);
  switch (operator) {
    case 'in':
    case 'notin':
      // LabelSelectorAsSelector passes append([]string(nil), values...), which stays nil when empty: %#v prints []string(nil).
      if (values.length === 0) errs.push(invalidErr('values', new GoLiteral('[]string(nil)'), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalidErr('values', [...values], 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalidErr('values', [...values], 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalidErr('values', [...values], "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === null) errs.push(invalidErr(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default: {
      const supported = validRequirementOperators.map((o) => goQuote(o)).join(', ');
      errs.push({ type: 'FieldValueNotSupported', field: 'operator', value: operator, detail: `supported values: ${supported}` });
    }
  }
  values.forEach((v, i) => {
    const e = validateLabelValue(key, v, `values[${i}]`);
    if (e) errs.push(e);
  });
  if (errs.length) throw new SelectorParseError(aggregate(errs.map(fieldErrorString)));
  return { key, operator, values: [...values] };
}

// ---------------------------------------------------------------------------------------------
// Lexer (byte-for-byte port of labels.Lexer; non-ASCII characters are never special, so working on UTF-16
// code units gives the same tokens).

const Tok = {
  Error: 0, EndOfString: 1, ClosedPar: 2, Comma: 3, DoesNotExist: 4, DoubleEquals: 5, Equals: 6,
  GreaterThan: 7, Identifier: 8, In: 9, LessThan: 10, NotEquals: 11, NotIn: 12, OpenPar: 13,
} as const;
type Token = (typeof Tok)[keyof typeof Tok];

const string2token: Record<string, Token> = {
  ')': Tok.ClosedPar, ',': Tok.Comma, '!': Tok.DoesNotExist, '==': Tok.DoubleEquals, '=': Tok.Equals,
  '>': Tok.GreaterThan, in: Tok.In, '<': Tok.LessThan, '!=': Tok.NotEquals, notin: Tok.NotIn, '(': Tok.OpenPar,
};

function tokenOf(s: string): Token | undefined {
  return Object.hasOwn(string2token, s) ? string2token[s] : undefined;
}

function isWhitespace(ch: string): boolean { return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n'; }
function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

interface ScannedItem { tok: Token; literal: string }

class Lexer {
  private readonly s: string;
  private pos = 0;
  constructor(s: string) { this.s = s; }
  /** Returns '\0' at the end, like Go's read() returning byte 0 (a literal NUL behaves the same way). */
  private read(): string {
    if (this.pos < this.s.length) return this.s[this.pos++];
    return '\0';
  }
  private unread(): void { this.pos--; }
  private scanIDOrKeyword(): ScannedItem {
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === '\0') break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) { this.unread(); break; }
      buffer += ch;
    }
    const t = tokenOf(buffer);
    return t !== undefined ? { tok: t, literal: buffer } : { tok: Tok.Identifier, literal: buffer };
  }
  private scanSpecialSymbol(): ScannedItem {
    let last: ScannedItem | null = null;
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === '\0') break;
      if (isSpecialSymbol(ch)) {
        buffer += ch;
        const t = tokenOf(buffer);
        if (t !== undefined) last = { tok: t, literal: buffer };
        else if (last) { this.unread(); break; }
      } else {
        this.unread();
        break;
      }
    }
    if (!last) return { tok: Tok.Error, literal: `error expected: keyword found '${buffer}'` };
    return last;
  }
  lex(): ScannedItem {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === '\0') return { tok: Tok.EndOfString, literal: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIDOrKeyword();
  }
}

// ---------------------------------------------------------------------------------------------
// Parser (labels.Parser).

type Context = 'keyAndOperator' | 'values';

class Parser {
  private readonly items: ScannedItem[] = [];
  private position = 0;
  constructor(input: string) {
    const l = new Lexer(input);
    for (;;) {
      const item = l.lex();
      this.items.push(item);
      if (item.tok === Tok.EndOfString) break;
    }
  }
  private lookahead(ctx: Context): ScannedItem {
    const it = this.items[this.position];
    if (ctx === 'values' && (it.tok === Tok.In || it.tok === Tok.NotIn)) return { tok: Tok.Identifier, literal: it.literal };
    return it;
  }
  private consume(ctx: Context): ScannedItem {
    const it = this.lookahead(ctx);
    this.position++;
    return it;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead('values');
      switch (tok) {
        case Tok.Identifier:
        case Tok.DoesNotExist: {
          let r: Requirement;
          try {
            r = this.parseRequirement();
          } catch (e) {
            if (e instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${e.message}`);
            throw e;
          }
          requirements.push(r);
          const t = this.consume('values');
          if (t.tok === Tok.EndOfString) return requirements;
          if (t.tok === Tok.Comma) {
            const t2 = this.lookahead('values');
            if (t2.tok !== Tok.Identifier && t2.tok !== Tok.DoesNotExist) {
              throw new SelectorParseError(`found '${t2.literal}', expected: identifier after ','`);
            }
            break;
          }
          throw new SelectorParseError(`found '${t.literal}', expected: ',' or 'end of string'`);
        }
        case Tok.EndOfString:
          return requirements;
        default:
          throw new SelectorParseError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator: inferred } = this.parseKeyAndInferOperator();
    if (inferred === 'exists' || inferred === '!') return newRequirement(key, inferred, []);
    const operator = this.parseOperator();
    let values: string[];
    if (operator === 'in' || operator === 'notin') values = this.parseValues();
    else values = this.parseExactValue();
    return newRequirement(key, operator, values);
  }

  private parseKeyAndInferOperator(): { key: string; operator: Operator | '' } {
    let operator: Operator | '' = '';
    let it = this.consume('values');
    if (it.tok === Tok.DoesNotExist) {
      operator = '!';
      it = this.consume('values');
    }
    if (it.tok !== Tok.Identifier) throw new SelectorParseError(`found '${it.literal}', expected: identifier`);
    const keyErr = validateLabelKey(it.literal, '<nil>');
    if (keyErr) throw new SelectorParseError(fieldErrorString(keyErr));
    const next = this.lookahead('values').tok;
    if ((next === Tok.EndOfString || next === Tok.Comma) && operator !== '!') operator = 'exists';
    return { key: it.literal, operator };
  }

  private parseOperator(): Operator {
    const { tok, literal } = this.consume('keyAndOperator');
    switch (tok) {
      case Tok.In: return 'in';
      case Tok.Equals: return '=';
      case Tok.DoubleEquals: return '==';
      case Tok.GreaterThan: return 'gt';
      case Tok.LessThan: return 'lt';
      case Tok.NotIn: return 'notin';
      case Tok.NotEquals: return '!=';
      default:
        throw new SelectorParseError(`found '${literal}', expected: ${binaryOperators.join(', ')}`);
    }
  }

  /** `(a,b,,c)`: a set, so sorted and de-duplicated like sets.String.List(). */
  private parseValues(): string[] {
    const open = this.consume('values');
    if (open.tok !== Tok.OpenPar) throw new SelectorParseError(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.lookahead('values');
    switch (tok) {
      case Tok.Identifier:
      case Tok.Comma: {
        const s = this.parseIdentifiersList();
        if (this.consume('values').tok !== Tok.ClosedPar) throw new SelectorParseError(`found '${literal}', expected: ')'`);
        return sortStrings([...s]);
      }
      case Tok.ClosedPar:
        this.consume('values');
        return [''];
      default:
        throw new SelectorParseError(`found '${literal}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume('values');
      switch (tok) {
        case Tok.Identifier: {
          s.add(literal);
          const t2 = this.lookahead('values');
          if (t2.tok === Tok.Comma) continue;
          if (t2.tok === Tok.ClosedPar) return s;
          throw new SelectorParseError(`found '${t2.literal}', expected: ',' or ')'`);
        }
        case Tok.Comma: {
          if (s.size === 0) s.add('');
          const t2 = this.lookahead('values').tok;
          if (t2 === Tok.ClosedPar) { s.add(''); return s; }
          if (t2 === Tok.Comma) s.add('');
          break;
        }
        default:
          throw new SelectorParseError(`found '${literal}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): string[] {
    const t = this.lookahead('values').tok;
    if (t === Tok.EndOfString || t === Tok.Comma) return [''];
    const { tok, literal } = this.consume('values');
    if (tok === Tok.Identifier) return [literal];
    throw new SelectorParseError(`found '${literal}', expected: identifier`);
  }
}

/**
 * labels.Parse. The empty string (or only whitespace) is Everything. Requirements come back sorted by key.
 * Throws SelectorParseError with apimachinery's message on bad input.
 */
export function parseLabelSelector(s: string): LabelSelector {
  const reqs = new Parser(s).parse();
  return { requirements: byKey(reqs) };
}

// ---------------------------------------------------------------------------------------------
// Matching.

function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(labels[r.key]);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(labels[r.key]);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const lv = parseInt64(labels[r.key]);
      if (lv === null || r.values.length !== 1) return false;
      const rv = parseInt64(r.values[0]);
      if (rv === null) return false;
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

/** Selector.Matches: every requirement holds (Nothing never matches). Missing labels count as an empty set. */
export function matches(sel: LabelSelector, labels: Readonly<Record<string, string>> | null | undefined): boolean {
  if (sel.nothing) return false;
  const l = labels ?? {};
  for (const r of sel.requirements) if (!requirementMatches(r, l)) return false;
  return true;
}

/** Selector.Empty(): true for Everything; false for Nothing and any selector with requirements. */
export function isEverything(sel: LabelSelector): boolean {
  return !sel.nothing && sel.requirements.length === 0;
}

/** labels.MatchesNothing. */
export function isNothing(sel: LabelSelector): boolean { return sel.nothing === true; }

/**
 * Selector.RequiresExactMatch: the single value a selector demands for `label` (=, ==, or `in` with one
 * value), for index lookups.
 */
export function requiresExactMatch(sel: LabelSelector, label: string): string | undefined {
  if (sel.nothing) return undefined;
  for (const r of sel.requirements) {
    if (r.key !== label) continue;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Conversions and printing.

/** labels.SelectorFromSet: `k=v` for each entry, sorted by key; nil or empty is Everything. No validation. */
export function selectorFromSet(set: Readonly<Record<string, string>> | null | undefined): LabelSelector {
  if (!set) return EVERYTHING;
  const keys = Object.keys(set);
  if (keys.length === 0) return EVERYTHING;
  return { requirements: byKey(keys.map((k) => ({ key: k, operator: '=' as const, values: [set[k]] }))) };
}

const metaOperators: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: nil → Nothing (matches nothing); no matchLabels and no matchExpressions →
 * Everything; otherwise matchLabels as `=` requirements plus the expressions, sorted by key. Throws
 * SelectorParseError (`"Foo" is not a valid label selector operator`, or a NewRequirement aggregate).
 */
export function selectorFromLabelSelector(ls: MetaLabelSelector | null | undefined): LabelSelector {
  if (ls === null || ls === undefined) return NOTHING;
  const labels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  const labelKeys = Object.keys(labels);
  if (labelKeys.length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  // Go ranges over the map in random order; the final sort by key makes the order irrelevant.
  for (const k of labelKeys.sort(compareGoStrings)) reqs.push(newRequirement(k, '=', [labels[k]]));
  for (const e of exprs) {
    const op = Object.hasOwn(metaOperators, e.operator) ? metaOperators[e.operator] : undefined;
    if (!op) throw new SelectorParseError(`"${e.operator}" is not a valid label selector operator`);
    reqs.push(newRequirement(e.key, op, [...(e.values ?? [])]));
  }
  return { requirements: byKey(reqs) };
}

/** Requirement.String(). */
export function requirementToString(r: Requirement): string {
  let s = r.operator === '!' ? '!' + r.key : r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return s;
    case '=': s += '='; break;
    case '==': s += '=='; break;
    case '!=': s += '!='; break;
    case 'in': s += ' in '; break;
    case 'notin': s += ' notin '; break;
    case 'gt': s += '>'; break;
    case 'lt': s += '<'; break;
  }
  const values = r.values.length === 1 ? r.values[0] : sortStrings(r.values).join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${values})` : s + values;
}

/** Selector.String(): requirements joined by `,` (Everything and Nothing both print as ""). */
export function selectorToString(sel: LabelSelector): string {
  if (sel.nothing) return '';
  return sel.requirements.map(requirementToString).join(',');
}

/**
 * metav1.FormatLabelSelector: the selector's String(), `<none>` when that is empty (nil or empty selector),
 * `<error>` when the selector is invalid. For a Scale's status.selector use
 * `selectorToString(selectorFromLabelSelector(spec.selector))`, as the workload registries do.
 */
export function labelSelectorToString(ls: MetaLabelSelector | null | undefined): string {
  let sel: LabelSelector;
  try {
    sel = selectorFromLabelSelector(ls);
  } catch {
    return '<error>';
  }
  const s = selectorToString(sel);
  return s.length === 0 ? '<none>' : s;
}

/** Alias of `matches` (the name the API server uses). */
export const matchesLabels = matches;
