// Generated configs hold secrets (route password, TURN secret): owner-only, also when replacing an older file.
import { chmodSync, writeFileSync } from 'node:fs';

export function writeSecretFile(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}
