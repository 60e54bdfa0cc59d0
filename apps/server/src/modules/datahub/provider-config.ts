import { connect, type NatsConnection } from 'nats';
import type { Config } from '../../config';
import type { Logger } from '../../platform/logging/logger';
import { NatsProofProvider } from './nats-relay';
import { HttpProofProvider } from './proof-providers';
import type { ProofQueryService } from './proof-query';

/** Remote systems with the JSON contract, from PROOF_HTTP_PROVIDERS. */
export function registerHttpProviders(proofs: ProofQueryService, config: Config): void {
  for (const p of config.PROOF_HTTP_PROVIDERS)
    proofs.register(new HttpProofProvider(p.name, p.url, p.proofTypes));
}

const RETRY_MS = 5000;

/**
 * Providers behind front-end processors, from PROOF_NATS_PROVIDERS over NATS_URL. The connection is
 * made in the background and retried until it succeeds, so a NATS outage at start does not stop
 * the hub: until then those providers answer "failed" and the rest of each query goes on.
 * Returns what closes the connection.
 */
export function connectRelayProviders(
  proofs: ProofQueryService,
  config: Config,
  log: Logger,
): () => Promise<void> {
  if (!config.NATS_URL || config.PROOF_NATS_PROVIDERS.length === 0) return async () => {};
  let nc: NatsConnection | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  for (const p of config.PROOF_NATS_PROVIDERS) {
    proofs.register(
      new NatsProofProvider(p.name, () => nc, p.subject, p.proofTypes, config.PROOF_PROVIDER_TIMEOUT_MS),
    );
  }
  const servers = config.NATS_URL.split(',').map((s) => s.trim());
  const attempt = async () => {
    try {
      const c = await connect({ servers, name: 'govflow-datahub', maxReconnectAttempts: -1 });
      if (closed) return void (await c.close());
      nc = c;
      log.info({ servers: c.getServer() }, 'proof relay connected to NATS');
    } catch (err) {
      if (closed) return;
      log.warn({ err: (err as Error).message }, 'proof relay: NATS unreachable, retrying');
      retry = setTimeout(attempt, RETRY_MS);
      retry.unref();
    }
  };
  void attempt();
  return async () => {
    closed = true;
    clearTimeout(retry);
    await nc?.close();
  };
}
