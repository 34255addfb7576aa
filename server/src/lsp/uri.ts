import { fileURLToPath, pathToFileURL } from 'node:url';

export const URI = {
  toPath(uri: string): string {
    if (uri.startsWith('file:')) {
      try {
        return fileURLToPath(uri);
      } catch {
        return uri;
      }
    }
    return uri.replace(/^[a-z-]+:\/\/[^/]*/i, '');
  },
  fromPath(path: string): string {
    return pathToFileURL(path).href;
  },
};
