/** src/discovery/jcs.ts (RFC 8785) and the signed-card payload forms of src/discovery/card-signatures.ts. */
import { describe, expect, it } from 'vitest';
import { canonicalize, JcsError } from '../../src/discovery/jcs.js';
import { fromBase64url, payloadForms } from '../../src/discovery/card-signatures.js';

/** A double from its IEEE-754 bit pattern (RFC 8785 Appendix B gives the samples that way). */
const fromHex = (hex: string) => Buffer.from(hex, 'hex').readDoubleBE(0);

describe('canonicalize (RFC 8785)', () => {
  it('§3.2.2: the example with numbers, escapes and literals', () => {
    // The input text of RFC 8785 §3.2.2, parsed as a JSON parser would.
    const input = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`);
    expect(canonicalize(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],` +
        String.raw`"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('§3.2.3: members sorted by UTF-16 code units, not code points or locale', () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`) as Record<string, string>;
    const out = canonicalize(input);
    // (read the order from the text: re-parsing would enumerate the integer-like key "1" first)
    expect([...out.matchAll(/:"([^"]+)"/g)].map((m) => m[1])).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    // U+1F600 (surrogates D83D DE00) sorts before U+FB33 although its code point is larger.
    expect(out.indexOf('\u{1F600}')).toBeLessThan(out.indexOf('\uFB33'));
    expect(out).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With ' +
        'Diaeresis","\u20ac":"Euro Sign","\u{1F600}":"Emoji: Grinning Face","\uFB33":"Hebrew Letter Dalet With ' +
        'Dagesh"}',
    );
    // Nested objects are sorted too; arrays keep their order.
    expect(canonicalize({ b: [3, 1, { z: 1, a: 2 }], a: {} })).toBe('{"a":{},"b":[3,1,{"a":2,"z":1}]}');
  });

  it('Appendix B: number serialization samples', () => {
    const samples: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [hex, want] of samples) expect(canonicalize(fromHex(hex)), hex).toBe(want);
  });

  it('Appendix B: NaN and Infinity are errors', () => {
    expect(() => canonicalize(fromHex('7fffffffffffffff'))).toThrow(JcsError);
    expect(() => canonicalize({ a: [fromHex('7ff0000000000000')] })).toThrow(/\/a\/0/);
  });

  it('§3.2.2.2: string escaping (short escapes, lower-case \\u00xx, everything else literal)', () => {
    expect(canonicalize('\b\t\n\f\r"\\/')).toBe('"\\b\\t\\n\\f\\r\\"\\\\/"');
    expect(canonicalize('\u0000\u001f\u007f\u00e9\u2028')).toBe('"\\u0000\\u001f\u007f\u00e9\u2028"');
    expect(canonicalize('\u{1F600}')).toBe('"\u{1F600}"');
  });

  it('rejects what is not I-JSON: lone surrogates, non-JSON values', () => {
    expect(() => canonicalize('\ud800')).toThrow(JcsError);
    expect(() => canonicalize({ ['\udc00']: 1 })).toThrow(JcsError);
    expect(() => canonicalize(1n)).toThrow(JcsError);
    expect(canonicalize({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});

describe('payloadForms (1.0 §8.4.1)', () => {
  it('the presence-rules form reproduces the worked example of §8.4.1 (REQUIRED and optional fields kept)', () => {
    const card = {
      name: 'Example Agent',
      description: '',
      capabilities: { streaming: false, pushNotifications: false, extensions: [] },
      skills: [],
      signatures: [{ protected: 'x', signature: 'y' }],
    };
    const forms = payloadForms(card);
    expect(forms.map((f) => f.form)).toEqual(['as served', 'a2a.proto presence rules', 'all empty values removed']);
    expect(forms[0]!.payload).toBe(
      '{"capabilities":{"extensions":[],"pushNotifications":false,"streaming":false},' +
        '"description":"","name":"Example Agent","skills":[]}',
    );
    expect(forms[1]!.payload).toBe(
      '{"capabilities":{"pushNotifications":false,"streaming":false},"description":"","name":"Example ' +
        'Agent","skills":[]}',
    );
    expect(forms[2]!.payload).toBe('{"name":"Example Agent"}');
  });

  it(
    'presence rules: non-optional defaults go (tenant "", empty maps and lists), set messages and Structs ' + 'stay',
    () => {
      const card = {
        name: 'a',
        supportedInterfaces: [{ url: 'https://x', protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' }],
        provider: { url: 'https://p', organization: 'o' },
        securitySchemes: {},
        securityRequirements: [{ schemes: { k: { list: [] } } }],
        capabilities: {
          extendedAgentCard: false,
          extensions: [{ uri: 'u', required: false, params: { on: false, list: [] } }],
        },
      };
      const presence = payloadForms(card).find((f) => f.form === 'a2a.proto presence rules')!;
      expect(JSON.parse(presence.payload)).toEqual({
        name: 'a',
        supportedInterfaces: [{ url: 'https://x', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
        provider: { url: 'https://p', organization: 'o' },
        securityRequirements: [{ schemes: { k: {} } }],
        capabilities: { extendedAgentCard: false, extensions: [{ uri: 'u', params: { on: false, list: [] } }] },
      });
    },
  );

  it('identical forms are tried once', () => {
    expect(payloadForms({ name: 'n', version: '1' }).map((f) => f.form)).toEqual(['as served']);
  });
});

describe('fromBase64url', () => {
  it('accepts unpadded base64url only', () => {
    expect(fromBase64url('eyJhIjoxfQ')?.toString()).toBe('{"a":1}');
    expect(fromBase64url('eyJhIjoxfQ==')).toBeUndefined();
    expect(fromBase64url('a+b/')).toBeUndefined();
    expect(fromBase64url('abcde')).toBeUndefined();
  });
});
