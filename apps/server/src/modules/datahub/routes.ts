import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { callerOf } from '../../platform/http/caller';
import { PROOF_TYPES, type ProofType } from './proof-providers';

const proofQueryBody = z.strictObject({
  idNumber: z.string().trim().min(1).max(32),
  /** The number must come from the ID card reader; typing it in is refused for this query. */
  source: z.literal('card-reader', {
    message: '身份证号码须由读卡器读取，不能手工录入 (read the ID card; manual entry is refused)',
  }),
  proofTypes: z
    .array(z.enum(Object.keys(PROOF_TYPES) as [ProofType, ...ProofType[]]))
    .min(1)
    .max(Object.keys(PROOF_TYPES).length),
});

export function datahubRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/v1/datahub/proof-queries', {
    schema: {
      tags: ['datahub'],
      summary: '一证通办：读卡后并行查询证明，不落地 (one ID card: query proofs in parallel; nothing stored)',
      body: proofQueryBody,
    },
    config: { access: 'datahub:proof-query' },
    handler: async (req) => ctx.datahub.proofs.query(callerOf(req), req.body.idNumber, req.body.proofTypes),
  });
}
