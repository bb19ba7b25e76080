import { hashPassword, UNUSABLE_HASH, verifyPassword } from './password-hasher';

describe('password hashing (scrypt)', () => {
  it('verifies the password it hashed, and nothing else', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    await expect(verifyPassword(stored, 'correct horse battery staple')).resolves.toBe(true);
    await expect(verifyPassword(stored, 'correct horse battery stapl')).resolves.toBe(false);
    await expect(verifyPassword(UNUSABLE_HASH, '')).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });
});

describe('password hashing under a flood', () => {
  it('answers every caller in the queue, and refuses at once beyond it', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`password number ${i}`)));
    expect(new Set(results).size).toBe(6);
    await expect(verifyPassword(results[5], 'password number 5')).resolves.toBe(true);
    // One hashing and 16 waiting: the 18th is refused before it costs anything.
    const flood = Array.from({ length: 18 }, () =>
      verifyPassword(results[0], 'wrong').then(
        () => 'done',
        (err: Error) => err.constructor.name,
      ),
    );
    const outcomes = await Promise.all(flood);
    expect(outcomes.filter((o) => o === 'HashQueueFull')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'done')).toHaveLength(17);
  });
});
