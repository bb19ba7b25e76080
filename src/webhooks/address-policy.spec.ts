import { isForbiddenAddress, resolveDestination } from './address-policy';

describe('webhook address policy', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:8.8.8.8',
    '::ffff:7f00:1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
    'ff02::1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e'])('allows the public %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });

  it('checks literal hosts, bracketed IPv6 too, and lets them through with the allow flag', async () => {
    await expect(resolveDestination('127.0.0.1', false)).rejects.toThrow(/non-public/);
    await expect(resolveDestination('[::1]', false)).rejects.toThrow(/non-public/);
    await expect(resolveDestination('localhost', false)).rejects.toThrow(/non-public/);
    await expect(resolveDestination('127.0.0.1', true)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(resolveDestination('[::1]', true)).resolves.toEqual({ address: '::1', family: 6 });
  });
});
