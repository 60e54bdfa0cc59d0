import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import { pendingMigrations } from '../db/migrate';

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { schema: { tags: ['health'], summary: '存活 (liveness)' } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/healthz/readiness',
    { schema: { tags: ['health'], summary: '就绪：数据库可达且迁移已执行 (readiness)' } },
    async (req, reply) => {
      try {
        await sql`select 1`.execute(ctx.db);
        const pending = await pendingMigrations(ctx.database);
        if (pending.length > 0) {
          return reply.status(503).send({
            code: 'NOT_READY',
            message: '数据库迁移未执行',
            hint: 'npm run govflow -- migrate',
            requestId: String(req.id),
            pending,
          });
        }
        return { status: 'ready', database: ctx.dialect };
      } catch (err) {
        req.log.warn({ err }, 'readiness check failed');
        return reply.status(503).send({
          code: 'NOT_READY',
          message: '数据库不可达',
          requestId: String(req.id),
        });
      }
    },
  );
}
