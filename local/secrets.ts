import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAppSecrets, type AppSecrets } from './stack';

/**
 * The Worker's secrets for `npm start`, generated once and kept in the data folder: the
 * encryption key must survive restarts or stored integration secrets become unreadable.
 */
export function loadOrCreateAppSecrets(dataDir: string, env: NodeJS.ProcessEnv): AppSecrets {
  const file = join(dataDir, 'secrets.json');
  const stored: AppSecrets = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : generateAppSecrets();
  if (!existsSync(file)) writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return {
    JWT_SIGNING_KEYS: env.JWT_SIGNING_KEYS ?? stored.JWT_SIGNING_KEYS,
    DATA_ENCRYPTION_KEY: env.DATA_ENCRYPTION_KEY ?? stored.DATA_ENCRYPTION_KEY,
    PLATFORM_ADMIN_TOKEN: env.PLATFORM_ADMIN_TOKEN ?? stored.PLATFORM_ADMIN_TOKEN,
  };
}
