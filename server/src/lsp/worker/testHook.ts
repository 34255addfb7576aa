// Test hooks (AI8X_SERVER_TEST_HOOKS=1 only): a line `# ai8x-test-hook: sleep=MS | exit | throw | oom` in a document
// makes its check slow, crash, throw or run out of memory, so that the tests can see the server survive it.
export function testHook(text: string): void {
  if (process.env.AI8X_SERVER_TEST_HOOKS !== '1') return;
  const m = /^# ai8x-test-hook: (\w+)(?:=(\d+))?/m.exec(text);
  if (!m) return;
  if (m[1] === 'sleep') {
    const until = Date.now() + Number(m[2] ?? 0);
    while (Date.now() < until) {
      // a check that takes this long
    }
  } else if (m[1] === 'exit') {
    process.exit(3);
  } else if (m[1] === 'throw') {
    throw new Error('test hook: the check threw');
  } else if (m[1] === 'oom') {
    const hog: unknown[] = [];
    for (;;) hog.push(new Array(1_000_000).fill(hog.length));
  }
}
