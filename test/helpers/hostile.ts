import fc from 'fast-check';

/** The fuzz suites' one seed (`npm test` runs the same cases everywhere); change it to explore. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261207);

// Text that has broken parsers, schemas and SQL before: lone surrogates, NUL and CR/LF,
// right-to-left overrides, prototype keys, FTS syntax, path climbs, very long and empty.
export const NASTY = [
  '',
  ' ',
  '\u0000',
  '\r\nX-Injected: 1',
  '\uD800',
  '\uDFFFa\uD83D',
  '\u202E\u200B',
  '__proto__',
  'constructor',
  '../../../etc/passwd',
  '%00',
  '%',
  '%E0%A4%A',
  '"NEAR( OR *',
  "'; DROP TABLE records; --",
  '900101-1234567',
  '가'.repeat(5000),
  'x'.repeat(70_000),
  '1e309',
  '-0',
  'NaN',
  '{}',
];

export const hostileText = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('가', '나', 'ㅈ', '-', ' ', '0', '9', '*'), maxLength: 30 }) },
  );

/** Any JSON value, hostile text and numbers at the leaves, nested up to a few levels. */
export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileText(),
      fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 53, Number.MAX_VALUE, 1e-320)),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(fc.oneof(hostileText(), fc.constantFrom('id', 'batchKey', 'records', 'query', 'username', 'password', 'events', 'counts', 'term', 'expansions')), tie('value'), { maxKeys: 5 }),
    ),
  })).value;

/** Bodies known to have broken servers: sent to every route, besides the random ones. */
export const NASTY_BODIES: readonly { type: string; bytes: Buffer }[] = [
  { type: 'application/json', bytes: Buffer.from('') },
  { type: 'application/json', bytes: Buffer.from('{') },
  { type: 'application/json', bytes: Buffer.from('null') },
  { type: 'application/json', bytes: Buffer.from('"\\ud800"') },
  { type: 'application/json', bytes: Buffer.from([0xff, 0xfe, 0x7b]) },
  { type: 'application/json', bytes: Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`) },
  { type: 'application/json', bytes: Buffer.from('{"__proto__": {"admin": true}, "constructor": {"prototype": 1}}') },
  { type: 'application/json', bytes: Buffer.from(JSON.stringify({ id: 'x'.repeat(70_000), records: [null], events: [{}], counts: [{ id: '', count: Number.POSITIVE_INFINITY }] })) },
  { type: 'text/plain', bytes: Buffer.from('hello') },
];

/** A request body: JSON of any shape, bytes that are no UTF-8, the wrong type, too deep or empty. */
export function hostileBody(): fc.Arbitrary<{ type: string; bytes: Buffer } | null> {
  const json = (text: string) => ({ type: 'application/json', bytes: Buffer.from(text, 'utf8') });
  return fc.oneof(
    fc.constant(null),
    hostileValue().map((v) => json(JSON.stringify(v) ?? 'null')),
    fc.uint8Array({ maxLength: 300 }).map((b) => ({ type: 'application/json', bytes: Buffer.from([0xff, 0xfe, ...b]) })),
    fc.constantFrom(json(''), json('{'), json('[]'.repeat(3)), json(`${'['.repeat(5000)}${']'.repeat(5000)}`), json('"\\ud800"'), json('{"__proto__": {"admin": true}}')),
    hostileText().map((t) => ({ type: 'text/plain', bytes: Buffer.from(t) })),
    hostileValue().map((v) => ({ type: 'application/x-www-form-urlencoded', bytes: Buffer.from(`a=${pct(JSON.stringify(v) ?? '')}`) })),
  );
}

/** Percent-encoding that also carries lone surrogates (as the bytes a sloppy client would send). */
export function pct(text: string): string {
  let out = '';
  for (const ch of text) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      out += '%ED%A0%80';
    }
  }
  return out;
}

/** A path segment (put in place of a route's :param, URL-encoded). */
export const hostileSegment = (): fc.Arbitrary<string> => hostileText().map((t) => t.slice(0, 300));

/** A query string: random keys and values, or the route's own keys with hostile values. */
export const hostileQuery = (): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom('since', 'limit', 'maxBytes', 'agent', 'from', 'to', 'channel', 'platform', 'serial'), hostileText()), hostileText()), { maxLength: 4 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${pct(k.slice(0, 50))}=${pct(v.slice(0, 300))}`).join('&')}` : ''));
