// Coexistence with Red Hat YAML: give it our JSON schema for the files our server recognised as networks.
import * as vscode from 'vscode';

interface YamlExtensionApi {
  registerContributor(
    schema: string,
    requestSchema: (resource: string) => string | undefined,
    requestSchemaContent: (uri: string) => string | undefined,
  ): boolean;
}

const SCHEME = 'ai8x-schema';

export function registerYamlSchemaContributor(context: vscode.ExtensionContext, isNetwork: (uri: string) => boolean): void {
  const ext = vscode.extensions.getExtension<YamlExtensionApi>('redhat.vscode-yaml');
  if (!ext) return;
  void Promise.resolve(ext.isActive ? ext.exports : ext.activate()).then(
    async (api) => {
      if (!api || typeof api.registerContributor !== 'function') return;
      const schemaText = Buffer.from(
        await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'schemas', 'ai8x-network.schema.json')),
      ).toString('utf8');
      api.registerContributor(
        SCHEME,
        (resource) => (isNetwork(resource) ? `${SCHEME}://schemas/ai8x-network` : undefined),
        () => schemaText,
      );
    },
    () => undefined,
  );
}
