// Errors a user sees: a stable code and one line naming the file and what went wrong.

export type ErrorCode =
  | 'E_USAGE' | 'E_SOURCE_MISSING' | 'E_SOURCE_UNREADABLE' | 'E_INPUT_UNREADABLE'
  | 'E_BAD_HEADER' | 'E_BAD_OPTION' | 'E_FX_FILE' | 'E_INVARIANT' | 'E_OUTPUT'
  | 'E_LOCKED' | 'E_GZIP';

/** C0 and C1 control characters and DEL: a line break, or an escape sequence a terminal would obey. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` with each control character written as `\uXXXX`, so a message stays one line of inert text. */
export const escapeControls = (text: string): string =>
  text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * An error meant for a person: the CLI prints `message` alone, never a stack. Messages quote
 * input (file names, header lines), so control characters are escaped here, once for all.
 */
export class AudicinError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(`audicin: ${escapeControls(message)}`);
    this.name = 'AudicinError';
    this.code = code;
  }
}

export const isAudicinError = (err: unknown): err is AudicinError => err instanceof AudicinError;

/** Plain words for the system errors a person can act on. */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EISDIR: 'is a folder, expected a file',
  ENOTDIR: 'not a folder',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EFBIG: 'file too large',
};

/** Codes that say the output device refused bytes, whatever is being copied. */
export const OUTPUT_FULL = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EFBIG']);

/** One line for a file-system error on `file`, without Node's stack. */
export function fileError(code: ErrorCode, file: string, err: unknown): AudicinError {
  if (err instanceof AudicinError) return err;
  const sys = err as NodeJS.ErrnoException;
  const why = SYSTEM_ERRORS[sys?.code ?? ''] ?? String(sys?.message ?? err);
  return new AudicinError(code, `${file}: ${why}`);
}
