import { maskIdNumber } from '@govflow/shared';
import { sm3 } from '../../platform/crypto/hash';
import { auditStamp, type Caller } from '../../platform/http/caller';
import { uuidv7 } from '../../platform/ids';
import type { ServiceDeps } from '../../platform/service-deps';
import { validIdNumber } from '../identity/person-service';
import {
  checkProofAnswer,
  PROOF_TYPES,
  type ProofProvider,
  type ProofRecord,
  type ProofType,
} from './proof-providers';

export type ProviderStatus = 'ok' | 'late' | 'failed';

export interface ProofQueryResult {
  queryId: string;
  idNumberMasked: string;
  proofs: Partial<Record<ProofType, ProofRecord & { title: string; provider: string }>>;
  /** Proof types no provider answered in time. */
  missing: ProofType[];
  providers: { name: string; status: ProviderStatus; ms: number; error?: string }[];
}

/**
 * One ID card for everything (一证通办): asks every provider that can answer any of the requested
 * proofs, in parallel, each under its own timeout; merges the answers and marks the late and the
 * failed. The proofs are returned, never stored: the log keeps who asked, for what, which
 * providers answered, and the SM3 of the result.
 */
export class ProofQueryService {
  private readonly providers: ProofProvider[] = [];

  constructor(
    private readonly deps: ServiceDeps,
    private readonly timeoutMs: number,
  ) {}

  register(provider: ProofProvider): void {
    this.providers.push(provider);
  }

  /** The names of the registered providers, in the order they are asked (for monitoring). */
  providerNames(): string[] {
    return this.providers.map((p) => p.name);
  }

  async query(caller: Caller, idNumberInput: string, proofTypes: ProofType[]): Promise<ProofQueryResult> {
    const { value: idNumber } = validIdNumber(idNumberInput);
    const wanted = [...new Set(proofTypes)];
    const asked = this.providers.filter((p) => p.proofTypes.some((t) => wanted.includes(t)));
    const answers = await Promise.all(
      asked.map(async (p) => {
        const started = performance.now();
        const controller = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => {
            controller.abort();
            resolve('late');
          }, this.timeoutMs);
        });
        try {
          const types = wanted.filter((t) => p.proofTypes.includes(t));
          const r = await Promise.race([p.fetch(idNumber, types, controller.signal), deadline]);
          const ms = Math.round(performance.now() - started);
          if (r === 'late') return { provider: p, status: 'late' as const, ms, proofs: {} };
          // Checked here, inside this provider's try: a malformed answer fails only this provider.
          return { provider: p, status: 'ok' as const, ms, proofs: checkProofAnswer(p.name, r, types) };
        } catch (err) {
          const ms = Math.round(performance.now() - started);
          return {
            provider: p,
            status: 'failed' as const,
            ms,
            proofs: {},
            // A provider may throw anything, not only an Error, and echo the number in it.
            error: (maskNumberIn(String((err as Error | null)?.message ?? err), idNumber) as string).slice(
              0,
              200,
            ),
          };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const proofs: ProofQueryResult['proofs'] = {};
    for (const a of answers) {
      for (const [type, record] of Object.entries(a.proofs) as [ProofType, ProofRecord][]) {
        // A found record wins over a not-found one; among found ones, the first provider registered.
        if (!wanted.includes(type) || (proofs[type]?.found && !record.found)) continue;
        if (proofs[type]?.found) continue;
        proofs[type] = {
          found: record.found,
          data: maskNumberIn(record.data, idNumber) as ProofRecord['data'],
          title: PROOF_TYPES[type],
          provider: a.provider.name,
        };
      }
    }
    const result: ProofQueryResult = {
      queryId: uuidv7(),
      idNumberMasked: maskIdNumber(idNumber) as string,
      proofs,
      missing: wanted.filter((t) => !proofs[t]),
      providers: answers.map((a) => ({
        name: a.provider.name,
        status: a.status,
        ms: a.ms,
        ...('error' in a ? { error: a.error } : {}),
      })),
    };
    const providers = result.providers.map(({ name, status, ms }) => ({ name, status, ms }));
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('dh_proof_queries')
        .values({
          id: result.queryId,
          at: this.deps.clock.now().toISOString(),
          actor_id: caller.actor?.userId ?? null,
          actor_name: caller.actor?.username ?? null,
          request_id: caller.requestId,
          id_number_masked: result.idNumberMasked,
          proof_types: JSON.stringify(wanted),
          providers: JSON.stringify(providers),
          result_hash: sm3(JSON.stringify(result.proofs)),
        })
        .execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'datahub.proof-query',
        target: { type: 'proof-query', id: result.queryId },
        detail: { idNumber: result.idNumberMasked, proofTypes: wanted, providers },
      });
    });
    return result;
  }
}

/**
 * A provider may echo the number it was asked about (a remote system's `idNumber` field, a free
 * text): the answer goes to the browser, which sees the number only masked, like everywhere else.
 */
function maskNumberIn(value: unknown, idNumber: string): unknown {
  if (typeof value === 'string')
    return value.replace(new RegExp(idNumber, 'gi'), maskIdNumber(idNumber) as string);
  if (Array.isArray(value)) return value.map((v) => maskNumberIn(v, idNumber));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskNumberIn(v, idNumber)]));
  return value;
}
