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

/** A line typed at the terminal (echoed), the question on stderr so stdout stays data. */
export async function readLine(prompt: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
}

/**
 * The terminal the person answers at, injectable (tests give their own): each read is null when nobody is at a
 * terminal to answer (stdin is not a TTY), and then nothing is asked.
 */
export interface Terminal {
  /** A line typed without echo (a password). */
  hidden(prompt: string): Promise<string | null>;
  /** A line typed (an answer). */
  line(prompt: string): Promise<string | null>;
}

export const processTerminal: Terminal = {
  hidden: (prompt) => (process.stdin.isTTY ? readHiddenLine(prompt) : Promise.resolve(null)),
  line: (prompt) => (process.stdin.isTTY ? readLine(prompt) : Promise.resolve(null)),
};

const YES = new Set(['y', 'yes', 'はい', 'ｙ']);

/** A yes to a [y/N] question; anything else (Enter alone, no terminal) is no. */
export const saidYes = (answer: string | null): boolean =>
  answer !== null && YES.has(answer.trim().toLowerCase());
