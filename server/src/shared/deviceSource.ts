// How the editor says where a network's device came from (the server sends the engine's DeviceSource).

export function deviceSourceText(source: string): string {
  return source === 'session' ? 'device chosen in this session' : `device from ${source}`;
}
