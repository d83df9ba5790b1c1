import { nodeIo } from './nodeIo.js';

describe('nodeIo', () => {
  it('writes to the process streams and has a progress display', () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const io = nodeIo();
      io.stdout('to stdout');
      io.stderr('to stderr');
      expect(out).toHaveBeenCalledWith('to stdout');
      expect(err).toHaveBeenCalledWith('to stderr');
      expect(typeof io.progress?.start).toBe('function');
      io.progress?.start(3);
      io.progress?.update(3);
      io.progress?.stop();
      expect(io.version).toBeUndefined();
      expect(nodeIo('9.9.9').version).toBe('9.9.9');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
