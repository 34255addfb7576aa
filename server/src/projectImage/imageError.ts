// The one error the hardware-image harness throws: its message says in words what went wrong and what to do.
export type ImageProblem =
  /** The harness cannot run here (no C compiler, not Linux, its files missing). */
  | 'environment'
  /** The project folder cannot be read or lacks a file the harness needs. */
  | 'project'
  /** The project's C code does not compile with the stand-in MSDK headers. */
  | 'compile'
  /** The compiled project stopped, crashed, or did not finish in time. */
  | 'run'
  | 'cancelled';

export class ImageError extends Error {
  constructor(
    readonly problem: ImageProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}
