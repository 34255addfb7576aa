/** Converts a glob (`**`, `*`, `?`, `{a,b}`, `[…]`) to a RegExp matched against `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inGroup = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inGroup++;
      re += '(?:';
    } else if (c === '}' && inGroup) {
      inGroup--;
      re += ')';
    } else if (c === ',' && inGroup) re += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re +=
          '[' +
          glob
            .slice(i + 1, end)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

/** True when `path` (any separators) matches the glob, either whole or as a suffix after a `/` for relative globs. */
export function matchesGlob(path: string, glob: string): boolean {
  const p = path.replace(/\\/g, '/');
  const re = globToRegExp(glob.replace(/\\/g, '/'));
  if (re.test(p)) return true;
  if (!glob.startsWith('/')) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) if (re.test(parts.slice(i).join('/'))) return true;
  }
  return false;
}
