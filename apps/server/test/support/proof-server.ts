import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProofServer {
  /** The provider URL, for HttpProofProvider or PROOF_HTTP_PROVIDERS. */
  url: string;
  close(): void;
}

/**
 * A remote proof provider on loopback speaking the JSON contract
 * (POST {idNumber, proofTypes} → {proofs}). `answer` returns the proofs, or `'hang'` to read the
 * request and never answer (the provider is late).
 */
export function startProofServer(
  answer: (idNumber: string, proofTypes: string[]) => Record<string, unknown> | 'hang',
): Promise<ProofServer> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const { idNumber, proofTypes } = JSON.parse(body);
      const proofs = answer(idNumber, proofTypes);
      if (proofs === 'hang') return; // keeps the socket open
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ proofs }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/proofs`,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}
