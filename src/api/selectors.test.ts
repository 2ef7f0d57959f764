// Table tests for label selectors, mirroring k8s.io/apimachinery/pkg/labels/selector_test.go
// (TestSelectorParse, TestLexer, TestRequirementConstructor) and metav1 helpers_test.go. Error texts are the
// ones kube-apiserver returns in a 400 (kubectl-compatibility.md §4).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EVERYTHING, NOTHING, SelectorParseError, isEverything, isNothing, labelSelectorToString, matches, parseLabelSelector,
  requiresExactMatch, selectorFromLabelSelector, selectorFromSet, selectorToString, compareGoStrings,
  type LabelSelector, type MetaLabelSelector,
} from './selectors.ts';

const QNAME_NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

// ---------------------------------------------------------------------------------------------
// Parse → String() round trips (selector.go Parse sorts requirements by key; In/NotIn values sorted).

const parseCases: Array<{ name: string; in: string; out: string }> = [
  { name: 'empty string is Everything', in: '', out: '' },
  { name: 'whitespace only is Everything', in: ' \t\r\n', out: '' },
  { name: 'equality', in: 'x=a', out: 'x=a' },
  { name: 'double equals kept as ==', in: 'x==a', out: 'x==a' },
  { name: 'not equals', in: 'x!=a', out: 'x!=a' },
  { name: 'comma is AND, requirements sorted by key', in: 'y=b,x=a', out: 'x=a,y=b' },
  { name: 'set based in, values sorted', in: 'x in (c,a,b)', out: 'x in (a,b,c)' },
  { name: 'set based notin', in: 'x notin (a)', out: 'x notin (a)' },
  { name: 'in values de-duplicated', in: 'x in (a,a,b)', out: 'x in (a,b)' },
  { name: 'exists', in: 'x', out: 'x' },
  { name: 'does not exist', in: '!x', out: '!x' },
  { name: 'bang separated from key by a space', in: '! x', out: '!x' },
  { name: 'greater than', in: 'x>1', out: 'x>1' },
  { name: 'less than', in: 'x<5', out: 'x<5' },
  { name: 'empty exact value', in: 'x=', out: 'x=' },
  { name: 'empty in set ()', in: 'x in ()', out: 'x in ()' },
  { name: 'empty members in a set: (,a,,b,)', in: 'x notin (,a,,b,)', out: 'x notin (,a,b)' },
  { name: 'whitespace around every token', in: '  x  =  a , y in ( b , c ) ', out: 'x=a,y in (b,c)' },
  { name: 'in/notin keywords usable as key and values', in: 'in in (in,notin)', out: 'in in (in,notin)' },
  { name: 'prefixed key', in: 'example.com/my-key=v_1.2', out: 'example.com/my-key=v_1.2' },
  { name: 'mixed requirement kinds', in: 'z,!y,x in (1),w!=2,v>3', out: 'v>3,w!=2,x in (1),!y,z' },
  { name: 'same key twice keeps both, input order', in: 'x!=a,x', out: 'x!=a,x' },
  { name: 'tab and newline are whitespace', in: 'x\t=\na', out: 'x=a' },
];

for (const tc of parseCases) {
  test(`labels.Parse: ${tc.name}`, () => {
    const sel = parseLabelSelector(tc.in);
    assert.equal(selectorToString(sel), tc.out);
  });
}

// ---------------------------------------------------------------------------------------------
// Parse errors: exact messages.

