/**
 * A line typed at the terminal without echo (for the checkup's password): raw mode, so nothing typed is shown
 * or kept in the terminal's scroll-back; Backspace edits, Enter ends, Ctrl-C or Ctrl-D with nothing typed
 * cancels. Only for a TTY: piped input is read as it is.
 */
export function readHiddenLine(prompt: string): Promise<string | null> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let line = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (value: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(line);
        if (ch === '\u0003' || (ch === '\u0004' && line === '')) return done(null);
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else if (ch >= ' ') line += ch;
      }
    };
    stdin.on('data', onData);
  });
}
