import { readFileSync } from 'fs';
import { createServer } from 'http';

/**
 * The baseline of the list benchmark: a bare Node HTTP server answering every request with a
 * pre-built body (a real 25-row page of the API, read from the file named in argv), with
 * nothing else: no framework, no Redis, no JSON work. Prints its port.
 */
const page = readFileSync(process.argv[2]);
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(page);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
