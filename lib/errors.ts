// Errors a user sees: a stable code and one line naming the file and what went wrong.

export type ErrorCode =
  | 'E_USAGE' | 'E_SOURCE_MISSING' | 'E_SOURCE_UNREADABLE' | 'E_INPUT_UNREADABLE'
  | 'E_BAD_HEADER' | 'E_BAD_OPTION' | 'E_FX_FILE' | 'E_INVARIANT' | 'E_OUTPUT';

/** An error meant for a person: the CLI prints `message` alone, never a stack. */
export class AudicinError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(`audicin: ${message}`);
    this.name = 'AudicinError';
    this.code = code;
  }
}

export const isAudicinError = (err: unknown): err is AudicinError => err instanceof AudicinError;

/** One line for a file-system error on `file`, without Node's stack. */
export function fileError(code: ErrorCode, file: string, err: unknown): AudicinError {
  const sys = err as NodeJS.ErrnoException;
  const why = sys?.code === 'ENOENT' ? 'no such file or folder'
    : sys?.code === 'EACCES' ? 'permission denied'
    : sys?.code === 'EISDIR' ? 'is a folder, expected a file'
    : sys?.code === 'ENOTDIR' ? 'not a folder'
    : String(sys?.message ?? err);
  return new AudicinError(code, `${file}: ${why}`);
}
