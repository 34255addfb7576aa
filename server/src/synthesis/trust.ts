// Synthesis runs the Python code of a folder the workspace names; an untrusted workspace could point that at
// anything, so nothing is started there.

export interface RunDecision {
  allowed: boolean;
  /** Why not, in words for the user. */
  reason?: string;
}

export function mayRunSynthesis(workspaceTrusted: boolean): RunDecision {
  if (workspaceTrusted) return { allowed: true };
  return {
    allowed: false,
    reason:
      "Synthesis is disabled in Restricted Mode: it runs Python programs (ai8xize.py and the interpreter) chosen by this workspace's settings, " +
      'which an untrusted workspace could point at anything. Trust the workspace (Manage Workspace Trust) to synthesize C code.',
  };
}
