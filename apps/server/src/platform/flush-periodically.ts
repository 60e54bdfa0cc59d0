import type { FastifyInstance } from 'fastify';

/** How often buffered counters are written. */
export const FLUSH_EVERY_MS = 10_000;

/**
 * Writes what services buffer in memory (guide views, refused calls past the cap) every
 * `everyMs`, and once more when the app closes, before the database does. Deliberately small:
 * the jobs platform will take the timer over.
 */
export function flushPeriodically(
  app: FastifyInstance,
  flushes: Record<string, () => Promise<unknown>>,
  everyMs = FLUSH_EVERY_MS,
): void {
  let running: Promise<void> | null = null;
  const flushAll = async () => {
    for (const [name, flush] of Object.entries(flushes)) {
      try {
        await flush();
      } catch (err) {
        app.log.error({ err, buffer: name }, 'could not write buffered counts');
      }
    }
  };
  const tick = () => {
    running ??= flushAll().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
    await flushAll();
  });
}
