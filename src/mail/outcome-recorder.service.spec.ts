import { EmailMessageRepository, SendOutcome } from './email-message.repository';
import { OutcomeRecorder } from './outcome-recorder.service';

/** A repository whose PostgreSQL is away until `up` is set; it keeps what it was given. */
class FakeMessages {
  up = false;
  written: SendOutcome[] = [];
  calls = 0;
  recordOutcomes(outcomes: SendOutcome[]): Promise<void> {
    this.calls++;
    if (!this.up) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    this.written.push(...outcomes);
    return Promise.resolve();
  }
}

class SmallRecorder extends OutcomeRecorder {
  protected override readonly limit = 3;
}

const sent = (id: string): SendOutcome => ({ id, status: 'sent', at: new Date(), providerMessageId: `<${id}@test>` });

describe('OutcomeRecorder', () => {
  let messages: FakeMessages;
  let recorder: OutcomeRecorder;
  let errors: jest.SpyInstance;

  beforeEach(() => {
    messages = new FakeMessages();
    recorder = new SmallRecorder(messages as unknown as EmailMessageRepository);
    // Quiet: the recorder logs every parked outcome at error level.
    errors = jest.spyOn(recorder['logger'], 'error').mockImplementation(() => undefined);
    jest.spyOn(recorder['logger'], 'log').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    messages.up = true;
    await recorder.beforeApplicationShutdown();
  });

  it('writes at once when PostgreSQL answers, keeping nothing', async () => {
    messages.up = true;
    await recorder.record(sent('a'));
    expect(messages.written.map((o) => o.id)).toEqual(['a']);
    expect(recorder.waiting).toBe(0);
  });

  it('parks what it cannot write without failing the send, and writes it once PostgreSQL is back', async () => {
    await expect(recorder.record(sent('a'))).resolves.toBeUndefined();
    await recorder.record({ id: 'b', status: 'pending', at: new Date(), error: 'try again later' });
    expect(recorder.waiting).toBe(2);
    await recorder.flush();
    expect(recorder.waiting).toBe(2);

    messages.up = true;
    await recorder.flush();
    expect(recorder.waiting).toBe(0);
    expect(messages.written.map((o) => [o.id, o.status])).toEqual([
      ['a', 'sent'],
      ['b', 'pending'],
    ]);
  });

  it('keeps writing in the background however long PostgreSQL is away', async () => {
    await recorder.record(sent('a'));
    const until = async (check: () => boolean): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    };
    const triesBefore = messages.calls;
    await until(() => messages.calls > triesBefore + 1);
    expect(messages.calls).toBeGreaterThan(triesBefore + 1);
    expect(recorder.waiting).toBe(1);
    messages.up = true;
    await until(() => recorder.waiting === 0);
    expect(messages.written.map((o) => o.id)).toEqual(['a']);
  });

  it('holds at most its limit, letting the oldest go (their rows stay locked, settled as uncertain later)', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) await recorder.record(sent(id));
    expect(recorder.waiting).toBe(3);
    messages.up = true;
    await recorder.flush();
    expect(messages.written.map((o) => o.id)).toEqual(['c', 'd', 'e']);
  });

  it('on shutdown tries a few seconds, then says what it could not write and returns', async () => {
    await recorder.record(sent('a'));
    const triesBefore = messages.calls;
    await recorder.beforeApplicationShutdown();
    expect(messages.calls).toBeGreaterThan(triesBefore);
    expect(recorder.waiting).toBe(1);
    expect(errors).toHaveBeenLastCalledWith(expect.stringContaining('stopping with 1 send outcome(s) unwritten'));
  }, 15_000);
});
