// Multi-document YAML as kubectl reads it.
import { stringify } from 'yaml';

export function yamlDocs(objects: unknown[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}
