import { loadConfigOrExit, printBanner, startServer } from './server';

const config = loadConfigOrExit();
const server = await startServer(config);
printBanner(server, config);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.shutdown(signal).then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
