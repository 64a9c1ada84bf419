import { describe, expect, it } from 'vitest';
import { loadConfig, readTrustProxy } from '../../src/config.ts';

describe('TRUST_PROXY', () => {
  it('is off by default: the connection address counts, X-Forwarded-For is ignored', async () => {
    expect((await loadConfig({})).trustProxy).toBe(false);
    expect(readTrustProxy('')).toBe(false);
    expect(readTrustProxy('false')).toBe(false);
    expect(readTrustProxy('0')).toBe(false);
  });

  it('takes a hop count or the proxies as addresses, subnets and named ranges', () => {
    expect(readTrustProxy('1')).toBe(1);
    expect(readTrustProxy('10.0.0.1, 10.1.0.0/16,loopback, fd00::/8')).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      'loopback',
      'fd00::/8',
    ]);
  });

  it.each([
    ['true', 'TRUST_PROXY=true would let any client set its address; name the proxies or a hop count'],
    ['11', 'TRUST_PROXY hop count must be 0–10'],
    [
      '10.0.0.1,proxy.example',
      'TRUST_PROXY must be a hop count or a list of addresses, subnets and loopback/linklocal/uniquelocal; not "proxy.example"',
    ],
    [
      '10.0.0.0/33',
      'TRUST_PROXY must be a hop count or a list of addresses, subnets and loopback/linklocal/uniquelocal; not "10.0.0.0/33"',
    ],
  ])('refuses %j', async (value, message) => {
    await expect(loadConfig({ TRUST_PROXY: value })).rejects.toThrow(message);
  });
});
