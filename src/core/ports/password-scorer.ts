/** One guessable piece of a password, as zxcvbn finds it. */
export interface PasswordMatch {
  pattern: string;
  token: string;
  /** For dictionary matches: which list (`userInputs` = the person's own facts). */
  dictionaryName?: string;
}

export interface PasswordScore {
  /** 0 (guessable at once) – 4 (strong). */
  score: number;
  sequence: PasswordMatch[];
  warning: string;
}

/**
 * Scores a password against dictionaries and the person's own facts. zxcvbn implements it
 * (`src/adapters/password`), loaded only when a checkup runs: its dictionaries never weigh on the mail check.
 */
export interface PasswordScorer {
  score(password: string, userInputs: readonly string[]): Promise<PasswordScore>;
}
