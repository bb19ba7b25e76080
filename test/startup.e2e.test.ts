import { runDist } from './support/processes';

describe('start-up checks of the built entrypoints', () => {
  it.each(['main.js', 'worker.js', 'cli.js'])('%s stops with one line naming a bad variable', async (script) => {
    const proc = runDist(script, { PORT: 'not-a-port' }, script === 'cli.js' ? ['organizer:create'] : []);
    const { code } = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output().trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT /)]);
  });
});
