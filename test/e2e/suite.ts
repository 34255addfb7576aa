// Runs inside a real VS Code extension host (scripts/run-e2e.mjs, or scripts/run-test-electron.mjs) with the
// workspace test/e2e/workspace open: the suites below, in this order (one bundle, dist/test/suite.js).
import './editor.e2e';
import './synthesis.e2e';
import './nativeSynthesis.e2e';
import './simulator.e2e';
import './maps.e2e';
import './serverStatus.e2e';
import './gettingStarted.e2e';
import './quantize.e2e';
