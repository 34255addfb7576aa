// The network a command without an argument is about: the active editor's document, else the network that was
// active last (a command run from the walkthrough, a view or the status bar finds no active text editor).
// A leaf of the client: NetworkStatus records the last network, the commands read it.
import * as vscode from 'vscode';

let lastNetwork: vscode.Uri | undefined;

export function rememberActiveNetwork(uri: vscode.Uri): void {
  lastNetwork = uri;
}

export function activeNetworkUri(): vscode.Uri | undefined {
  return vscode.window.activeTextEditor?.document.uri ?? lastNetwork;
}
