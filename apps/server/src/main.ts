import { loadConfigOrExit, printBanner, StartError, startServer } from './server';

const config = loadConfigOrExit();
const server = await startServer(config).catch((err: unknown) => {
  if (!(err instanceof StartError)) throw err;
  console.error(`GovFlow 无法启动：${err.message}`);
  process.exit(1);
});
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
