// apimachinery string validators: exact messages (k8s.io/apimachinery/pkg/util/validation/validation.go,
// kubernetes-semantics.md §1.3–§1.6) and the metav1 helpers built on them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from './status.ts';
import {
  formatIP, isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isFullyQualifiedDomainName,
  isQualifiedName, isValidCIDR, isValidIP, isValidLabelValue, isValidPortName, isValidPortNum, maskTrailingDash,
  nameValidator, parseCIDR, parseIP, validateAnnotations, validateLabels, validateLabelSelector,
  validateNonnegativeField, validateNonSpecialIP,
} from './validation.ts';

const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const cases: Array<[string, () => string[], string[]]> = [
  ['IsDNS1123Label ok', () => isDNS1123Label('web-0'), []],
  ['IsDNS1123Label uppercase', () => isDNS1123Label('HTTP'), [LABEL_MSG]],
  ['IsDNS1123Label dots → must not contain dots', () => isDNS1123Label('a.b'), ['must not contain dots']],
  ['IsDNS1123Label too long and bad', () => isDNS1123Label('a'.repeat(63) + '-'), ['must be no more than 63 characters', LABEL_MSG]],
  ['IsDNS1123Label 64 chars of a → too long only', () => isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']],
  ['IsDNS1123Subdomain ok', () => isDNS1123Subdomain('example.com'), []],
  ['IsDNS1123Subdomain underscore', () => isDNS1123Subdomain('Foo_Bar'), [SUBDOMAIN_MSG]],
  ['IsDNS1123Subdomain 254 (the regex has no per-label limit)', () => isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']],
  ['IsDNS1035Label leading digit', () => isDNS1035Label('1web'), [DNS1035_MSG]],
  ['IsDNS1035Label uppercase', () => isDNS1035Label('My-Svc'), [DNS1035_MSG]],
  ['IsQualifiedName ok with prefix', () => isQualifiedName('app.kubernetes.io/name'), []],
  ['IsQualifiedName space', () => isQualifiedName('app name'), [QNAME_MSG]],
  ['IsQualifiedName empty prefix', () => isQualifiedName('/name'), ['prefix part must be non-empty']],
  ['IsQualifiedName bad prefix', () => isQualifiedName('Example.com/name'), ['prefix part ' + SUBDOMAIN_MSG]],
  ['IsQualifiedName empty name', () => isQualifiedName('example.com/'), ['name part must be non-empty', QNAME_MSG]],
  ['IsQualifiedName too long name', () => isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']],
  ['IsQualifiedName two slashes', () => isQualifiedName('a/b/c'), [
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  ]],
  ['IsValidLabelValue empty is fine', () => isValidLabelValue(''), []],
  ['IsValidLabelValue space', () => isValidLabelValue('a b'), [LABEL_VALUE_MSG]],
  ['IsValidLabelValue 64', () => isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters']],
  ['IsValidPortNum 0', () => isValidPortNum(0), ['must be between 1 and 65535, inclusive']],
  ['IsValidPortNum 65536', () => isValidPortNum(65536), ['must be between 1 and 65535, inclusive']],
  ['IsValidPortNum 443', () => isValidPortNum(443), []],
  ['IsValidPortName ok', () => isValidPortName('http-alt'), []],
  ['IsValidPortName digits only', () => isValidPortName('8080'), ['must contain at least one letter (a-z)']],
  ['IsValidPortName every rule', () => isValidPortName('-A--b-very-long-x-'), [
    'must be no more than 15 characters',
    'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'must not contain consecutive hyphens',
    'must not begin or end with a hyphen',
  ]],
  ['IsValidIP v4', () => isValidIP('10.96.0.10'), []],
  ['IsValidIP v6', () => isValidIP('2001:db8::ffff'), []],
  ['IsValidIP sloppy leading zeros accepted', () => isValidIP('010.001.0.1'), []],
  ['IsValidIP garbage', () => isValidIP('abc'), ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
  ['IsValidIP zone rejected', () => isValidIP('fe80::1%eth0'), ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
  ['IsValidCIDR ok', () => isValidCIDR('10.96.0.0/12'), []],
  ['IsValidCIDR bad', () => isValidCIDR('10.96.0.0/33'), ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
  ['IsConfigMapKey ok', () => isConfigMapKey('app.properties'), []],
  ['IsConfigMapKey slash and ..', () => isConfigMapKey('../a'), [
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    "must not start with '..'",
  ]],
  ['NameIsDNSSubdomain prefix allows a trailing dash', () => nameValidator('dns1123subdomain')('web-', true), []],
  ['NameIsDNSSubdomain name rejects a trailing dash', () => nameValidator('dns1123subdomain')('web-', false), [SUBDOMAIN_MSG]],
  ['NameIsDNS1035Label prefix', () => nameValidator('dns1035label')('web-', true), []],
  ['path segment name', () => nameValidator('path')('..', false), ["may not be '..'"]],
  ['path segment name with slash and percent', () => nameValidator('path')('a/b%', false), ["may not contain '/'", "may not contain '%'"]],
];

for (const [name, fn, want] of cases) test(`validation: ${name}`, () => assert.deepEqual(fn(), want));

test('maskTrailingDash replaces the last two characters, as upstream does', () => {
  assert.equal(maskTrailingDash('web-'), 'wea');
  assert.equal(maskTrailingDash('-'), '-');
  assert.equal(maskTrailingDash('web'), 'web');
});

test('parseIP/formatIP follow Go: IPv4-mapped is IPv4, IPv6 printed RFC 5952', () => {
  assert.equal(parseIP('::ffff:10.0.0.1')?.family, 'IPv4');
  assert.equal(formatIP(parseIP('2001:0DB8:0:0:0:0:0:1')!), '2001:db8::1');
  assert.equal(formatIP(parseIP('1:0:0:2:0:0:0:3')!), '1:0:0:2::3');
  assert.equal(parseIP('1::2:3:4:5:6:7:8'), null);
  assert.equal(parseIP('1.2.3.256'), null);
  assert.deepEqual(parseCIDR('10.96.7.1/12'), { family: 'IPv4', network: (10n << 24n) | (96n << 16n), prefix: 12, bits: 32 });
});

test('ValidateLabels: path is the map, keys sorted, values checked', () => {
  const errs = validateLabels({ 'b b': 'x', a: 'c d' }, 'metadata.labels').map(fieldErrorString);
  assert.deepEqual(errs, [
    `metadata.labels: Invalid value: "c d": ${LABEL_VALUE_MSG}`,
    `metadata.labels: Invalid value: "b b": ${QNAME_MSG}`,
  ]);
});

test('ValidateAnnotations: case-insensitive keys; 256 KiB total', () => {
  assert.deepEqual(validateAnnotations({ 'Example.com/Key': 'v' }, 'metadata.annotations'), []);
  const big = validateAnnotations({ a: 'x'.repeat(262144) }, 'metadata.annotations').map(fieldErrorString);
  assert.deepEqual(big, ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  assert.deepEqual(validateAnnotations({ a: 'x'.repeat(262143) }, 'metadata.annotations'), []);
});

test('ValidateLabelSelector: operators and their messages', () => {
  const errs = validateLabelSelector({
    matchLabels: { app: 'a b' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: [] },
      { key: 'tier', operator: 'Exists', values: ['x'] },
      { key: 'bad key', operator: 'Foo' },
      { key: 'ok', operator: 'NotIn', values: ['a b'] },
    ],
  }, 'spec.selector').map(fieldErrorString);
  assert.deepEqual(errs, [
    `spec.selector.matchLabels: Invalid value: "a b": ${LABEL_VALUE_MSG}`,
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator',
    `spec.selector.matchExpressions[2].key: Invalid value: "bad key": ${QNAME_MSG}`,
    `spec.selector.matchExpressions[3].values[0]: Invalid value: "a b": ${LABEL_VALUE_MSG}`,
  ]);
});

test('ValidateNonnegativeField', () => {
  assert.deepEqual(validateNonnegativeField(-1, 'spec.replicas').map(fieldErrorString), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  assert.deepEqual(validateNonnegativeField(0, 'spec.replicas'), []);
});

test('ValidateNonSpecialIP: every special range, loopback optional', () => {
  const f = (ip: string, allowLoopback = false) => validateNonSpecialIP(ip, 'ip', { allowLoopback }).map((e) => e.detail);
  assert.deepEqual(f('0.0.0.0'), ['may not be unspecified (0.0.0.0)']);
  assert.deepEqual(f('127.0.0.1'), ['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
  assert.deepEqual(f('127.0.0.1', true), []);
  assert.deepEqual(f('::1'), ['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
  assert.deepEqual(f('169.254.1.1'), ['may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
  assert.deepEqual(f('fe80::1'), ['may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
  assert.deepEqual(f('224.0.0.5'), ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']);
  assert.deepEqual(f('10.244.1.5'), []);
  assert.deepEqual(f('x'), ['must be a valid IP address']);
});

test('IsFullyQualifiedDomainName', () => {
  assert.deepEqual(isFullyQualifiedDomainName('a', 'example.com.'), []);
  assert.deepEqual(isFullyQualifiedDomainName('a', 'localhost').map(fieldErrorString), ['a: Invalid value: "localhost": should be a domain with at least two segments separated by dots']);
  assert.deepEqual(isFullyQualifiedDomainName('a', '').map(fieldErrorString), ['a: Required value']);
});
