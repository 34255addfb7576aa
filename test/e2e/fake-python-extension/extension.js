// Stand-in for ms-python.python in the e2e run (scripts/run-e2e.mjs loads it as a second development extension).
// It answers the published environments API (@vscode/python-extension) with an interpreter path the test sets.
const vscode = require('vscode');

let activePath = '/usr/bin/python3';
const calls = [];

exports.activate = function activate() {
  return {
    environments: {
      getActiveEnvironmentPath(resource) {
        calls.push({ method: 'getActiveEnvironmentPath', resource: resource ? resource.toString() : null });
        return { id: activePath, path: activePath };
      },
      async resolveEnvironment(env) {
        calls.push({ method: 'resolveEnvironment' });
        const p = typeof env === 'string' ? env : env.path;
        return { id: p, path: p, executable: { uri: vscode.Uri.file(p) } };
      },
    },
    // Test hooks, not part of the real API.
    e2e: {
      setActivePath(p) {
        activePath = p;
      },
      calls,
    },
  };
};
