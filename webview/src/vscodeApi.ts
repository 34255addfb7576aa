// The API VS Code gives a webview page, typed by the messages the page sends and the state it keeps across reloads.

export interface WebviewApi<Message, State> {
  postMessage(message: Message): void;
  getState(): State | undefined;
  setState(state: State): State;
}

declare function acquireVsCodeApi<Message, State>(): WebviewApi<Message, State>;

/** The page's API (VS Code allows one call per page). */
export function vscodeApi<Message, State>(): WebviewApi<Message, State> {
  return acquireVsCodeApi<Message, State>();
}
