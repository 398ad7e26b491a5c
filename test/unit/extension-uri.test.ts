/** Version tokens in extension URIs (src/protocol/extension-uri.ts): what extensions.version.no-fallback probes. */
import { describe, expect, it } from 'vitest';
import { sameExtension, unlistedVersion, versionedUri } from '../../src/protocol/extension-uri.js';

describe('versionedUri', () => {
  it('reads the last version token of the path', () => {
    const v = versionedUri('https://example.com/ext/my-extension/v1');
    expect(v?.major).toBe(1);
    expect(v?.withMajor(2)).toBe('https://example.com/ext/my-extension/v2');
    expect(versionedUri('https://example.com/ext/v3/schema')?.withMajor(4)).toBe('https://example.com/ext/v4/schema');
    expect(versionedUri('https://example.com/ext/geo-v2.1')?.withMajor(3)).toBe('https://example.com/ext/geo-v3.0');
    expect(versionedUri('https://example.com/ext/1.0/')?.withMajor(2)).toBe('https://example.com/ext/2.0/');
  });

  it('finds no version where the path names none, or the URI is not a URL', () => {
    expect(versionedUri('https://example.com/ext/traceability')).toBeUndefined();
    expect(versionedUri('https://example.com/ext/v1beta')).toBeUndefined();
    expect(versionedUri('urn-like but not a url')).toBeUndefined();
  });
});

describe('sameExtension and unlistedVersion', () => {
  it('tells versions of one extension from other extensions', () => {
    expect(sameExtension('https://example.com/ext/a/v1', 'https://example.com/ext/a/v7')).toBe(true);
    expect(sameExtension('https://example.com/ext/a/v1', 'https://example.com/ext/b/v1')).toBe(false);
    expect(sameExtension('https://example.com/ext/a', 'https://example.com/ext/a')).toBe(false);
  });

  it('names a version the card does not list, above the highest one it lists', () => {
    const known = ['https://example.com/ext/a/v1', 'https://example.com/ext/a/v2', 'https://example.com/ext/b/v9'];
    expect(unlistedVersion(known[0]!, known)).toBe('https://example.com/ext/a/v3');
    expect(unlistedVersion('https://example.com/ext/plain', known)).toBeUndefined();
  });
});
