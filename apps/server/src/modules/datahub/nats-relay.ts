import { JSONCodec, type NatsConnection, type Subscription } from 'nats';
import type { ProofProvider, ProofRecord, ProofType } from './proof-providers';

interface RelayRequest {
  idNumber: string;
  proofTypes: ProofType[];
}

interface RelayReply {
  proofs?: Partial<Record<ProofType, ProofRecord>>;
  error?: string;
}

const codec = JSONCodec<RelayRequest | RelayReply>();

/**
 * A proof provider in another network zone, reached through a front-end processor over NATS
 * request/reply (REQUIREMENTS §5): the hub publishes on `subject`, the processor in the isolated
 * zone answers from its own systems.
 */
export class NatsProofProvider implements ProofProvider {
  /** `nc` may be a getter: the relay connects in the background and may not be up yet. */
  constructor(
    readonly name: string,
    private readonly nc: NatsConnection | (() => NatsConnection | null),
    private readonly subject: string,
    readonly proofTypes: ProofType[],
    private readonly timeoutMs = 3000,
  ) {}

  async fetch(idNumber: string, proofTypes: ProofType[], signal: AbortSignal) {
    if (signal.aborted) throw new Error('aborted');
    const nc = typeof this.nc === 'function' ? this.nc() : this.nc;
    if (!nc) throw new Error(`${this.name}: 前置机中继未连接`);
    const msg = await nc.request(this.subject, codec.encode({ idNumber, proofTypes }), {
      timeout: this.timeoutMs,
    });
    const reply = codec.decode(msg.data) as RelayReply;
    if (reply.error) throw new Error(`${this.name}: ${reply.error}`);
    return reply.proofs ?? {};
  }
}

/**
 * The front-end processor's side: answers relay requests on `subject` from a provider of its
 * zone. Returns the subscription; unsubscribe to stop.
 */
export function serveProofsOverNats(
  nc: NatsConnection,
  subject: string,
  provider: ProofProvider,
): Subscription {
  return nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err) return;
      const req = codec.decode(msg.data) as RelayRequest;
      const types = req.proofTypes.filter((t) => provider.proofTypes.includes(t));
      provider.fetch(req.idNumber, types, new AbortController().signal).then(
        (proofs) => msg.respond(codec.encode({ proofs })),
        (e: Error) => msg.respond(codec.encode({ error: e.message.slice(0, 200) })),
      );
    },
  });
}