const errorCases: Array<{ name: string; in: string; err: string }> = [
  { name: 'two identifiers: operator expected', in: 'x a', err: 'unable to parse requirement: found \'a\', expected: in, notin, =, ==, !=, gt, lt' },
  {
    name: 'colon in key (real kubectl get -l "app:monolith" output)',
    in: 'app:monolith',
    err: `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${QNAME_NAME_PART}`,
  },
  {
    name: 'too many slashes in key (apiserver TestGetListOptions "bad parse")',
    in: 'a/b/c ?=? def',
    err: `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
  },
  {
    name: 'prefix with an underscore',
    in: 'app.kubernetes_io/name=vault',
    err: `unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io/name": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  },
  {
    name: 'value longer than 63 characters',
    in: `good-key=${'z'.repeat(64)}`,
    err: `unable to parse requirement: values[0][good-key]: Invalid value: "${'z'.repeat(64)}": must be no more than 63 characters`,
  },
  { name: 'invalid value characters', in: 'x=a/b', err: `unable to parse requirement: values[0][x]: Invalid value: "a/b": ${LABEL_VALUE}` },
  {
    name: 'several invalid set values are aggregated in brackets',
    in: 'x in (a/b, c/d)',
    err: `unable to parse requirement: [values[0][x]: Invalid value: "a/b": ${LABEL_VALUE}, values[1][x]: Invalid value: "c/d": ${LABEL_VALUE}]`,
  },
  { name: 'trailing comma', in: 'x=a,', err: "found '', expected: identifier after ','" },
  { name: 'comma followed by an operator', in: 'x=a,=b', err: "found '=', expected: identifier after ','" },
  { name: 'leading comma', in: ',x', err: "found ',', expected: !, identifier, or 'end of string'" },
  { name: 'leading operator', in: '=x', err: "found '=', expected: !, identifier, or 'end of string'" },
  { name: 'in without parenthesis', in: 'x in a', err: "unable to parse requirement: found 'a' expected: '('" },
  { name: 'set members without comma', in: 'x in (a b)', err: "unable to parse requirement: found 'b', expected: ',' or ')'" },
  { name: 'unterminated set', in: 'x in (a', err: "unable to parse requirement: found '', expected: ',' or ')'" },
  { name: 'operator inside a set', in: 'x in (=)', err: "unable to parse requirement: found '=', expected: ',', ')' or identifier" },
  { name: 'operator after a comma inside a set', in: 'x in (a,=)', err: "unable to parse requirement: found '=', expected: ',', or identifier" },
  { name: 'second operator after a value', in: 'x=a=b', err: "found '=', expected: ',' or 'end of string'" },
  { name: 'stray closing parenthesis', in: 'x=a)', err: "found ')', expected: ',' or 'end of string'" },
  { name: 'does-not-exist with a value', in: '!x=a', err: "found '=', expected: ',' or 'end of string'" },
  { name: 'bang alone', in: '!', err: "unable to parse requirement: found '', expected: identifier" },
  { name: 'bang as a value', in: 'x=!a', err: "unable to parse requirement: found '!', expected: identifier" },
  { name: 'bang between key and value', in: 'x!a', err: "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt" },
  { name: '>= is > followed by =', in: 'x>=1', err: "unable to parse requirement: found '=', expected: identifier" },
  {
    name: 'gt with a non-integer',
    in: 'x>a',
    err: `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
  },
  {
    name: 'gt with a negative number is not a valid label value',
    in: 'x>-1',
    err: `unable to parse requirement: values[0][x]: Invalid value: "-1": ${LABEL_VALUE}`,
  },
  {
    name: 'gt beyond int64',
    in: 'x>9223372036854775808',
    err: `unable to parse requirement: values[0]: Invalid value: "9223372036854775808": for 'Gt', 'Lt' operators, the value must be an integer`,
  },
  { name: 'key with trailing dash', in: 'x-', err: `unable to parse requirement: <nil>: Invalid value: "x-": ${QNAME_NAME_PART}` },
  { name: 'empty prefix', in: '/x', err: 'unable to parse requirement: <nil>: Invalid value: "/x": prefix part must be non-empty' },
];

for (const tc of errorCases) {
  test(`labels.Parse error: ${tc.name}`, () => {
    assert.throws(() => parseLabelSelector(tc.in), (e: unknown) => {
      assert.ok(e instanceof SelectorParseError, 'a SelectorParseError');
      assert.equal((e as Error).message, tc.err);
      return true;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Matching (Requirement.Matches).

const matchCases: Array<{ name: string; sel: string; labels: Record<string, string> | undefined; want: boolean }> = [
  { name: '= matches equal value', sel: 'x=a', labels: { x: 'a' }, want: true },
  { name: '= rejects other value', sel: 'x=a', labels: { x: 'b' }, want: false },
  { name: '= rejects missing key', sel: 'x=a', labels: {}, want: false },
  { name: '== same as =', sel: 'x==a', labels: { x: 'a' }, want: true },
  { name: '!= matches missing key', sel: 'x!=a', labels: {}, want: true },
  { name: '!= rejects equal value', sel: 'x!=a', labels: { x: 'a' }, want: false },
  { name: '!= matches other value', sel: 'x!=a', labels: { x: 'b' }, want: true },
  { name: 'in matches a member', sel: 'x in (a,b)', labels: { x: 'b' }, want: true },
  { name: 'in rejects missing key', sel: 'x in (a,b)', labels: {}, want: false },
  { name: 'notin matches missing key', sel: 'x notin (a)', labels: {}, want: true },
  { name: 'notin rejects a member', sel: 'x notin (a)', labels: { x: 'a' }, want: false },
  { name: 'exists with empty value', sel: 'x', labels: { x: '' }, want: true },
  { name: 'does not exist with empty value present', sel: '!x', labels: { x: '' }, want: false },
  { name: 'does not exist on undefined labels', sel: '!x', labels: undefined, want: true },
  { name: 'x= matches empty value', sel: 'x=', labels: { x: '' }, want: true },
  { name: 'x= rejects missing key', sel: 'x=', labels: {}, want: false },
  { name: 'in () matches the empty value', sel: 'x in ()', labels: { x: '' }, want: true },
  { name: 'gt numeric compare', sel: 'x>1', labels: { x: '2' }, want: true },
  { name: 'gt equal is false', sel: 'x>1', labels: { x: '1' }, want: false },
  { name: 'gt non-numeric label is false', sel: 'x>1', labels: { x: 'abc' }, want: false },
  { name: 'gt missing key is false', sel: 'x>1', labels: {}, want: false },
  { name: 'lt negative label value', sel: 'x<1', labels: { x: '-5' }, want: true },
  { name: 'gt at the int64 edge', sel: 'x>9223372036854775806', labels: { x: '9223372036854775807' }, want: true },
  { name: 'AND: all must hold', sel: 'app=web,tier!=db', labels: { app: 'web', tier: 'db' }, want: false },
  { name: 'AND: all hold', sel: 'app=web,tier!=db', labels: { app: 'web', tier: 'fe' }, want: true },
  { name: 'empty selector matches anything', sel: '', labels: { a: 'b' }, want: true },
  { name: 'inherited keys are not labels', sel: 'constructor', labels: {}, want: false },
];

for (const tc of matchCases) {
  test(`Selector.Matches: ${tc.name}`, () => {
    assert.equal(matches(parseLabelSelector(tc.sel), tc.labels), tc.want);
  });
}

// ---------------------------------------------------------------------------------------------
// metav1.LabelSelectorAsSelector / FormatLabelSelector.

const metaCases: Array<{ name: string; ls: MetaLabelSelector | null; str: string; formatted: string; matchEmpty: boolean }> = [
  { name: 'nil selector matches nothing', ls: null, str: '', formatted: '<none>', matchEmpty: false },
  { name: 'empty selector matches everything', ls: {}, str: '', formatted: '<none>', matchEmpty: true },
  { name: 'empty maps are still empty', ls: { matchLabels: {}, matchExpressions: [] }, str: '', formatted: '<none>', matchEmpty: true },
  { name: 'matchLabels (Scale status.selector app=web)', ls: { matchLabels: { app: 'web' } }, str: 'app=web', formatted: 'app=web', matchEmpty: false },
  {
    name: 'labels and expressions sorted by key, stable for equal keys',
    ls: { matchLabels: { b: '1', a: '2' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['z', 'y'] }, { key: 'a', operator: 'Exists' }] },
    str: 'a=2,a,b=1,c in (y,z)',
    formatted: 'a=2,a,b=1,c in (y,z)',
    matchEmpty: false,
  },
  {
    name: 'NotIn and DoesNotExist',
    ls: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }, { key: 'canary', operator: 'DoesNotExist' }] },
    str: '!canary,env notin (prod)',
    formatted: '!canary,env notin (prod)',
    matchEmpty: true,
  },
];

for (const tc of metaCases) {
  test(`LabelSelectorAsSelector: ${tc.name}`, () => {
    const sel = selectorFromLabelSelector(tc.ls);
    assert.equal(selectorToString(sel), tc.str);
    assert.equal(labelSelectorToString(tc.ls), tc.formatted);
    assert.equal(matches(sel, {}), tc.matchEmpty);
  });
}

const metaErrorCases: Array<{ name: string; ls: MetaLabelSelector; err: string }> = [
  { name: 'unknown operator', ls: { matchExpressions: [{ key: 'a', operator: 'Foo', values: ['x'] }] }, err: '"Foo" is not a valid label selector operator' },
  { name: 'lower-case operator is unknown', ls: { matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] }, err: '"in" is not a valid label selector operator' },
  {
    name: 'In without values',
    ls: { matchExpressions: [{ key: 'a', operator: 'In' }] },
    err: "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
  },
  {
    name: 'Exists with values',
    ls: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
    err: 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
  },
  { name: 'bad matchLabels key', ls: { matchLabels: { 'a b': 'x' } }, err: `key: Invalid value: "a b": ${QNAME_NAME_PART}` },
  {
    name: 'bad key and bad value aggregate',
    ls: { matchExpressions: [{ key: '-a', operator: 'In', values: ['b c'] }] },
    err: `[key: Invalid value: "-a": ${QNAME_NAME_PART}, values[0][-a]: Invalid value: "b c": ${LABEL_VALUE}]`,
  },
];

for (const tc of metaErrorCases) {
  test(`LabelSelectorAsSelector error: ${tc.name}`, () => {
    assert.throws(() => selectorFromLabelSelector(tc.ls), { name: 'SelectorParseError', message: tc.err });
    assert.equal(labelSelectorToString(tc.ls), '<error>');
  });
}

// ---------------------------------------------------------------------------------------------
// Everything / Nothing / SelectorFromSet / RequiresExactMatch.

test('Everything and Nothing: Empty() and matching', () => {
  assert.equal(isEverything(EVERYTHING), true);
  assert.equal(isNothing(EVERYTHING), false);
  assert.equal(isEverything(NOTHING), false);
  assert.equal(isNothing(NOTHING), true);
  assert.equal(matches(EVERYTHING, undefined), true);
  assert.equal(matches(NOTHING, {}), false);
  assert.equal(isEverything(parseLabelSelector('x')), false);
});

const setCases: Array<{ name: string; set: Record<string, string> | null; str: string }> = [
  { name: 'nil set is Everything', set: null, str: '' },
  { name: 'empty set is Everything', set: {}, str: '' },
  { name: 'entries sorted by key', set: { tier: 'fe', app: 'web' }, str: 'app=web,tier=fe' },
];
for (const tc of setCases) {
  test(`SelectorFromSet: ${tc.name}`, () => {
    const sel = selectorFromSet(tc.set);
    assert.equal(selectorToString(sel), tc.str);
    assert.equal(matches(sel, { app: 'web', tier: 'fe' }), true);
  });
}

test('RequiresExactMatch: =, == and single-value in; not for != or multi-value in', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['app=web', 'app', 'web'],
    ['app==web', 'app', 'web'],
    ['app in (web)', 'app', 'web'],
    ['app in (a,b)', 'app', undefined],
    ['app!=web', 'app', undefined],
    ['tier=fe', 'app', undefined],
  ];
  for (const [s, key, want] of cases) assert.equal(requiresExactMatch(parseLabelSelector(s), key), want, s);
  assert.equal(requiresExactMatch(NOTHING as LabelSelector, 'app'), undefined);
});

test('Go string order: byte order, not UTF-16 order', () => {
  // U+FF61 (3 UTF-8 bytes, 0xEF...) sorts before U+10000 (4 bytes, 0xF0...) in Go; UTF-16 order disagrees.
  assert.ok(compareGoStrings('\uff61', '\u{10000}') < 0);
  assert.ok(compareGoStrings('a', 'ab') < 0);
  assert.ok(compareGoStrings('B', 'a') < 0);
  assert.equal(compareGoStrings('x', 'x'), 0);
});
