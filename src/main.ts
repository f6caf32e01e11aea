import { loadSettings, SettingsError } from './config/settings.ts';
import { ConfigError } from './config/config-error.ts';
import { createLogger } from './logger.ts';

/**
 * Entry point. Settings are validated first: a wrong or missing value exits with status 2 and a
 * message naming it, before anything connects anywhere.
 */
async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings(process.env);
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(settings.LOG_LEVEL);
  let hotline;
  try {
    // Loaded only after the settings are known good, so a bad setting fails in milliseconds.
    const { startHotline } = await import('./app.ts');
    hotline = await startHotline(settings, log);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Invalid hotline configuration: ${err.message}`);
      process.exit(2);
    }
    log.fatal({ err }, 'could not start');
    console.error(`could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: calls in Stasis stay with Asterisk and are resumed on the next start');
    await hotline.stop().catch((err: unknown) => log.error({ err }, 'error while stopping'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
}

void main();
